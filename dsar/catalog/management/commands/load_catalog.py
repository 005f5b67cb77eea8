from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Placeholder until the catalogue loader lands."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?")
        parser.add_argument("--if-empty", action="store_true")

    def handle(self, *args, **options):
        self.stdout.write("catalogue loader not yet built")
