"""An attachment's encrypted file goes with its row, however the row is deleted: cases'
"delete everything" cascades from the request to its messages without knowing this app, and
Django sends post_delete for each cascaded row (having a receiver turns off the fast delete)."""
from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from dsar.mailbox.models import InboundAttachment


@receiver(post_delete, sender=InboundAttachment, dispatch_uid="mailbox-attachment-file")
def _delete_attachment_file(sender: type[InboundAttachment], instance: InboundAttachment, **kwargs: Any) -> None:
    if instance.file:
        instance.file.storage.delete(str(instance.file.name))
