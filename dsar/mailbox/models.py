"""Email sent for a request and email received for it (or for nobody yet: the staff review).

What an email says is personal data: bodies, subjects, addresses and file names are encrypted
at rest (dsar.cases.fields), attachment files are encrypted before they reach the private
storage (dsar.mailbox.storage). Ids, dates, sizes, types and the classifier's label stay plain,
so lists can be filtered without decrypting anything.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.cases.fields import EncryptedJSONField, EncryptedTextField, private_storage


class OutgoingEmail(models.Model):
    """A request sent by dsar itself: the text the person or caseworker confirmed, and, once
    the send task claimed it (a conditional UPDATE of `sent_at`), when it went out and under
    which Message-ID. One per request: confirming twice sends once."""

    request = models.OneToOneField("cases.Request", on_delete=models.CASCADE, related_name="outgoing_email")
    to_address = models.CharField(_("to"), max_length=254)
    subject = EncryptedTextField(_("subject"))
    body = EncryptedTextField(_("text"))
    confirmed_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # sha256 of the reply token (reply+<token>@DSAR_MAIL_REPLY_DOMAIN): the token lets mail
    # attach itself to this request, so only its hash is kept; written by the claim.
    reply_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    message_id = models.CharField(max_length=250, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A refusal that retrying cannot cure (5xx): the SMTP code and enhanced status only.
    failed_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("email sent")
        verbose_name_plural = _("emails sent")

    def __str__(self) -> str:
        return f"OutgoingEmail #{self.pk} (request {self.request_id})"

    @property
    def state(self) -> str:
        if self.sent_at:
            return "sent"
        return "failed" if self.failed_at else "queued"


class InboundMessage(models.Model):
    """One email that arrived, stored once (`fingerprint`: Message-ID + body hash)."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("answer")
        BOUNCE = "bounce", _("bounce")

    class Match(models.TextChoices):
        REPLY_ADDRESS = "reply_address", _("reply address")
        THREAD = "thread", _("reply to our email")
        REFERENCE = "reference", _("reference from the addressee's domain")
        STAFF = "staff", _("assigned by staff")
        NONE = "", _("not matched")

    class Review(models.TextChoices):
        NONE = "", _("—")
        NO_MATCH = "no_match", _("matches no request")
        SENDER_MISMATCH = "sender_mismatch", _("reference from a sender outside the addressee's domain")
        CONFLICT = "conflict", _("points at different requests")
        AMBIGUOUS = "ambiguous", _("the reference fits several requests")

    request = models.ForeignKey(
        "cases.Request", null=True, blank=True, on_delete=models.CASCADE, related_name="inbound_messages"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ANSWER)
    fingerprint = models.CharField(max_length=64, unique=True)
    message_id = models.CharField(max_length=250, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, help_text=_("The Date header (as claimed)."))
    sender = EncryptedTextField(_("from"), blank=True)
    sender_domain = models.CharField(max_length=253, blank=True)
    subject = EncryptedTextField(_("subject"), blank=True)
    text = EncryptedTextField(_("text"), blank=True)
    headers = EncryptedTextField(blank=True)
    had_html = models.BooleanField(default=False)
    matched_by = models.CharField(max_length=20, choices=Match.choices, blank=True)
    review = models.CharField(max_length=20, choices=Review.choices, blank=True, db_index=True)
    # The classifier's proposal (dsar.mailbox.classify.Label) and why.
    proposal = models.CharField(max_length=20, blank=True)
    phrases = EncryptedJSONField(default=list, blank=True)
    extension_until = models.DateField(null=True, blank=True)
    ground = models.CharField(max_length=200, blank=True)
    # Set once a person or caseworker confirmed a status (which then went through cases'
    # services).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_label = models.CharField(max_length=20, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Claimed by the notification task (dsar.mailbox.notify) so people are told once.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            # The staff review list (request IS NULL, newest first) and a request's messages.
            models.Index(fields=["request", "received_at"], name="mailbox_msg_request"),
        ]
        verbose_name = _("email received")
        verbose_name_plural = _("emails received")

    def __str__(self) -> str:
        return f"InboundMessage #{self.pk} ({self.kind})"

    @property
    def needs_confirmation(self) -> bool:
        return (
            self.request_id is not None and self.kind == self.Kind.ANSWER
            and self.confirmed_at is None
        )


def attachment_upload_to(instance: InboundAttachment, filename: str) -> str:
    # Random names under mailbox/: the file is encrypted and the original name kept encrypted.
    import secrets

    return f"mailbox/{instance.message_id}/{secrets.token_hex(16)}.bin"


class InboundAttachment(models.Model):
    """A file that came with a message; `file` holds it encrypted. A file over
    DSAR_MAILBOX_ATTACHMENT_MAX_MB is not kept: `skipped` says so and the size is recorded."""

    message = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="attachments")
    name = EncryptedTextField(blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to=attachment_upload_to, blank=True)
    skipped = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"InboundAttachment #{self.pk}"
