from django.apps import AppConfig


class WizardConfig(AppConfig):
    name = "dsar.wizard"
    label = "wizard"
    default_auto_field = "django.db.models.BigAutoField"
