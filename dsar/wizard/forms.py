"""Forms of the public flow. They validate and normalise only; crispy-forms renders them.

The question screens and the identifying details are built from data (the catalogue's questions,
the chosen datasets' needs), so no form here branches on a particular dataset.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import phonenumbers
from crispy_forms.helper import FormHelper
from crispy_forms.layout import BaseInput, Fieldset, Hidden, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from phonenumber_field.formfields import PhoneNumberField

from dsar import languages
from dsar.wizard.details import DetailField, DetailGroup

ANSWER_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("unsure", _("I am not sure"))]
KIND_CHOICES = [
    ("access_erasure", _("Ask what they hold and ask them to erase it (two letters each)")),
    ("access", _("Only ask what they hold about me (GDPR Art. 15)")),
    ("erasure", _("Only ask them to erase it (GDPR Art. 17)")),
]
LANGUAGE_CHOICES = [
    ("auto", _("The language each organisation prefers (recommended)")),
    *languages.choices(),
]
GERMAN_LANDS = [
    ("", _("— not in Germany —")),
    ("DE-BW", "Baden-Württemberg"),
    ("DE-BY", "Bayern"),
    ("DE-BE", "Berlin"),
    ("DE-BB", "Brandenburg"),
    ("DE-HB", "Bremen"),
    ("DE-HH", "Hamburg"),
    ("DE-HE", "Hessen"),
    ("DE-MV", "Mecklenburg-Vorpommern"),
    ("DE-NI", "Niedersachsen"),
    ("DE-NW", "Nordrhein-Westfalen"),
    ("DE-RP", "Rheinland-Pfalz"),
    ("DE-SL", "Saarland"),
    ("DE-SN", "Sachsen"),
    ("DE-ST", "Sachsen-Anhalt"),
    ("DE-SH", "Schleswig-Holstein"),
    ("DE-TH", "Thüringen"),
]

# Messages as constants so tests can import them instead of repeating the words.
TAMPERED_STEP = _(
    "This page was sent as a different step of the form than the one you are on, so nothing "
    "was saved. Please check your answers below and send them again."
)
LAND_REQUIRED = _("Please choose your Land: it decides which data protection authority is yours.")
LAND_NOT_GERMANY = _("A German Land only applies if you live in Germany.")
DATE_IN_FUTURE = _("This date is in the future. Please enter the day you were there.")
NOT_A_URL = _("Line %(line)s is not a web address starting with http:// or https://.")
ONE_OF_REQUIRED = _("Please give at least one of these: %(fields)s.")

PHONE_INVALID = _("Enter a valid phone number for %(country)s, for example %(example)s.")

NAME_MAX = 200
LINE_MAX = 300
TEXT_MAX = 2000


class BackButton(BaseInput):
    """A secondary submit button: "Back" saves the page unchecked (formnovalidate) and goes back."""

    input_type = "submit"
    field_classes = "btn btn-outline-secondary"


class WizardForm(forms.Form):
    """Base for every step: a crispy helper with the hidden step marker and the two buttons.

    "Continue" comes first in the markup so that pressing Enter in a field moves forward;
    "Back" saves what is on the page without checking it, then goes back.
    """

    step_name = ""
    submit_label = _("Continue")
    show_back = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "post"
        self.helper.form_id = "wizard-form"
        self.helper.add_input(Hidden("step", self.step_name))
        self.helper.add_input(Submit("_next", self.submit_label, css_class="me-2"))
        if self.show_back:
            self.helper.add_input(BackButton("_back", _("Back"), formnovalidate=""))

    def add_tampered_error(self) -> None:
        self.add_error(None, TAMPERED_STEP)


# --- Questions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    """One eligibility question as the form needs it (built from the catalogue's question)."""

    slug: str
    text: str
    help_text: str = ""


class QuestionScreenForm(WizardForm):
    """One screen of eligibility questions, each answered yes / no / not sure."""

    def __init__(self, *args: Any, questions: Sequence[QuestionSpec], step_name: str,
                 first: bool = False, **kwargs: Any) -> None:
        self.step_name = step_name
        self.show_back = True
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question.slug] = forms.ChoiceField(
                label=question.text,
                help_text=question.help_text,
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
            )


# --- Choose organisations ---------------------------------------------------------------------


class ChooseForm(WizardForm):
    step_name = "choose"

    organisations = forms.MultipleChoiceField(
        label=_("Organisations to write to"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one organisation.")},
    )
    kind = forms.ChoiceField(
        label=_("What to ask for"), choices=KIND_CHOICES, widget=forms.RadioSelect,
        initial="access_erasure",
    )
    letter_language = forms.ChoiceField(label=_("Language of the letters"), choices=LANGUAGE_CHOICES,
                                 initial="auto")

    def __init__(self, *args: Any, organisations: Sequence[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = list(organisations)  # type: ignore[attr-defined]


# --- Your details ------------------------------------------------------------------------------


class LongSelect(forms.Select):
    """A <select> whose options are built in Python rather than one template each.

    Django renders every <option> through a template; for the ~250 countries that alone cost
    more than the rest of the details page. Attributes (crispy's classes, aria-*) are kept.
    """

    def render(self, name: str, value: object, attrs: dict[str, object] | None = None,
               renderer: object = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(label)}</option>"
            for key, label in self.choices
        )
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))


@lru_cache(maxsize=8)
def _countries_in(language: str) -> tuple[tuple[str, str], ...]:
    # django-countries translates and sorts ~250 names on every iteration: once per language.
    with translation.override(language):
        return tuple((code, str(name)) for code, name in countries)


def _country_choices() -> list[tuple[str, str]]:
    return [("", str(_("— choose —"))), *_countries_in(translation.get_language() or "en")]


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def validate_url_lines(text: str) -> None:
    check = URLValidator(schemes=["http", "https"])
    for number, line in enumerate(split_lines(text), start=1):
        try:
            check(line)
        except ValidationError:
            raise ValidationError(NOT_A_URL, code="url", params={"line": number}) from None


def validate_not_future(day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(DATE_IN_FUTURE, code="future")


@dataclass
class _Section:
    legend: str | Promise
    names: list[str] = field(default_factory=list)


class DetailsForm(WizardForm):
    """The sender's details, and only the identifying details the chosen datasets need.

    `groups` come from dsar.wizard.details (one per dataset or per kind of identifier); their
    fields are added here and laid out one fieldset per group.
    """

    step_name = "details"

    name = forms.CharField(label=_("Your full name"), max_length=NAME_MAX)
    other_names = forms.CharField(
        label=_("Other names you are or were known by"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: earlier names, stage names, other spellings."),
    )
    address = forms.CharField(
        label=_("Postal address"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Street and number, postcode and town, one per line; not your country."),
    )
    country = forms.ChoiceField(
        label=_("Country you live in"), widget=LongSelect,
        help_text=_("Printed under your address; it also decides which data protection "
                    "authority you can complain to."),
    )
    region = forms.ChoiceField(label=_("German Land"), choices=GERMAN_LANDS, required=False,
                               help_text=_("Only if you live in Germany."))
    email = forms.EmailField(
        label=_("Email address"), required=False, max_length=254,
        help_text=_("Recommended: many organisations answer by email."),
    )
    phone = PhoneNumberField(label=_("Phone number"), required=False, max_length=40,
                             help_text=_("Optional. Numbers without a +country code are read as "
                                         "numbers of the country you live in."))

    def __init__(self, *args: Any, groups: Iterable[DetailGroup] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A plain list, set per form: callable choices would be re-normalised on every use.
        self.fields["country"].choices = _country_choices()  # type: ignore[attr-defined]
        self._region_for_phone()
        self.groups = list(groups)
        sections = {
            "about": _Section(_("About you"), ["name", "other_names"]),
            "address": _Section(_("Your address"), ["address", "country", "region"]),
            "contact": _Section(_("How organisations can reach you"), ["email", "phone"]),
        }
        for group in self.groups:
            # Groups about the person share one legend and so one fieldset.
            section = sections.setdefault(str(group.legend), _Section(group.legend))
            for detail in group.fields:
                self.fields[detail.name] = _form_field(detail)
                section.names.append(detail.name)
        self.helper.layout = Layout(*(Fieldset(s.legend, *s.names) for s in sections.values()))

    def _region_for_phone(self) -> None:
        """Read a number without +country code as a number of the chosen country."""
        country = (self.data.get(self.add_prefix("country")) or "").upper() if self.is_bound else ""
        names = dict(_countries_in(translation.get_language() or "en"))
        if country and country in names:
            field = self.fields["phone"]
            field.region = country  # type: ignore[attr-defined]
            field.widget.region = country
            example = phonenumbers.example_number(country)
            if example:
                shown = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
                field.error_messages["invalid"] = PHONE_INVALID % {
                    "country": names[country], "example": shown}

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        country, region = cleaned.get("country"), cleaned.get("region")
        if country == "DE" and not region:
            self.add_error("region", LAND_REQUIRED)
        elif country and country != "DE" and region:
            self.add_error("region", LAND_NOT_GERMANY)
        for group in self.groups:
            names = [d.name for d in group.fields if d.one_of]
            if names and not any(cleaned.get(n) for n in names):
                labels = ", ".join(str(self.fields[n].label) for n in names)
                self.add_error(names[0], ValidationError(ONE_OF_REQUIRED, params={"fields": labels}))
        return cleaned


def _form_field(detail: DetailField) -> forms.Field:
    """The form field for one identifying detail."""
    common: dict[str, Any] = {"label": detail.label, "help_text": detail.help_text, "required": detail.required,
              "initial": detail.initial}
    if detail.kind == "flag":
        return forms.BooleanField(**common)
    if detail.kind == "date":
        return forms.DateField(
            **common, validators=[validate_not_future],
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
    if detail.kind == "urls":
        return forms.CharField(**common, max_length=TEXT_MAX, validators=[validate_url_lines],
                               widget=forms.Textarea(attrs={"rows": 3}))
    if detail.kind == "text":
        return forms.CharField(**common, max_length=TEXT_MAX,
                               widget=forms.Textarea(attrs={"rows": 2}))
    return forms.CharField(**common, max_length=LINE_MAX)


# --- Tracking ----------------------------------------------------------------------------------


class TrackingForm(forms.Form):
    """Opt-in to tracking: the one place where something personal goes to the database."""

    email = forms.EmailField(label=_("Your email address"), max_length=254)
    consent = forms.BooleanField(
        label=_("Keep my details and these letters so that dsar can remind me of the deadlines. "
                "I can delete everything at any time."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "post"
        self.helper.form_id = "tracking-form"
        self.helper.form_action = reverse_lazy("wizard:track")
        self.helper.add_input(Submit("_track", _("Track my requests"), css_class="btn-secondary"))
