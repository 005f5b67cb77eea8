"""load_catalog: validate everything, then upsert by slug in one transaction."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from dsar.catalog.models import (
    Dataset,
    DatasetUse,
    EligibilityOutcome,
    EligibilityQuestion,
    Organisation,
    Source,
    SupervisoryAuthority,
)
from dsar.catalog.services import MISSING_SOURCE, catalog_load
from tests.catalog.conftest import record

pytestmark = pytest.mark.django_db


def shipped(filename: str, key: str) -> list[dict]:
    return json.loads((settings.DSAR_CATALOG_PATH / filename).read_text())[key]


def test_the_data_migration_loads_the_shipped_catalogue():
    assert Dataset.objects.count() == len(shipped("datasets.json", "datasets")) == 16
    assert SupervisoryAuthority.objects.count() == 57
    assert Organisation.objects.count() == len(shipped("organisations.json", "organisations"))


def test_it_creates_everything_then_a_second_run_changes_nothing(empty_catalog):
    first = catalog_load()
    second = catalog_load()

    assert first.counts["Dataset"].created == 16
    assert first.counts["SupervisoryAuthority"].created == 57
    assert first.counts["DatasetUse"].created == len(shipped("uses.json", "uses"))
    for name, counts in second.counts.items():
        assert (counts.created, counts.updated) == (0, 0), name
    assert second.counts["Organisation"].unchanged == Organisation.objects.count()
    assert second.counts["Source"].unchanged == Source.objects.count()


def test_it_prints_counts_per_model():
    out = StringIO()
    call_command("load_catalog", stdout=out)

    lines = out.getvalue().splitlines()
    assert any(line.startswith("Dataset") and "created    0  updated    0  unchanged   16" in line
               for line in lines)
    assert len(lines) == 8


def test_it_updates_a_changed_record_and_its_sources(catalog_dir, edit_catalog):
    def rename(datasets):
        record(datasets, "brainwash")["name"] = "Brainwash (renamed)"
        record(datasets, "brainwash")["sources"].append(
            {"supports": "general", "url": "https://example.org/new", "note": ""})

    edit_catalog("datasets.json", "datasets", rename)
    report = catalog_load(path=catalog_dir)

    assert report.counts["Dataset"].updated == 1
    assert report.counts["Dataset"].unchanged == 15
    dataset = Dataset.objects.get(slug="brainwash")
    assert dataset.name == "Brainwash (renamed)"
    assert dataset.sources.filter(url="https://example.org/new").exists()


def test_it_loads_nothing_when_not_empty_and_asked_for_if_empty(catalog_dir, edit_catalog):
    edit_catalog("datasets.json", "datasets",
                 lambda datasets: record(datasets, "lfw").update(name="changed"))
    out = StringIO()
    call_command("load_catalog", str(catalog_dir), "--if-empty", stdout=out)

    assert "nothing loaded" in out.getvalue()
    assert Dataset.objects.get(slug="lfw").name == record(shipped("datasets.json", "datasets"), "lfw")["name"]


def test_it_loads_with_if_empty_on_an_empty_database(empty_catalog):
    call_command("load_catalog", "--if-empty", stdout=StringIO())

    assert Dataset.objects.count() == 16


def assert_rejected(catalog_dir, *fragments: str) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("load_catalog", str(catalog_dir), stdout=StringIO())
    message = str(raised.value)
    assert "nothing was written" in message
    for fragment in fragments:
        assert fragment in message


def test_it_rejects_a_record_without_source_and_writes_nothing(
    empty_catalog, catalog_dir, edit_catalog
):
    edit_catalog("organisations.json", "organisations",
                 lambda orgs: record(orgs, "megvii").update(sources=[]))

    assert_rejected(catalog_dir, "organisations.json", "'megvii'", "'sources'", MISSING_SOURCE)
    assert Organisation.objects.count() == 0
    assert Source.objects.count() == 0


def test_it_rejects_a_bad_email_and_writes_nothing(catalog_dir, edit_catalog):
    edit_catalog("organisations.json", "organisations",
                 lambda orgs: record(orgs, "nvidia").update(email="privacy-at-nvidia"))
    edit_catalog("datasets.json", "datasets",
                 lambda datasets: record(datasets, "lfw").update(name="changed"))

    assert_rejected(catalog_dir, "organisations.json", "'nvidia'", "'email'")
    assert Organisation.objects.get(slug="nvidia").email == "privacy@nvidia.com"
    assert Dataset.objects.get(slug="lfw").name != "changed"


def test_it_rejects_a_use_of_an_unknown_dataset(empty_catalog, catalog_dir, edit_catalog):
    edit_catalog("uses.json", "uses", lambda uses: uses[0].update(dataset="no-such-set"))

    assert_rejected(catalog_dir, "uses.json", "no-such-set", "'dataset'")
    assert DatasetUse.objects.count() == 0
    assert Dataset.objects.count() == 0


def test_it_rejects_a_bad_phone_number(empty_catalog, catalog_dir, edit_catalog):
    edit_catalog("authorities.json", "authorities",
                 lambda items: record(items, "atdsb").update(phone="12"))

    assert_rejected(catalog_dir, "authorities.json", "'atdsb'", "'phone'")
    assert SupervisoryAuthority.objects.count() == 0


def test_it_rejects_an_unknown_publisher(empty_catalog, catalog_dir, edit_catalog):
    edit_catalog("datasets.json", "datasets",
                 lambda datasets: record(datasets, "uccs").update(publisher="nobody"))

    assert_rejected(catalog_dir, "datasets.json", "'uccs'", "'publisher'", "nobody")
    assert Dataset.objects.count() == 0


def test_it_rejects_a_bad_source_url(empty_catalog, catalog_dir, edit_catalog):
    def break_url(datasets):
        record(datasets, "lfw")["sources"][0]["url"] = "not a url"

    edit_catalog("datasets.json", "datasets", break_url)

    assert_rejected(catalog_dir, "datasets.json", "'lfw'", "'sources[0].url'")
    assert Dataset.objects.count() == 0


def test_it_rejects_an_outcome_for_an_unknown_dataset(empty_catalog, catalog_dir, edit_catalog):
    def break_outcome(questions):
        record(questions, "public-figure")["outcomes"][0]["dataset"] = "ghost"

    edit_catalog("eligibility.json", "questions", break_outcome)

    assert_rejected(catalog_dir, "eligibility.json", "public-figure/yes/ghost", "'dataset'")
    assert EligibilityOutcome.objects.count() == 0


def test_it_rejects_a_question_without_english_text(catalog_dir, edit_catalog):
    edit_catalog("eligibility.json", "questions",
                 lambda questions: record(questions, "uccs-2012-2013").update(texts={"de": "Nur"}))

    assert_rejected(catalog_dir, "eligibility.json", "'uccs-2012-2013'", "'texts'")


def test_it_names_a_missing_file(catalog_dir):
    (catalog_dir / "uses.json").unlink()

    assert_rejected(catalog_dir, "uses.json", "not found")


def test_it_rejects_an_unknown_identifying_detail(catalog_dir, edit_catalog):
    edit_catalog("datasets.json", "datasets",
                 lambda datasets: record(datasets, "uccs").update(identifying_details=["shoe_size"]))

    assert_rejected(catalog_dir, "datasets.json", "'uccs'", "'identifying_details'")


@pytest.mark.parametrize(("filename", "key", "change", "fragments"), [
    ("organisations.json", "organisations", lambda orgs: orgs.insert(2, "microsoft"),
     ["record '#3'", "field '-'", "expected an object"]),
    ("organisations.json", "organisations",
     lambda orgs: record(orgs, "microsoft").update(sources="https://example.org/"),
     ["record 'microsoft'", "field 'sources'", "expected a list, found a text"]),
    ("organisations.json", "organisations",
     lambda orgs: record(orgs, "microsoft").update(sources=["https://example.org/"]),
     ["record 'microsoft'", "field 'sources[0]'", "expected an object"]),
    ("organisations.json", "organisations", lambda orgs: record(orgs, "microsoft").update(name=5),
     ["record 'microsoft'", "field 'name'", "expected a text, found a whole number"]),
    ("organisations.json", "organisations",
     lambda orgs: record(orgs, "microsoft").update(upstream="datenanfragen"),
     ["record 'microsoft'", "field 'upstream'", "expected an object"]),
    ("organisations.json", "organisations",
     lambda orgs: record(orgs, "microsoft").update(slug=["microsoft"]),
     ["field 'slug'", "expected a text, found a list"]),
    ("datasets.json", "datasets", lambda datasets: record(datasets, "uccs").update(derivatives=[1]),
     ["record 'uccs'", "field 'derivatives[0]'", "expected an object"]),
    ("datasets.json", "datasets",
     lambda datasets: record(datasets, "lfw")["derivatives"][0].update(still_circulating="yes"),
     ["record 'lfw'", "field 'derivatives[0].still_circulating'", "expected true or false or null"]),
    ("datasets.json", "datasets", lambda datasets: record(datasets, "uccs").update(released_year=True),
     ["record 'uccs'", "field 'released_year'", "found true or false"]),
    ("uses.json", "uses", lambda uses: uses[0].update(list_based="no"),
     ["uses.json: record '", "field 'list_based'", "expected true or false, found a text"]),
])
def test_it_names_file_record_and_field_of_a_record_of_the_wrong_shape(
    empty_catalog, catalog_dir, edit_catalog, filename, key, change, fragments
):
    edit_catalog(filename, key, change)

    assert_rejected(catalog_dir, filename, *fragments)
    assert Organisation.objects.count() == 0


def test_it_loads_which_questions_a_follow_up_follows_up(db):
    assert EligibilityQuestion.objects.get(slug="in-facescrub-list").follows == ["credited-actor"]
    assert EligibilityQuestion.objects.get(slug="in-lfw-list").follows == ["yahoo-news-2002-2004"]
    assert EligibilityQuestion.objects.get(slug="public-figure").follows == []


@pytest.mark.parametrize(("follows", "fragment"), [
    (["no-such-question"], "'no-such-question' is not a question placed before this one"),
    (["laion-search-hit"], "'laion-search-hit' is not a question placed before this one"),
    (["in-facescrub-list"], "'in-facescrub-list' is itself a follow-up"),
    ("credited-actor", "expected a list of question slugs"),
])
def test_it_rejects_a_follow_up_of_an_unknown_later_or_follow_up_question(
    empty_catalog, catalog_dir, edit_catalog, follows, fragment
):
    edit_catalog("eligibility.json", "questions",
                 lambda questions: record(questions, "in-vgg-face-list").update(follows=follows))

    assert_rejected(catalog_dir, "eligibility.json", "'in-vgg-face-list'", "'follows'", fragment)
    assert EligibilityQuestion.objects.count() == 0


def test_it_removes_what_the_files_no_longer_hold(catalog_dir, edit_catalog):
    use = shipped("uses.json", "uses")[0]
    edit_catalog("uses.json", "uses", lambda uses: uses.pop(0))
    gone = next(o for o in shipped("organisations.json", "organisations")
                if not Organisation.objects.get(slug=o["slug"]).requests.exists()
                and not Dataset.objects.filter(publisher__slug=o["slug"]).exists())["slug"]
    edit_catalog("organisations.json", "organisations",
                 lambda orgs: orgs.remove(record(orgs, gone)))
    edit_catalog("uses.json", "uses",
                 lambda uses: uses.__setitem__(slice(None), [u for u in uses if u["organisation"] != gone]))

    report = catalog_load(path=catalog_dir)

    assert not DatasetUse.objects.filter(dataset__slug=use["dataset"], organisation__slug=use["organisation"],
                                         role=use["role"]).exists()
    assert not Organisation.objects.filter(slug=gone).exists()
    assert report.counts["Organisation"].removed == 1 and report.counts["DatasetUse"].removed >= 1
    assert report.kept == []
    again = catalog_load(path=catalog_dir)
    assert all(counts.removed == 0 for counts in again.counts.values())


def test_it_keeps_a_record_that_cases_still_refer_to_and_says_so(catalog_dir, edit_catalog):
    from tests.cases.clock_factories import RequestFactory

    request = RequestFactory(organisation=Organisation.objects.get(slug="megvii"))
    edit_catalog("organisations.json", "organisations", lambda orgs: orgs.remove(record(orgs, "megvii")))
    edit_catalog("uses.json", "uses",
                 lambda uses: uses.__setitem__(slice(None), [u for u in uses if u["organisation"] != "megvii"]))

    report = catalog_load(path=catalog_dir)

    assert Organisation.objects.filter(slug="megvii").exists()
    request.refresh_from_db()
    assert report.kept == ["Organisation 'megvii'"]
    assert not DatasetUse.objects.filter(organisation__slug="megvii").exists()  # its claims went
    out = StringIO()
    call_command("load_catalog", str(catalog_dir), stdout=out)
    assert "kept, because cases or batches refer to them" in out.getvalue() and "'megvii'" in out.getvalue()
