"""Re-encrypt every personal field with the newest key of FIELD_ENCRYPTION_KEYS.

Rotation: 1. prepend a new key to DSAR_FIELD_KEYS and restart; 2. run this command;
3. remove the old key. Rows are read (decrypted with whichever key fits) and written back in
batches, which encrypts them with the newest key.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dsar.cases.services import field_keys_rotate


class Command(BaseCommand):
    help = "Re-encrypt all personal fields with the newest key in DSAR_FIELD_KEYS."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        counts = field_keys_rotate(batch_size=batch_size)
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} rows re-encrypted")
