"""The catalogue: withdrawn face datasets, the organisations that published or used them, the
data protection authorities, and the eligibility questions that connect a person to datasets.

Every record carries its sources (a generic relation to `Source`, so the admin shows them inline
and pages list them next to the fact they support). Facts that could not be confirmed are kept
as such (`unconfirmed` lists, `contact_quality`), never promoted to certainty.

Other apps code against these field names (see COMMON.md "Contracts"): letters builds
recipients from `Organisation` and `SupervisoryAuthority`, the wizard reads the questions.
"""
from __future__ import annotations

import holidays
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from dsar import languages

# The snapshot of datenanfragen/data (CC0) that organisation and authority records come from.
DATENANFRAGEN_REPO = "datenanfragen/data"
DATENANFRAGEN_COMMIT = "0a29c3d6feee53b02e73204a3dbd312eafe56629"

TRANSLATION_LANGUAGES = languages.CODES


def localized(texts: dict[str, str] | None, language: str | None = None) -> str:
    """Pick the text for `language` (default: the active one) from a {"en": ..., "de": ...} map.

    Falls back to English, then to any text at all, so a missing translation never shows a blank.
    """
    if not texts:
        return ""
    code = (language or get_language() or "en").split("-")[0].lower()
    return texts.get(code) or texts.get("en") or next(iter(texts.values()), "")


def validate_translations(value: object) -> None:
    """A translatable text: a dict of language code -> non-empty text, English required."""
    if not isinstance(value, dict) or not value.get("en"):
        raise ValidationError(_("An English text is required."), code="missing_english")
    unknown = set(value) - set(TRANSLATION_LANGUAGES)
    if unknown:
        raise ValidationError(
            _("Unknown language code(s): %(codes)s"), params={"codes": ", ".join(sorted(unknown))}
        )
    if not all(isinstance(text, str) and text.strip() for text in value.values()):
        raise ValidationError(_("Every translation must be a non-empty text."), code="empty")


def validate_text_list(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValidationError(_("Expected a list of non-empty texts."), code="not_a_text_list")


class ContactQuality(models.TextChoices):
    VERIFIED = "verified", _("verified")
    PUBLIC_RECORD = "public_record", _("from a public record")
    UNCONFIRMED = "unconfirmed", _("unconfirmed")
    NONE = "none", _("no contact found")


class Channel(models.TextChoices):
    POST = "post", _("post")
    EMAIL = "email", _("email")
    WEBFORM = "webform", _("web form")


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("company")
    UNIVERSITY = "university", _("university")
    INSTITUTE = "institute", _("research institute")
    NONPROFIT = "nonprofit", _("non-profit")


class Establishment(models.TextChoices):
    """Where the entity a letter goes to is established, which decides its law and authority."""

    EU = "eu", _("established in the EU/EEA")
    EU_ENTITY = "eu_entity", _("EU/EEA entity of a group based outside the EU/EEA")
    UK = "uk", _("established in the United Kingdom")
    CH = "ch", _("established in Switzerland")
    REPRESENTATIVE = "representative", _(
        "outside the EU/EEA, the UK and Switzerland; letters go to its Art. 27 representative"
    )
    THIRD_COUNTRY = "third_country", _(
        "outside the EU/EEA, the UK and Switzerland; no representative known"
    )
    UNKNOWN = "unknown", _("seat not established")


class LawRegime(models.TextChoices):
    """The regime a letter invokes. The codes are dsar.letters.law's `RegimeCode`s."""

    GDPR = "gdpr", _("GDPR")
    UK_GDPR = "uk_gdpr", _("UK GDPR and Data Protection Act 2018")
    CH_FADP = "ch_fadp", _("Swiss Federal Act on Data Protection (revised FADP)")
    THIRD_COUNTRY = "third_country", _("GDPR through Art. 3(2)(b) (controller outside the EU)")


# EU member states plus Iceland, Liechtenstein and Norway: the GDPR's own territory.
EEA_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split()
)
# Which establishment goes with which regime and where its entity may sit (Organisation.clean).
REGIME_OF_ESTABLISHMENT = {
    Establishment.EU: LawRegime.GDPR,
    Establishment.EU_ENTITY: LawRegime.GDPR,
    Establishment.UK: LawRegime.UK_GDPR,
    Establishment.CH: LawRegime.CH_FADP,
    Establishment.REPRESENTATIVE: LawRegime.THIRD_COUNTRY,
    Establishment.THIRD_COUNTRY: LawRegime.THIRD_COUNTRY,
    Establishment.UNKNOWN: LawRegime.THIRD_COUNTRY,
}
BAD_SUBDIVISION = _("Use the ISO 3166-2 code of a subdivision of the country, e.g. DE-BY or GB-SCT.")
SUBDIVISION_WITHOUT_COUNTRY = _("A subdivision needs the country it belongs to.")
REGIME_MISMATCH = _("This establishment goes with the regime “%(regime)s”.")
COUNTRY_MISMATCH = _("This establishment does not fit an entity in this country.")
ALSO_GDPR_ONLY_UK_CH = _("Only a UK or Swiss controller can also be under the GDPR through Art. 3(2).")
REPRESENTATIVE_MISSING = _("Name the Art. 27 representative and give its address and EU/EEA country.")
NOT_A_REPRESENTATIVE = _("Only an entity that letters reach through a representative has one here.")


def country_code(value: object) -> str:
    """The ISO code of a CountryField value ("" when blank); django-countries has no types."""
    return str(getattr(value, "code", value) or "")


def subdivision_problem(country: str, subdivision: str) -> str | None:
    """Why `subdivision` ("DE-BY") is not a subdivision of `country` the holiday calendars know;
    None when it is (or is blank). The clock (dsar.cases.deadlines) counts its holidays."""
    if not subdivision:
        return None
    if not country:
        return str(SUBDIVISION_WITHOUT_COUNTRY)
    code, _dash, part = subdivision.partition("-")
    try:
        known = holidays.country_holidays(country).subdivisions
    except NotImplementedError:
        known = ()
    if code != country or part not in known:
        return str(BAD_SUBDIVISION)
    return None


class RecordOrigin(models.TextChoices):
    DATENANFRAGEN = "datenanfragen", _("datenanfragen.de record (CC0)")
    OWN_RESEARCH = "own_research", _("catalogue research")


class Source(models.Model):
    """One source for one fact of one catalogue record.

    `url` may be blank when the source is not a web page (e.g. "public code: a repository's
    README"); `note` then says what it is. `supports` names the fact (e.g. "withdrawal",
    "contact", "capture") so a page can show the source next to what it backs.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    supports = models.CharField(_("supports"), max_length=60, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["content_type", "object_id", "position", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.url or self.note[:80]

    def clean(self) -> None:
        if not self.url and not self.note.strip():
            raise ValidationError(_("A source needs a URL or a note saying what it is."))

    def as_tuple(self) -> tuple[str, str, str]:
        return (self.supports, self.url, self.note)


class CatalogRecord(models.Model):
    """Fields every catalogue record shares: its slug, its sources and when it was last checked."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    unconfirmed = models.JSONField(
        _("unconfirmed points"), default=list, blank=True, validators=[validate_text_list],
        help_text=_("Facts that could not be confirmed; pages show them labelled as such."),
    )
    last_checked = models.DateField(_("last checked"), null=True, blank=True)
    sources = GenericRelation(Source)

    class Meta:
        abstract = True


class Organisation(CatalogRecord):
    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(
        _("legal entity"), max_length=300, blank=True,
        help_text=_("The legal entity that answers privacy requests."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = CountryField(_("country"), blank=True)
    country_note = models.CharField(_("country note"), max_length=200, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    email = models.EmailField(_("privacy email"), blank=True)
    webform = models.URLField(_("privacy web form"), max_length=500, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    eu_representative = models.TextField(
        _("EU representative (Art. 27), notes"), blank=True,
        help_text=_("What is known about a representative (admin only; letters use the fields below)."),
    )
    # Law by addressee: the entity written to (legal_name, postal_address, country, subdivision)
    # decides the law, the authority and the holidays of the clock, not the group's head office.
    subdivision = models.CharField(
        _("subdivision"), max_length=10, blank=True,
        help_text=_("ISO 3166-2 code of the entity's region where its holidays differ (DE-BY, GB-SCT, US-WA)."),
    )
    establishment = models.CharField(
        _("establishment"), max_length=20, choices=Establishment.choices, blank=True,
    )
    law_regime = models.CharField(
        _("law regime"), max_length=20, choices=LawRegime.choices, blank=True,
        help_text=_("The law a letter to this entity invokes and its clock counts by."),
    )
    gdpr_also_applies = models.BooleanField(
        _("GDPR also applies (Art. 3(2))"), default=False,
        help_text=_("A UK or Swiss controller that the GDPR reaches as well."),
    )
    representative_name = models.CharField(_("Art. 27 representative"), max_length=300, blank=True)
    representative_address = models.TextField(_("representative's postal address"), blank=True)
    representative_country = CountryField(_("representative's country"), blank=True)
    representative_email = models.EmailField(_("representative's email"), blank=True)
    law_note = models.TextField(
        _("law note"), blank=True,
        help_text=_("Why this entity, country and law (admin only; never printed in a letter)."),
    )
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, default=Channel.POST
    )
    letter_language = models.CharField(
        _("letter language"), max_length=2, choices=languages.choices, default=languages.DEFAULT,
    )
    contact_quality = models.CharField(
        _("contact quality"), max_length=20, choices=ContactQuality.choices,
        default=ContactQuality.NONE,
    )
    contact_note = models.TextField(
        _("contact note"), blank=True,
        help_text=_("What is known about reaching them, and what is still to be confirmed."),
    )
    notes = models.JSONField(_("notes"), default=list, blank=True, validators=[validate_text_list])
    origin = models.CharField(_("record origin"), max_length=20, choices=RecordOrigin.choices)
    upstream_repo = models.CharField(_("upstream repository"), max_length=100, blank=True)
    upstream_commit = models.CharField(_("upstream snapshot commit"), max_length=40, blank=True)
    upstream_path = models.CharField(_("upstream path"), max_length=200, blank=True)
    upstream_licence = models.CharField(_("upstream licence"), max_length=40, blank=True)
    upstream_record = models.JSONField(
        _("upstream record"), null=True, blank=True,
        help_text=_("The datenanfragen record verbatim, where one exists."),
    )
    # Set by dsar.mailbox when mail to the privacy address bounced permanently; staff clear it
    # once the contact is fixed. Not in the catalogue files: load_catalog leaves it alone.
    contact_failing_on = models.DateField(
        _("contact failing since"), null=True, blank=True,
        help_text=_("Email to the privacy address bounced on this day."),
    )
    contact_failing_reason = models.CharField(_("why the contact fails"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems: dict[str, str] = {}
        country = country_code(self.country)
        problem = subdivision_problem(country, self.subdivision)
        if problem:
            problems["subdivision"] = problem
        if self.establishment:
            problems.update(self._regime_problems(country))
        if self.gdpr_also_applies and self.law_regime not in (LawRegime.UK_GDPR, LawRegime.CH_FADP):
            problems["gdpr_also_applies"] = str(ALSO_GDPR_ONLY_UK_CH)
        if problems:
            raise ValidationError(problems)

    def _regime_problems(self, country: str) -> dict[str, str]:
        problems: dict[str, str] = {}
        wanted = REGIME_OF_ESTABLISHMENT[Establishment(self.establishment)]
        if self.law_regime != wanted:
            problems["law_regime"] = str(REGIME_MISMATCH % {"regime": wanted.label})
        if not _country_fits(Establishment(self.establishment), country):
            problems["country"] = str(COUNTRY_MISMATCH)
        via_representative = self.establishment == Establishment.REPRESENTATIVE
        rep_country = country_code(self.representative_country)
        if via_representative and not (
            self.representative_name and self.representative_address and rep_country in EEA_COUNTRIES
        ):
            problems["representative_name"] = str(REPRESENTATIVE_MISSING)
        if not via_representative and (self.representative_name or self.representative_address):
            problems["representative_name"] = str(NOT_A_REPRESENTATIVE)
        return problems

    @property
    def writes_to_representative(self) -> bool:
        """Letters go to the Art. 27 representative (the catalogue knows one), not the controller."""
        return self.establishment == Establishment.REPRESENTATIVE

    @property
    def has_confirmed_contact(self) -> bool:
        """True when a letter can go to an address that a reliable source confirms."""
        confirmed = self.contact_quality in (ContactQuality.VERIFIED, ContactQuality.PUBLIC_RECORD)
        return confirmed and bool(self.email or self.webform or self.postal_address)


def _country_fits(establishment: Establishment, country: str) -> bool:
    if establishment in (Establishment.EU, Establishment.EU_ENTITY):
        return country in EEA_COUNTRIES
    if establishment == Establishment.UK:
        return country == "GB"
    if establishment == Establishment.CH:
        return country == "CH"
    if establishment == Establishment.UNKNOWN:
        return True
    return bool(country) and country not in EEA_COUNTRIES | {"GB", "CH"}


class DatasetStatus(models.TextChoices):
    WITHDRAWN = "withdrawn", _("withdrawn")
    NO_LONGER_DISTRIBUTED = "no_longer_distributed", _("no longer distributed")
    RE_RELEASED = "re_released", _("re-released")
    NOT_WITHDRAWN = "not_withdrawn", _("not withdrawn")
    UNCONFIRMED = "unconfirmed", _("unconfirmed")


class IdentifyingDetail(models.TextChoices):
    """What a person can give in a letter so the holder of a dataset can find them."""

    NAME_AS_LISTED = "name_as_listed", _("your name exactly as the dataset lists it")
    LIST_ID = "list_id", _("the identifier the dataset's name list gives you")
    PROFESSION = "profession", _("your profession or public role")
    IMAGE_URLS = "image_urls", _("addresses (URLs) of images or pages showing you")
    IMDB_ID = "imdb_id", _("your IMDb name number (nm...)")
    FLICKR_ACCOUNT = "flickr_account", _("your Flickr username or NSID")
    FLICKR_PHOTOS = "flickr_photos", _("addresses or IDs of your Flickr photos")
    PRESENCE = "presence", _("when and where you were there (date, approximate time, place)")
    APPEARANCE = "appearance", _("what you wore or carried, who you were with")
    REFERENCE_PHOTO = "reference_photo", _("an offer of a reference photo, for verification only")
    YOUTUBE_VIDEOS = "youtube_videos", _("your channel name, video addresses and upload dates")
    CAPTION = "caption", _("the caption or alt text that went with the image")


class Dataset(CatalogRecord):
    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(
        _("aliases"), default=list, blank=True, validators=[validate_text_list]
    )
    publisher = models.ForeignKey(
        Organisation, verbose_name=_("publisher"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="published_datasets",
    )
    publisher_credit = models.CharField(
        _("publisher as credited"), max_length=300,
        help_text=_("The publisher as the dataset credits it (group, authors)."),
    )
    released_year = models.PositiveSmallIntegerField(_("released"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=DatasetStatus.choices)
    status_note = models.CharField(_("status in detail"), max_length=300, blank=True)
    withdrawn_year = models.PositiveSmallIntegerField(_("withdrawn"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal = models.TextField(_("how it was withdrawn"), blank=True)
    images = models.TextField(_("images"), blank=True)
    identities = models.TextField(_("identities"), blank=True)
    collection_method = models.TextField(_("how it was collected"), blank=True)
    people_included = models.TextField(_("who is in it"), blank=True)
    capture_place = models.TextField(_("capture place"), blank=True)
    capture_time = models.CharField(_("capture time"), max_length=300, blank=True)
    opt_out = models.TextField(_("opt-out offered"), blank=True)
    use_after_withdrawal = models.TextField(_("use after withdrawal"), blank=True)
    legal_note = models.TextField(_("legal note"), blank=True)
    self_check_name = models.CharField(_("self-check"), max_length=300, blank=True)
    self_check_url = models.URLField(_("self-check link"), max_length=500, blank=True)
    identifying_details = models.JSONField(
        _("identifying details for a letter"), default=list, blank=True,
        help_text=_("Keys of IdentifyingDetail the letter should ask the person for."),
    )
    letter_note = models.TextField(
        _("letter note"), blank=True,
        help_text=_("Dataset-specific facts a letter should cite (item numbers, file names)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        valid = set(IdentifyingDetail.values)
        details = self.identifying_details
        if not isinstance(details, list) or not set(details) <= valid:
            raise ValidationError(
                {"identifying_details": _("Unknown identifying detail; use IdentifyingDetail keys.")}
            )

    def get_identifying_details_display(self) -> list[str]:
        return [str(IdentifyingDetail(key).label) for key in self.identifying_details]

    @property
    def status_detail(self) -> str:
        """The researched status text, unless it only repeats the status itself."""
        note = self.status_note.strip()
        return "" if note.lower() in {self.status, self.status.replace("_", " ")} else note

    @property
    def withdrawn_display(self) -> str:
        if self.withdrawn_on:
            return self.withdrawn_on.isoformat()
        return str(self.withdrawn_year) if self.withdrawn_year else ""


class Derivative(models.Model):
    """A copy or derived dataset of a withdrawn one (e.g. MS1MV2 of MS-Celeb-1M)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="derivatives")
    slug = models.SlugField(_("slug"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(
        _("aliases"), default=list, blank=True, validators=[validate_text_list]
    )
    where = models.TextField(_("where"), blank=True)
    counts = models.CharField(_("size"), max_length=300, blank=True)
    # None: nobody established whether it is still out there.
    still_circulating = models.BooleanField(_("still circulating"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    sources = GenericRelation(Source)

    class Meta:
        ordering = ["dataset", "name"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "slug"], name="derivative_unique_slug")
        ]
        verbose_name = _("derivative")
        verbose_name_plural = _("derivatives")

    def __str__(self) -> str:
        return self.name


class UseRole(models.TextChoices):
    PUBLISHER = "publisher", _("publisher")
    USER = "user", _("user")
    DERIVATIVE_HOST = "derivative_host", _("host of a derivative")


class DatasetUse(models.Model):
    """An organisation's link to a dataset, with the basis of the claim.

    A claim based on a list (AIAAIC operators, citation analyses) means the organisation's
    researchers used the dataset; it does not prove the organisation still holds it.
    `list_based` lets pages and letters say so.
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="uses")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="dataset_uses"
    )
    role = models.CharField(_("role"), max_length=20, choices=UseRole.choices)
    basis = models.TextField(_("basis of the claim"))
    list_based = models.BooleanField(
        _("list-based evidence"), default=False,
        help_text=_("Named only in a list of users: shows use by researchers, not current holding."),
    )
    sources = GenericRelation(Source)

    class Meta:
        ordering = ["dataset", "role", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "organisation", "role"], name="dataset_use_unique"
            )
        ]
        verbose_name = _("dataset use")
        verbose_name_plural = _("dataset uses")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.dataset} ({self.role})"

    @property
    def key(self) -> str:
        return f"{self.dataset.slug}/{self.organisation.slug}/{self.role}"


class AuthorityScope(models.TextChoices):
    NATIONAL = "national", _("national")
    FEDERAL = "federal", _("federal")
    REGIONAL = "regional", _("regional (German Land)")
    CHURCH = "church", _("church")
    BROADCASTING = "broadcasting", _("public broadcasting")


class SupervisoryAuthority(CatalogRecord):
    name = models.CharField(_("name"), max_length=300)
    country = CountryField(_("country"))
    # ISO 3166-2 code of a German Land ("DE-BY"); blank for national authorities.
    region = models.CharField(_("region"), max_length=6, blank=True, db_index=True)
    scope = models.CharField(_("scope"), max_length=20, choices=AuthorityScope.choices)
    scope_note = models.TextField(_("scope in detail"), blank=True)
    private_sector = models.BooleanField(
        _("supervises companies"), default=True,
        help_text=_("False for authorities that supervise only public bodies (e.g. BayLfD)."),
    )
    postal_address = models.TextField(_("postal address"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    fax = PhoneNumberField(_("fax"), blank=True)
    webform = models.URLField(_("web form"), max_length=500, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    complaint_language = models.CharField(_("complaint language"), max_length=10, blank=True)
    upstream_repo = models.CharField(_("upstream repository"), max_length=100, blank=True)
    upstream_commit = models.CharField(_("upstream snapshot commit"), max_length=40, blank=True)
    upstream_path = models.CharField(_("upstream path"), max_length=200, blank=True)
    upstream_licence = models.CharField(_("upstream licence"), max_length=40, blank=True)

    class Meta:
        ordering = ["country", "region", "name"]
        verbose_name = _("supervisory authority")
        verbose_name_plural = _("supervisory authorities")

    def __str__(self) -> str:
        return self.name


class EligibilityQuestion(models.Model):
    """A yes/no question of the public flow. Texts are {"en": ..., "de": ..., "fr": ...}."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    texts = models.JSONField(_("question"), validators=[validate_translations])
    help_texts = models.JSONField(_("help"), null=True, blank=True)
    # A self-check follow-up ("Is your name in FaceScrub's list?") names the questions it follows
    # up (["credited-actor"]): the public flow asks it only when one of them was not answered
    # "no", after all the questions that follow none up.
    follows = models.JSONField(
        _("follows up"),
        default=list,
        blank=True,
        help_text=_("Slugs of the questions this one follows up; it is asked only if one of them was not answered “no”."),
    )
    sources = GenericRelation(Source)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("eligibility question")
        verbose_name_plural = _("eligibility questions")

    def __str__(self) -> str:
        return self.slug

    def clean(self) -> None:
        if self.help_texts:
            try:
                validate_translations(self.help_texts)
            except ValidationError as error:
                raise ValidationError({"help_texts": error.messages}) from error

    @property
    def text(self) -> str:
        return localized(self.texts)

    @property
    def help_text(self) -> str:
        return localized(self.help_texts)


class Strength(models.TextChoices):
    LIKELY = "likely", _("likely")
    POSSIBLE = "possible", _("possible")


STRENGTH_RANK = {Strength.LIKELY: 2, Strength.POSSIBLE: 1}


class EligibilityOutcome(models.Model):
    """One answer to one question pointing at one dataset, with how sure and why."""

    question = models.ForeignKey(
        EligibilityQuestion, on_delete=models.CASCADE, related_name="outcomes"
    )
    answer = models.CharField(_("answer"), max_length=20, default="yes")
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="eligibility_outcomes"
    )
    strength = models.CharField(_("strength"), max_length=10, choices=Strength.choices)
    reasons = models.JSONField(_("reason"), validators=[validate_translations])

    class Meta:
        ordering = ["question", "dataset"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "answer", "dataset"], name="eligibility_outcome_unique"
            )
        ]
        verbose_name = _("eligibility outcome")
        verbose_name_plural = _("eligibility outcomes")

    def __str__(self) -> str:
        return f"{self.question.slug}={self.answer} -> {self.dataset.slug}"

    @property
    def reason(self) -> str:
        return localized(self.reasons)
