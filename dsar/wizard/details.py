"""Which identifying details a letter about each dataset needs, and how they read in the letter.

A letter can only be answered if the organisation can find the person in its copy: a name for
name-keyed sets (MS-Celeb-1M, VGG Face...), a Flickr account for the Flickr sets, "I was there"
for the camera sets. Source: ../shared/catalog/eligibility-facts.md, "Letter" of each dataset.
Only the groups of the chosen datasets are asked (DetailsForm), and a group shared by several
datasets (the Flickr account) is asked once.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, cast

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FieldKind = Literal["line", "text", "urls", "date", "flag"]


@dataclass(frozen=True)
class DetailField:
    key: str  # the catalogue's IdentifyingDetail key the value is printed under in a letter
    name: str
    label: str | Promise
    kind: FieldKind = "line"
    required: bool = False
    help_text: str | Promise = ""
    initial: object = None
    # At least one field marked one_of in a group must be filled in.
    one_of: bool = False


@dataclass(frozen=True)
class DetailGroup:
    key: str
    legend: str | Promise
    fields: tuple[DetailField, ...]
    datasets: tuple[str, ...]  # slugs whose letters use this group


@dataclass(frozen=True)
class DatasetInfo:
    """What this module needs to know about a dataset (from catalog.Dataset)."""

    slug: str
    name: str
    # Keys of catalog.models.IdentifyingDetail: what the catalogue says a letter should give.
    needs: tuple[str, ...] = ()
    place: str = ""  # where a camera set was recorded
    time: str = ""  # when, as the catalogue words it ("14 March 2014", "Oct-Nov 2014")


# Identifying details that are about the person, not about one dataset: asked once, whichever
# datasets need them. The rest (presence, appearance, list ids) are asked per dataset.
SHARED = ("profession", "name_as_listed", "imdb_id", "flickr_account", "flickr_photos",
          "youtube_videos", "image_urls", "caption", "reference_photo")


def _shared_fields() -> dict[str, tuple[DetailField, ...]]:
    return {
        "profession": (DetailField("profession", "profession", _("Your profession or public role"),
                       required=True, help_text=_("For example: journalist, actor, researcher, "
                                                  "activist.")),),
        "name_as_listed": (DetailField("name_as_listed", "name_as_listed", _("Your name as the datasets list it"),
                           help_text=_("If you found yourself in a name list and it spells your "
                                       "name differently.")),),
        "imdb_id": (DetailField("imdb_id", "imdb_id", _("IMDb name number"),
                    help_text=_("The nm number in your IMDb address, e.g. nm0000123.")),),
        "flickr_account": (DetailField("flickr_account", "flickr_account",
                           _("Flickr username, NSID or profile address"), one_of=True),),
        "flickr_photos": (DetailField("flickr_photos", "flickr_photos", _("Addresses of Flickr photos that show "
                          "you"), kind="urls", one_of=True, help_text=_("One per line.")),),
        "youtube_videos": (
            DetailField("youtube_videos", "youtube_channel", _("YouTube channel name or address"), required=True),
            DetailField("youtube_videos", "youtube_videos", _("Addresses of the videos"), kind="urls",
                        help_text=_("One per line, with the upload dates if you know them.")),
        ),
        "image_urls": (DetailField("image_urls", "image_urls", _("Web pages or images that show you"),
                       kind="urls", help_text=_("One web address per line: your profile, "
                                                "press photos, pages with pictures of you.")),),
        "caption": (DetailField("caption", "caption", _("Caption or alt text of those images"), kind="text"),),
        "reference_photo": (DetailField("reference_photo", "reference_photo", _("Offer a reference photo"),
                            kind="flag", initial=True, help_text=_(
                                "The letter offers a photo of you for verification only; "
                                "you send it only if they ask.")),),
    }


def _single_day(text: str) -> str | None:
    """ "14 March 2014" -> "2014-03-14"; anything vaguer -> None."""
    try:
        return dt.datetime.strptime(text.strip(), "%d %B %Y").date().isoformat()
    except ValueError:
        return None


def _own_fields(dataset: DatasetInfo) -> tuple[DetailField, ...]:
    """Fields about this dataset only: the visit to a camera site, the list identifier."""
    p = dataset.slug.replace("-", "_")
    fields: list[DetailField] = []
    if "presence" in dataset.needs:
        day = _single_day(dataset.time)
        recorded = _("Recorded: %(time)s.") % {"time": dataset.time} if dataset.time else ""
        fields += [
            DetailField("presence", f"{p}_date", _("The day you were there"), kind="date",
                        required=day is not None, initial=day, help_text=recorded),
            DetailField("presence", f"{p}_when", _("Approximate time, or the period"),
                        required=day is None, help_text=_(
                            "For example: around noon; spring semester 2013, Mondays at 12:30.")),
            DetailField("presence", f"{p}_place", _("Where exactly"), kind="text", required=True,
                        initial=dataset.place, help_text=_(
                            "The spot, entrance or path, and which way you walked.")),
        ]
    if "appearance" in dataset.needs:
        fields.append(DetailField("appearance", f"{p}_appearance", _("What you looked like then"), kind="text",
                                  help_text=_("Clothing, bag or bike, who you were with.")))
    if "list_id" in dataset.needs:
        fields.append(DetailField("list_id", f"{p}_list_id", _("Your identifier in this dataset, if known"),
                                  help_text=_("For example a Freebase MID (m.0abc12) or a class "
                                              "number (n000123).")))
    return tuple(fields)


def groups_for(datasets: Iterable[DatasetInfo]) -> list[DetailGroup]:
    """The detail groups the letters about `datasets` need: one group of details about the
    person (each asked once) and one group per dataset with its own details, in a stable order."""
    datasets = list(datasets)
    shared = _shared_fields()
    users: dict[str, list[str]] = {}
    for dataset in datasets:
        for need in dataset.needs:
            if need in shared:
                users.setdefault(need, []).append(dataset.slug)
    groups = [DetailGroup(key, _("About you in these datasets"), shared[key], tuple(slugs))
              for key in SHARED if (slugs := users.get(key))]
    for dataset in datasets:
        own = _own_fields(dataset)
        if own:
            legend = _("For the letters about %(dataset)s") % {"dataset": dataset.name}
            groups.append(DetailGroup(dataset.slug, legend, own, (dataset.slug,)))
    return groups


def identifying_details(
    group_list: Iterable[DetailGroup], cleaned: Mapping[str, object], dataset_slug: str
) -> list[tuple[str, str]]:
    """(IdentifyingDetail key, value) pairs for the letter about `dataset_slug`, from the cleaned
    details form, in the active language (the caller activates the letter's). The parts of a
    visit (date, time, place) become one "presence" value."""
    values: dict[str, list[str]] = {}
    for group in group_list:
        if dataset_slug not in group.datasets:
            continue
        for detail in group.fields:
            value = cleaned.get(detail.name)
            if value in (None, "", False):
                continue
            if detail.kind == "flag":
                text = str(_("available on request, for verification only"))
            elif detail.kind == "date":
                text = date_format(cast(dt.date, value), "DATE_FORMAT")
            else:
                text = "; ".join(line.strip() for line in str(value).splitlines() if line.strip())
            values.setdefault(detail.key, []).append(text)
    return [(key, ", ".join(parts)) for key, parts in values.items()]
