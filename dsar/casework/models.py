"""Casework's own rows: bulk batches and their letters, the name search key, digest records,
and each caseworker's language.

Teams, memberships, data subjects, cases, requests and events belong to dsar.cases; these
models only hang off them, so deleting a case (or a person) deletes their batch rows too.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar import languages


class Batch(models.Model):
    """One bulk job of a team: people imported from a CSV file, then one set of datasets and
    organisations for all of them, letters generated in Celery, then marked sent together."""

    class State(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        PLANNED = "planned", _("Letters planned")
        GENERATING = "generating", _("Generating letters")
        READY = "ready", _("Letters ready")
        SENT = "sent", _("Sent")

    team = models.ForeignKey("cases.Team", on_delete=models.CASCADE, related_name="batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(_("label"), max_length=200)
    state = models.CharField(max_length=12, choices=State.choices, default=State.IMPORTED)
    kind = models.CharField(_("request kind"), max_length=20, blank=True)
    language = models.CharField(_("letter language"), max_length=5, blank=True)
    datasets = models.ManyToManyField("catalog.Dataset", blank=True, related_name="+")
    organisations = models.ManyToManyField("catalog.Organisation", blank=True, related_name="+")
    # Progress counters, changed only together with an item's state (tasks.py) so that they
    # never count an item twice; the progress endpoint reads just this row.
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    sent_on = models.DateField(null=True, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    # When a letter of the batch last finished (or generation started): a generating batch
    # without progress for a lease is resumed by tasks.resume_stalled_batches.
    progress_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")

    def __str__(self) -> str:
        return f"Batch #{self.pk}"

    @property
    def percent(self) -> int:
        return int(100 * (self.done + self.failed) / self.total) if self.total else 0


class BatchMember(models.Model):
    """A person of a batch and the case opened for them (the case holds everything else)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="members")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    line = models.PositiveIntegerField(help_text=_("Line in the imported file."))
    # False when the import found the person already stored (blind index) and reused them.
    created_subject = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "case"], name="casework_member_batch_case_unique")
        ]

    def __str__(self) -> str:
        return f"BatchMember #{self.pk} (line {self.line})"


class BatchItem(models.Model):
    """One letter of a batch (a request to an organisation, or a person's mandate).

    Claimed by a worker with a conditional UPDATE (pending, or claimed with an expired lease ->
    claimed until now + lease); finished with a second conditional UPDATE that only the holder
    of the claim can make. So a restarted worker redoes an interrupted letter (the lease runs
    out) and no letter is counted or stored twice.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CLAIMED = "claimed", _("Being generated")
        DONE = "done", _("Generated")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="items")
    request = models.OneToOneField("cases.Request", on_delete=models.CASCADE, related_name="batch_item")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["batch", "state"], name="casework_item_batch_state")]

    def __str__(self) -> str:
        return f"BatchItem #{self.pk} ({self.state})"


class SubjectNameKey(models.Model):
    """A keyed hash of a person's exact normalised name, so a caseworker can find a case by name
    although names are encrypted (cases' own blind index covers name + email, for duplicates).
    Written by the casework import; the queue's name search consults only this table."""

    data_subject = models.OneToOneField(
        "cases.DataSubject", on_delete=models.CASCADE, related_name="casework_name_key"
    )
    key = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"SubjectNameKey #{self.pk}"  # never the name, nor the key


class DigestLog(models.Model):
    """One row per caseworker per day; the daily digest claims it with a conditional UPDATE
    (claimed_at IS NULL) so that two workers or a re-run never send the same digest twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="casework_digest_user_day_unique")
        ]

    def __str__(self) -> str:
        return f"DigestLog {self.user_id} {self.day}"


class CaseworkerLanguage(models.Model):
    """The language a caseworker last used the casework pages in: their daily digest is
    written in it. Recorded by `casework_view` when it changes, so nobody has to set it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="casework_language"
    )
    language = models.CharField(_("language"), max_length=8, choices=languages.choices)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("caseworker language")
        verbose_name_plural = _("caseworker languages")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
