"""Builders from catalogue models to the letters' plain data. The ONLY letters module that
imports the catalogue: everything else in this app works on dataclasses."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from dsar.catalog.models import Dataset, Organisation, SupervisoryAuthority
from dsar.letters.data import LANGUAGES, Authority, DatasetRef, Recipient, Role

# How the person's identifying details are labelled in a letter (keys of the catalogue's
# IdentifyingDetail), per letter language. The wizard asks with the catalogue's own prompts.
DETAIL_LABELS: dict[str, dict[str, str]] = {
    "name_as_listed": {"en": "Name as listed", "de": "Name im Datensatz", "fr": "Nom figurant dans le jeu"},
    "list_id": {"en": "Identifier in the list", "de": "Kennung in der Liste", "fr": "Identifiant dans la liste"},
    "profession": {"en": "Profession or public role", "de": "Beruf oder öffentliche Rolle",
                   "fr": "Profession ou rôle public"},
    "image_urls": {"en": "Images or pages showing me", "de": "Bilder oder Seiten mit mir",
                   "fr": "Images ou pages me montrant"},
    "imdb_id": {"en": "IMDb name number", "de": "IMDb-Namensnummer", "fr": "Numéro de nom IMDb"},
    "flickr_account": {"en": "Flickr account", "de": "Flickr-Konto", "fr": "Compte Flickr"},
    "flickr_photos": {"en": "Flickr photos", "de": "Flickr-Fotos", "fr": "Photos Flickr"},
    "presence": {"en": "Present at (place, date, time)", "de": "Anwesend (Ort, Datum, Uhrzeit)",
                 "fr": "Présent(e) (lieu, date, heure)"},
    "appearance": {"en": "Appearance at the time", "de": "Aussehen zu dem Zeitpunkt",
                   "fr": "Apparence à ce moment"},
    "reference_photo": {"en": "Reference photo", "de": "Referenzfoto", "fr": "Photo de référence"},
    "youtube_videos": {"en": "YouTube channel and videos", "de": "YouTube-Kanal und Videos",
                       "fr": "Chaîne et vidéos YouTube"},
    "caption": {"en": "Caption or alt text", "de": "Bildunterschrift oder Alt-Text",
                "fr": "Légende ou texte alternatif"},
}


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def letter_language(organisation: Organisation | None, chosen: str) -> str:
    """The letter's language: the organisation's letter_language, else the person's choice."""
    preferred = getattr(organisation, "letter_language", "") if organisation else ""
    if preferred in LANGUAGES:
        return preferred
    return chosen if chosen in LANGUAGES else "en"


def recipient_from_organisation(organisation: Organisation) -> Recipient:
    return Recipient(
        name=organisation.name,
        legal_name=organisation.legal_name,
        address_lines=_lines(organisation.postal_address),
        email=organisation.email,
        webform=organisation.webform,
        country=organisation.country.code or "",  # type: ignore[attr-defined]  # a Country
        language=organisation.letter_language,
        preferred_channel=organisation.preferred_channel,
        eu_representative=_lines(organisation.eu_representative),
    )


def authority_from_model(authority: SupervisoryAuthority) -> Authority:
    return Authority(
        name=authority.name,
        address_lines=_lines(authority.postal_address),
        email=authority.email,
        webform=authority.webform,
        country=authority.country.code or "",  # type: ignore[attr-defined]  # a Country
        region=authority.region,
    )


def recipient_from_authority(authority: SupervisoryAuthority) -> Recipient:
    """An authority as the addressee of a complaint."""
    channel = "post" if authority.postal_address else ("webform" if authority.webform else "email")
    return Recipient(
        name=authority.name,
        address_lines=_lines(authority.postal_address),
        email=authority.email,
        webform=authority.webform,
        country=authority.country.code or "",  # type: ignore[attr-defined]  # a Country
        preferred_channel=channel,
    )


def dataset_ref(
    dataset: Dataset,
    *,
    language: str,
    details: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    role: Role = "user",
) -> DatasetRef:
    """A dataset for a letter. `details` maps IdentifyingDetail keys (or ready labels) to the
    person's values; keys are labelled in the letter's language, blank values are left out."""
    pairs = details.items() if isinstance(details, Mapping) else details
    labelled = tuple(
        (DETAIL_LABELS.get(key, {}).get(language, key), value.strip())
        for key, value in pairs
        if value and value.strip()
    )
    return DatasetRef(
        name=dataset.name,
        aliases=tuple(dataset.aliases),
        derivatives=tuple(d.name for d in dataset.derivatives.all()),
        identifying_details=labelled,
        role=role,
        # The year reads the same in every language; the exact day is on the dataset's page.
        withdrawn=str(dataset.withdrawn_on.year if dataset.withdrawn_on else dataset.withdrawn_year or ""),
        publisher=dataset.publisher.name if dataset.publisher else dataset.publisher_credit,
    )


# --- Look-ups by slug, for callers that hold only slugs (the demo command, bulk work) ----------


def recipient_for_slug(slug: str) -> Recipient:
    return recipient_from_organisation(Organisation.objects.get(slug=slug))


def organisation_language(slug: str, chosen: str) -> str:
    return letter_language(Organisation.objects.filter(slug=slug).first(), chosen)


def dataset_ref_for_slug(
    slug: str,
    *,
    language: str,
    recipient_slug: str = "",
    details: Mapping[str, str] | Iterable[tuple[str, str]] = (),
) -> DatasetRef:
    """A dataset with the recipient's role in it taken from the catalogue (publisher, user,
    host of a derivative); an organisation without a recorded use counts as a user."""
    dataset = Dataset.objects.prefetch_related("derivatives").select_related("publisher").get(slug=slug)
    role: Role = "user"
    if recipient_slug:
        roles = set(dataset.uses.filter(organisation__slug=recipient_slug).values_list("role", flat=True))
        if dataset.publisher and dataset.publisher.slug == recipient_slug:
            roles.add("publisher")
        role = next((r for r in ("publisher", "derivative_host", "user") if r in roles), "user")
    return dataset_ref(dataset, language=language, details=details, role=role)


def authority_for_country(country: str, region: str = "") -> tuple[Authority, Recipient] | None:
    """The authority for a resident of `country` (catalog selector), as named party and addressee."""
    from dsar.catalog.selectors import authority_for_residence

    found = authority_for_residence(country, region)
    if found is None:
        return None
    return authority_from_model(found), recipient_from_authority(found)
