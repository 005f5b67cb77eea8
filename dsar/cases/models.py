"""The domain of dsar: teams, data subjects, cases, requests and their append-only timeline.

Personal data lives only in DataSubject (and a case's tracking email, an event's note and the
original name of an uploaded file), always encrypted at rest (dsar.cases.fields). Writes go
through dsar.cases.services; who may see a case is decided by dsar.cases.access alone.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.cases.fields import EncryptedJSONField, EncryptedTextField, private_storage

# Crockford's base32 without I, L, O, U: easy to read aloud and to type from a letter.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """A human reference code like DSAR-7K3M-Q9XP (32**8, about 10**12 possibilities)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"DSAR-{chars[:4]}-{chars[4:]}"


class Team(models.Model):
    """An NGO (a digital-rights group, a legal clinic). Its cases are invisible to everyone else."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    require_otp = models.BooleanField(
        _("require a second factor"),
        default=False,
        help_text=_("Members must log in with a one-time code (set by a coordinator)."),
    )
    # How letters name the team when it acts for a person (Art. 80(1)): required before any
    # letter of the team is made (dsar.letters.assemble.NGO_INCOMPLETE).
    postal_address = models.TextField(_("postal address"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.CharField(
        _("legal description"), max_length=300, blank=True,
        help_text=_("For example: a not-for-profit association registered in Berlin (VR 12345 B)."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    @property
    def can_represent(self) -> bool:
        """Letters can name the team: it has a postal address and a contact."""
        return bool(self.postal_address.strip() and (self.contact_email or self.contact_phone))


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("Caseworker")
        COORDINATOR = "coordinator", _("Coordinator")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CASEWORKER)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], name="cases_membership_team_user_unique"
            )
        ]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")

    def __str__(self) -> str:
        return f"{self.team_id}:{self.user_id}:{self.role}"


class DataSubject(models.Model):
    """The person. Every personal field is encrypted at rest; only the country and region of
    residence stay plain, because they choose the supervisory authority and identify nobody."""

    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="data_subjects",
        help_text=_("The NGO team that files for this person; empty for the public."),
    )
    name = EncryptedTextField(_("name"))
    other_names = EncryptedTextField(_("other names"), blank=True)
    postal_address = EncryptedTextField(_("postal address"), blank=True)
    email = EncryptedTextField(_("email"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    country = models.CharField(_("country of residence"), max_length=2, blank=True)
    region = models.CharField(
        _("region"), max_length=8, blank=True, help_text=_("e.g. DE-BY for a German Land.")
    )
    # Only when a controller demands it (ISO date as text, encrypted like the rest).
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    # {dataset slug: {"flickr_username": ..., "photo_urls": [...], "place_time": ..., ...}}
    identifying_details = EncryptedJSONField(_("identifying details"), default=dict, blank=True)
    # HMAC of normalised name + email (dsar.cases.fields.blind_index); the CSV import finds
    # duplicates with it without ever storing or comparing the plain values.
    blind_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("data subject")
        verbose_name_plural = _("data subjects")

    def __str__(self) -> str:
        # Never the name: this string ends up in logs and admin history.
        return f"DataSubject #{self.pk}"


class Case(models.Model):
    """One data subject's campaign: datasets concerned, requests, timeline."""

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, default=new_reference, editable=False
    )
    data_subject = models.ForeignKey(DataSubject, on_delete=models.CASCADE, related_name="cases")
    datasets = models.ManyToManyField("catalog.Dataset", blank=True, related_name="cases")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    language = models.CharField(_("language"), max_length=5, default="en")
    # The public secret link: only sha256(token) is stored, so a database leak opens no case.
    access_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    token_created_at = models.DateTimeField(null=True, blank=True, editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    tracking_email = EncryptedTextField(_("tracking email"), blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_public(self) -> bool:
        return self.team_id is None


def letter_upload_to(instance: Request, filename: str) -> str:
    # Under the case's folder, so deleting a case can remove the folder with everything in it.
    return f"cases/{instance.case_id}/letters/{filename}"


class Request(models.Model):
    """One letter to one organisation (or, for a complaint, to one authority)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access (Art. 15)")
        ERASURE = "erasure", _("Erasure (Art. 17)")
        ACCESS_ERASURE = "access_erasure", _("Access and erasure (Art. 15 and 17)")
        FOLLOWUP = "followup", _("Follow-up")
        COMPLAINT = "complaint", _("Complaint to an authority (Art. 77)")
        MANDATE = "mandate", _("Mandate (Art. 80(1))")
        REBUTTAL = "rebuttal", _("Answer to a refusal")

    class Ground(models.TextChoices):
        # The usual refusals a rebuttal letter answers (dsar.letters.data.GROUNDS).
        DATASET_DELETED = "dataset_deleted", _("“We deleted the dataset” or “we no longer distribute it”")
        CANNOT_IDENTIFY = "cannot_identify", _("“We cannot identify you”")
        RESEARCH_EXEMPTION = "research_exemption", _("“Research exemption” (Art. 89)")
        ID_DOCUMENT = "id_document", _("“Send us a copy of your ID card”")
        NOT_ESTABLISHED = "not_established", _("“We are not established in the EU” (or the UK, Switzerland)")
        MANIFESTLY_UNFOUNDED = "manifestly_unfounded", _("“Manifestly unfounded or excessive” (Art. 12(5))")

    class Channel(models.TextChoices):
        POST = "post", _("post")
        EMAIL = "email", _("email")
        WEBFORM = "webform", _("web form")

    class Status(models.TextChoices):
        # Derived from the events by dsar.cases.services.derive_status, never set by hand.
        DRAFT = "draft", _("Not sent yet")
        AWAITING = "awaiting", _("Sent, awaiting answer")
        IDENTITY_ASKED = "identity_asked", _("Identity asked (clock paused)")
        EXTENDED = "extended", _("Extended")
        ANSWERED_COMPLETE = "answered_complete", _("Answered completely")
        ANSWERED_PARTIAL = "answered_partial", _("Answered partly")
        ANSWERED_REFUSED = "answered_refused", _("Refused")
        ANSWERED_NO_DATA = "answered_no_data", _("Says no data held")
        ANSWERED_ASKS_MORE = "answered_asks_more", _("Asks for more")
        OVERDUE = "overdue", _("Overdue")
        FOLLOWUP_SENT = "followup_sent", _("Follow-up sent")
        COMPLAINT_FILED = "complaint_filed", _("Complaint filed")
        CLOSED = "closed", _("Closed")

    # The legal clock runs in these; the sweep turns them overdue once due_on has passed.
    CLOCK_RUNNING = (Status.AWAITING, Status.EXTENDED)
    # Still needing something from someone (lists, the admin's default "open" filter).
    OPEN_STATUSES = (
        Status.DRAFT,
        Status.AWAITING,
        Status.IDENTITY_ASKED,
        Status.EXTENDED,
        Status.ANSWERED_PARTIAL,
        Status.ANSWERED_REFUSED,
        Status.ANSWERED_ASKS_MORE,
        Status.OVERDUE,
        Status.FOLLOWUP_SENT,
        Status.COMPLAINT_FILED,
    )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requests")
    organisation = models.ForeignKey(
        "catalog.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    authority = models.ForeignKey(
        "catalog.SupervisoryAuthority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        help_text=_("Only for complaints."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Only for rebuttals: the refusal the letter answers.
    ground = models.CharField(_("refusal answered"), max_length=30, choices=Ground.choices, blank=True)
    language = models.CharField(_("language"), max_length=5, default="en")
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.POST
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        help_text=_("For a follow-up or complaint: the request it follows."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivery confirmed on"), null=True, blank=True)
    received_on = models.DateField(
        _("received on"),
        null=True,
        blank=True,
        help_text=_("Actual (delivery confirmed) or assumed from the channel."),
    )
    received_assumed = models.BooleanField(default=False)
    # The due date in force (after any extension or identity pause); what the sweep, the
    # queues and the admin use. Empty while the clock is paused or before sending.
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # The extended due date, kept for the record once an extension was notified.
    extended_due_on = models.DateField(_("extended due on"), null=True, blank=True)
    due_rule = models.CharField(
        max_length=40, blank=True, help_text=_("Which legal rule set due_on.")
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    # The rendered letter (private storage) and a hash of what it was rendered from, so the
    # render task can return at once when nothing changed.
    letter_pdf = models.FileField(storage=private_storage, upload_to=letter_upload_to, blank=True)
    letter_inputs_hash = models.CharField(max_length=64, blank=True)
    # Claimed by the sweep (dsar.cases.tasks) with conditional UPDATEs "... WHERE x IS NULL" so
    # that each reminder goes out exactly once even with several workers.
    reminder_before_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_overdue_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_complaint_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # The sweep and the caseworker queue: "which requests of these statuses are due by X".
            models.Index(fields=["status", "due_on"], name="cases_request_status_due"),
            # The staff's all-teams queue: most requests are open, so reading this index in
            # order (ORDER BY due_on NULLS LAST, id) and stopping after a page beats sorting
            # ~70,000 rows; SQLite and PostgreSQL both walk it for NULLS LAST.
            models.Index(fields=["due_on", "id"], name="cases_request_due_id"),
            # Partial indexes for dsar.cases.reminders.due_reminder_ids (the sweep): each holds
            # only the rows still waiting for that reminder, so finding today's few among a
            # million requests reads a handful of index entries. The conditions must match the
            # sweep's filters (reminders.REMINDER_RULES) or the planner cannot use them;
            # (status, due_on) like the index above, so SQLite's planner prefers the smaller.
            models.Index(
                fields=["status", "due_on"],
                name="cases_req_remind_before",
                condition=models.Q(
                    kind__in=["access", "erasure", "access_erasure"],
                    status__in=["awaiting", "extended"],
                    reminder_before_sent_at__isnull=True,
                ),
            ),
            models.Index(
                fields=["status", "due_on"],
                name="cases_req_remind_overdue",
                condition=models.Q(
                    kind__in=["access", "erasure", "access_erasure"],
                    status__in=["awaiting", "extended", "overdue"],
                    reminder_overdue_sent_at__isnull=True,
                ),
            ),
            models.Index(
                fields=["status", "due_on"],
                name="cases_req_remind_complaint",
                condition=models.Q(
                    kind__in=["access", "erasure", "access_erasure"],
                    status="followup_sent",
                    reminder_complaint_sent_at__isnull=True,
                ),
            ),
        ]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self) -> str:
        return f"Request #{self.pk} ({self.kind})"

    @property
    def recipient(self) -> Any:
        return self.authority if self.kind == self.Kind.COMPLAINT else self.organisation

    @property
    def status_tone(self) -> str:
        """The Bootstrap colour of the status badge (tracking pages, casework queue)."""
        return STATUS_TONES.get(self.status, "primary")

    def is_overdue(self, today: dt.date) -> bool:
        return self.status in self.CLOCK_RUNNING + (self.Status.OVERDUE,) and (
            self.due_on is not None and today > self.due_on
        )


STATUS_TONES: dict[str, str] = {
    Request.Status.DRAFT: "secondary",
    Request.Status.OVERDUE: "danger",
    Request.Status.ANSWERED_COMPLETE: "success",
    Request.Status.ANSWERED_NO_DATA: "success",
    Request.Status.ANSWERED_PARTIAL: "warning",
    Request.Status.ANSWERED_REFUSED: "warning",
    Request.Status.ANSWERED_ASKS_MORE: "warning",
    Request.Status.CLOSED: "secondary",
}


class EventQuerySet(models.QuerySet["Event"]):
    """The timeline is append-only: rows are never changed, and removed only together with their
    case (delete everything), which Django's cascade does without calling these."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("Events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Events are append-only; delete the whole case instead.")


def event_upload_to(instance: Event, filename: str) -> str:
    # A random name: the original file name may carry personal data (kept encrypted instead).
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"cases/{instance.case_id}/{secrets.token_hex(16)}.{suffix}"


class Event(models.Model):
    class Kind(models.TextChoices):
        SENT = "sent", _("Sent")
        DELIVERY_CONFIRMED = "delivery_confirmed", _("Delivery confirmed")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IDENTITY_ASKED = "identity_asked", _("Identity asked")
        IDENTITY_SUPPLIED = "identity_supplied", _("Identity supplied")
        EXTENSION_NOTIFIED = "extension_notified", _("Extension notified")
        ANSWER_RECEIVED = "answer_received", _("Answer received")
        REMINDER_SENT = "reminder_sent", _("Reminder sent")
        FOLLOWUP_SENT = "followup_sent", _("Follow-up sent")
        COMPLAINT_FILED = "complaint_filed", _("Complaint filed")
        CLOSED = "closed", _("Closed")
        NOTE = "note", _("Note")
        # dsar.mailbox stored an email for the request; the clock changes only once someone
        # confirms what it says (then one of the kinds above is recorded).
        EMAIL_RECEIVED = "email_received", _("Email received")

    class Outcome(models.TextChoices):
        COMPLETE = "complete", _("Complete answer")
        PARTIAL = "partial", _("Partial answer")
        REFUSED = "refused", _("Refused")
        NO_DATA = "no_data", _("Says they hold no data")
        ASKS_MORE = "asks_more", _("Asks for more (web form, ID, details)")

    class Actor(models.TextChoices):
        SUBJECT = "subject", _("the person")
        USER = "user", _("a caseworker")
        SYSTEM = "system", _("dsar")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"), help_text=_("The day it happened (as stated)."))
    at = models.DateTimeField(
        default=timezone.now, editable=False, help_text=_("When it was recorded.")
    )
    actor = models.CharField(max_length=10, choices=Actor.choices, default=Actor.SYSTEM)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # Non-personal facts only (channel, reminder kind, due dates); personal text goes in `note`.
    data = models.JSONField(default=dict, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    attachment = models.FileField(storage=private_storage, upload_to=event_upload_to, blank=True)
    attachment_name = EncryptedTextField(blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["on", "at", "id"]
        indexes = [models.Index(fields=["case", "on"], name="cases_event_case_on")]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"Event #{self.pk} ({self.kind})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Events are append-only; delete the whole case instead.")
