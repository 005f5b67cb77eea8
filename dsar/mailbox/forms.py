"""Forms of the mailbox pages: validate and normalise only; the services decide."""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dsar.cases.forms import ActionForm
from dsar.catalog.models import Organisation
from dsar.mailbox.classify import Label
from dsar.mailbox.services import CONFIRMABLE

# How each label is offered to the person who confirms it.
LABEL_NAMES: dict[str, Any] = {
    Label.ACKNOWLEDGED: _("They confirm they received the request"),
    Label.EXTENSION: _("They extend the deadline"),
    Label.IDENTITY: _("They ask for proof of identity"),
    Label.ANSWERED: _("They answer (data enclosed)"),
    Label.REFUSED: _("They refuse"),
    Label.ERASED: _("They confirm the data was erased"),
    Label.NO_LONGER_HELD: _("They say they no longer hold the dataset or any data"),
    Label.UNKNOWN: _("dsar could not tell"),
}


class SendForm(ActionForm):
    action = "send"
    submit_label = _("Send it now")
    digest = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=_("I have read the text above. Send it in my name, with the letter attached."))


class ConfirmForm(ActionForm):
    action = "confirm"
    submit_label = _("Confirm")
    label = forms.ChoiceField(label=_("What the answer says"), choices=[(str(k), LABEL_NAMES[k]) for k in CONFIRMABLE])


class AssignForm(ActionForm):
    action = "assign"
    submit_label = _("Put it on this request")
    reference = forms.CharField(label=_("Case reference"), max_length=20)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False,
        help_text=_("Only needed when the case has requests to several organisations."),
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


class DeleteForm(ActionForm):
    action = "delete"
    submit_label = _("Delete this message")
    button_class = "btn-outline-danger"
