"""Casework forms: validate and normalise only. Rendered by crispy-forms."""
from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.cases.models import Request
from dsar.casework.selectors import QueueFilters
from dsar.catalog.models import Dataset, Organisation

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ERR_FILE_TOO_BIG = _("The file is larger than 5 MB; split it into smaller files.")
ERR_FUTURE = _("This date is in the future.")
ERR_TOKEN = _("That code is not valid. Enter the six digits your app shows now.")


class TokenForm(forms.Form):
    """A six-digit code from an authenticator app; checked against a device by the view."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, verify: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verify = verify  # callable(token) -> device or None
        self.helper = _helper(self, _("Verify"))

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        self.device = self._verify(token) if token.isdigit() and self._verify else None
        if self.device is None:
            raise forms.ValidationError(ERR_TOKEN)
        return token


def _helper(form: forms.Form, submit: Any, *, method: str = "post", css: str = "btn-primary") -> FormHelper:
    helper = FormHelper(form)
    helper.form_method = method
    button = Submit("submit", submit)
    button.field_classes = f"btn {css}"  # not "btn btn-primary {css}": two colours, unreadable text
    helper.add_input(button)
    return helper


class QueueFilterForm(forms.Form):
    """The queue's filters (GET). Invalid values are dropped rather than refused: a stale link
    still shows a queue."""

    BUCKETS = [
        ("open", _("All open")), ("overdue", _("Overdue")), ("due_soon", _("Due within 7 days")),
        ("awaiting", _("Awaiting answer")), ("needs_action", _("Answer needs action")),
    ]
    bucket = forms.ChoiceField(label=_("Show"), required=False, choices=BUCKETS)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("any"))] + list(Request.Status.choices))
    organisation = forms.ModelChoiceField(label=_("Organisation"), required=False,
                                          queryset=Organisation.objects.only("pk", "name").order_by("name"))
    dataset = forms.ModelChoiceField(label=_("Dataset"), required=False, queryset=Dataset.objects.only("pk", "name").order_by("name"))
    assignee = forms.TypedChoiceField(label=_("Assignee"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Reference or exact full name"), required=False, max_length=200)
    sort = forms.ChoiceField(label=_("Due date"), required=False,
                             choices=[("due", _("soonest first")), ("-due", _("latest first"))])

    def __init__(self, *args: Any, assignees: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [("", _("anyone")), (0, _("unassigned"))] + [
            (u.pk, u.get_full_name() or u.get_username()) for u in assignees
        ]
        self.helper = _helper(self, _("Filter"), method="get", css="btn-outline-primary")
        self.helper.form_class = "row row-cols-md-4 g-2 align-items-end"
        self.helper.disable_csrf = True

    def filters(self) -> QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return QueueFilters(
            bucket=data.get("bucket") or "open",
            status=data.get("status") or "",
            organisation=data["organisation"].pk if data.get("organisation") else None,
            dataset=data["dataset"].pk if data.get("dataset") else None,
            assignee=data.get("assignee"),
            q=data.get("q") or "",
            descending=data.get("sort") == "-due",
        )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note (seen by your team only)"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, _("Add note"), css="btn-outline-primary")


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Assignee"), required=False, queryset=None,
                                      empty_label=_("nobody"))

    def __init__(self, *args: Any, members: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = members
        self.helper = _helper(self, _("Assign"), css="btn-outline-secondary")
        self.helper.form_action = action  # the case page is GET only; the form posts elsewhere


class UploadForm(forms.Form):
    label = forms.CharField(label=_("Name of this batch"), max_length=200,
                            help_text=_("For you, e.g. “Duke Chapel Quad, March 2014”."))
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Team"), queryset=None)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("First line: column names. Required: name. Optional: other_names (separated by "
                    ";), email, postal_address, phone, country (two letters, e.g. DE)."),
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams
        if teams.count() == 1:
            self.fields["team"].initial = teams.first().pk
        self.helper = _helper(self, _("Check the file"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(ERR_FILE_TOO_BIG)
        return upload.read()


class PlanForm(forms.Form):
    datasets = forms.ModelMultipleChoiceField(label=_("Datasets"), queryset=Dataset.objects.only("pk", "name").order_by("name"),
                                              widget=forms.CheckboxSelectMultiple)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations to write to"), queryset=Organisation.objects.only("pk", "name").order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(label=_("Request"), choices=[
        (Request.Kind.ACCESS_ERASURE, Request.Kind.ACCESS_ERASURE.label),
        (Request.Kind.ACCESS, Request.Kind.ACCESS.label),
        (Request.Kind.ERASURE, Request.Kind.ERASURE.label),
    ])
    language = forms.ChoiceField(label=_("Letter language"), choices=settings.LANGUAGES)
    mandate = forms.BooleanField(label=_("Also a mandate (Art. 80(1)) for each person to sign"),
                                 required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, _("Plan the letters"))


class MarkSentForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("How"), choices=Request.Channel.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, _("Mark all as sent"), css="btn-success")

    def clean_sent_on(self) -> Any:
        day = self.cleaned_data["sent_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(ERR_FUTURE)
        return day


class TeamSettingsForm(forms.Form):
    require_otp = forms.BooleanField(
        label=_("Every member must log in with a one-time code from an authenticator app"), required=False
    )
    # How letters name the team when it acts for a person (Art. 80(1)); no letter of the team is
    # made before the address and a contact are filled in.
    postal_address = forms.CharField(label=_("Postal address of the team"), required=False, max_length=500,
                                     widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("Printed on every letter the team sends for a person."))
    contact_email = forms.EmailField(label=_("Contact email for answers"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=40)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Legal description"), required=False, max_length=300,
        help_text=_("For example: a not-for-profit association registered in Berlin (VR 12345 B)."),
    )

    CONTACT_FIELDS = ("postal_address", "contact_email", "contact_phone", "website", "description")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, _("Save"))
