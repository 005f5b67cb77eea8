"""Forms of the public tracking pages (casework reuses them). They validate and normalise only;
the services decide. Each form carries a crispy helper that posts its `action` name, so one
request page can hold several forms and re-render the one that failed with its input kept."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Hidden, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.cases.models import Event, Request

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise



class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _day_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), initial=timezone.localdate)


class ActionForm(forms.Form):
    """A form posted to a page with several forms: `action` names it, the prefix keeps ids apart."""

    action = ""
    submit_label: Any = _("Save")
    button_class = "btn-primary"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "post"
        self.helper.add_input(Hidden("action", self.action))
        button = Submit("submit", self.submit_label)
        # Replace crispy's default "btn btn-primary": adding an outline class on top of it gives
        # a filled button with outline-coloured text, which is hard to read.
        button.field_classes = f"btn {self.button_class}"
        self.helper.add_input(button)


class SentForm(ActionForm):
    action = "sent"
    submit_label = _("I sent it")
    sent_on = _day_field(_("Sent on"))
    channel = forms.ChoiceField(label=_("How"), choices=Request.Channel.choices)
    proof = forms.CharField(
        label=_("Proof of sending (optional)"), required=False, max_length=200,
        help_text=_("For example the registered-post number. It goes into the evidence dossier."),
    )
    proof_file = forms.FileField(
        label=_("Scan of the posting receipt (optional)"), required=False,
        help_text=_("Kept privately; the evidence dossier lists it with its SHA-256."),
    )


class DeliveredForm(ActionForm):
    action = "delivered"
    submit_label = _("Record delivery")
    button_class = "btn-outline-primary"
    delivered_on = _day_field(_("Delivery confirmed on"))


class DayForm(ActionForm):
    """Something the organisation did on a day (asked for ID, extended, acknowledged)."""

    button_class = "btn-outline-primary"
    on = _day_field(_("On"))


class IdentityAskedForm(DayForm):
    action = "identity_asked"
    submit_label = _("They asked for ID")


class IdentitySuppliedForm(DayForm):
    action = "identity_supplied"
    submit_label = _("I supplied my ID")


class ExtendedForm(DayForm):
    action = "extended"
    submit_label = _("They extended the deadline")


class AnswerForm(ActionForm):
    action = "answer"
    submit_label = _("Log the answer")
    outcome = forms.ChoiceField(label=_("What did they answer?"), choices=Event.Outcome.choices)
    on = _day_field(_("Answer received on"))
    upload = forms.FileField(
        label=_("Scan or file of the answer (optional)"), required=False,
        help_text=_("Stored privately; only you (with your link) can download it."),
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=2000)


class FollowupForm(ActionForm):
    action = "followup"
    submit_label = _("Prepare the follow-up letter")
    button_class = "btn-warning"


class ComplaintForm(ActionForm):
    action = "complaint"
    submit_label = _("Prepare the complaint to the authority")
    button_class = "btn-danger"


class RebuttalForm(ActionForm):
    action = "rebuttal"
    submit_label = _("Prepare the answer to their refusal")
    button_class = "btn-warning"
    ground = forms.ChoiceField(
        label=_("What did they say?"), choices=Request.Ground.choices,
        help_text=_("The letter answers that refusal with the law and the dataset's facts, and gives "
                    "them a new, short deadline."),
    )


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my case, my details, all letters and all uploaded files will be "
                "deleted for good."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Delete everything"), css_class="btn-danger"))



class NewLinkForm(forms.Form):
    """"Lost your link?": the case reference and the address the link went to."""

    reference = forms.CharField(
        label=_("Case reference"), max_length=20,
        help_text=_("As printed on your letters and in our emails, e.g. DSAR-7K3M-Q9XP."),
    )
    email = forms.EmailField(label=_("Email address the link was sent to"), max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Send me a new link")))


# The forms of a request page by action name (selectors.request_actions says which apply).
ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (SentForm, DeliveredForm, IdentityAskedForm, IdentitySuppliedForm, ExtendedForm,
                 AnswerForm, FollowupForm, ComplaintForm, RebuttalForm)
}
