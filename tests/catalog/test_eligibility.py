"""Answers -> datasets: the pure rule combination, and the catalogue's own questions."""
from __future__ import annotations

import pytest
from django.utils import translation

from dsar import languages
from dsar.catalog.eligibility import LIKELY, POSSIBLE, Rule, evaluate
from dsar.catalog.models import EligibilityQuestion, localized
from dsar.catalog.selectors import eligibility_result

RULES = [
    Rule("flickr", "yes", "megaface", "MegaFace", POSSIBLE, "CC photos were used"),
    Rule("exposing-hit", "yes", "megaface", "MegaFace", LIKELY, "a search found them"),
    Rule("flickr", "yes", "yfcc100m", "YFCC100M", POSSIBLE, "CC photos are listed"),
    Rule("actor", "yes", "facescrub", "FaceScrub", POSSIBLE, "names came from IMDb"),
]


def test_it_lets_the_strongest_rule_win_and_keeps_every_reason():
    matches = evaluate({"flickr": "yes", "exposing-hit": True}, RULES)

    megaface = next(m for m in matches if m.dataset == "megaface")
    assert megaface.strength == LIKELY
    assert megaface.reasons == ["CC photos were used", "a search found them"]
    assert megaface.questions == ["flickr", "exposing-hit"]


def test_it_orders_likely_before_possible():
    matches = evaluate({"flickr": "yes", "exposing-hit": "yes"}, RULES)

    assert [m.dataset for m in matches] == ["megaface", "yfcc100m"]


def test_it_matches_nothing_for_no_answers():
    assert evaluate({"flickr": "no", "actor": False, "exposing-hit": None}, RULES) == []


@pytest.mark.django_db
def test_it_tells_a_journalist_at_duke_chapel_about_dukemtmc_and_ms_celeb():
    results = eligibility_result({"public-figure": "yes", "duke-chapel-2014": "yes"}, language="en")

    by_slug = {r.dataset.slug: r for r in results}
    assert set(by_slug) == {"duke-mtmc", "ms-celeb-1m"}
    assert [u.organisation.slug for u in by_slug["duke-mtmc"].publishers] == ["duke-university"]
    assert "microsoft" in [u.organisation.slug for u in by_slug["ms-celeb-1m"].publishers]
    assert all(r.reasons for r in results)
    hikvision = next(u for u in by_slug["duke-mtmc"].users if u.organisation.slug == "hikvision")
    assert hikvision.list_based is True
    assert hikvision.organisation.contact_quality == "public_record"


@pytest.mark.django_db
def test_it_makes_a_dataset_likely_when_the_person_found_their_name_in_its_list():
    results = eligibility_result({"credited-actor": "yes", "in-facescrub-list": "yes"}, language="en")

    by_slug = {r.dataset.slug: r for r in results}
    assert by_slug["facescrub"].strength == LIKELY
    assert results[0].dataset.slug == "facescrub"
    assert len(by_slug["facescrub"].reasons) == 2
    assert "695" in by_slug["facescrub"].reasons[1]
    assert by_slug["facescrub"].questions == ["credited-actor", "in-facescrub-list"]
    # Found in FaceScrub's list says nothing about the other IMDb-based lists.
    assert {by_slug[s].strength for s in ("vgg-face", "vggface2", "casia-webface", "ms-celeb-1m")} \
        == {POSSIBLE}


@pytest.mark.django_db
def test_it_keeps_a_journalist_at_duke_who_did_not_check_the_lists_at_possible():
    answers = dict.fromkeys(EligibilityQuestion.objects.values_list("slug", flat=True), "unsure")
    answers.update({"public-figure": "yes", "duke-chapel-2014": "yes", "credited-actor": "no"})

    results = eligibility_result(answers, language="en")

    assert {r.dataset.slug: r.strength for r in results} == {
        "duke-mtmc": POSSIBLE, "ms-celeb-1m": POSSIBLE}


@pytest.mark.django_db
@pytest.mark.parametrize("question, dataset", [
    ("in-vgg-face-list", "vgg-face"), ("in-vggface2-list", "vggface2"),
    ("in-casia-webface-list", "casia-webface"), ("in-lfw-list", "lfw"),
    ("in-ms-celeb-with-images", "ms-celeb-1m"), ("exposing-ai-megaface", "megaface"),
    ("exposing-ai-ibm-dif", "ibm-dif"), ("laion-search-hit", "laion-5b"),
])
def test_it_makes_each_self_check_hit_likely(question, dataset):
    results = eligibility_result({question: "yes"}, language="de")

    assert [(r.dataset.slug, r.strength) for r in results] == [(dataset, LIKELY)]
    assert results[0].reasons == [localized(
        EligibilityQuestion.objects.get(slug=question).outcomes.get().reasons, "de")]


@pytest.mark.django_db
def test_it_tells_someone_in_2002_2004_yahoo_news_photos_about_lfw():
    results = eligibility_result({"yahoo-news-2002-2004": "yes"}, language="en")

    assert [(r.dataset.slug, r.strength) for r in results] == [("lfw", POSSIBLE)]
    assert "Yahoo News" in results[0].reasons[0]
    assert results[0].dataset.self_check_url == "http://vis-www.cs.umass.edu/lfw/lfw-names.txt"


@pytest.mark.django_db
def test_every_self_check_question_names_a_source():
    questions = EligibilityQuestion.objects.filter(outcomes__strength=LIKELY).distinct()

    assert questions.count() == 9
    assert all(q.sources.exclude(url="").exists() for q in questions)


@pytest.mark.django_db
def test_it_returns_an_empty_result_when_nothing_matches():
    slugs = EligibilityQuestion.objects.values_list("slug", flat=True)

    assert eligibility_result(dict.fromkeys(slugs, "no")) == []


@pytest.mark.django_db
def test_it_gives_reasons_in_the_active_language():
    with translation.override("de"):
        results = eligibility_result({"brainwash-cafe-2014": "yes"})

    assert results[0].dataset.slug == "brainwash"
    assert "Stanford" in results[0].reasons[0]
    assert results[0].reasons[0] == localized(
        EligibilityQuestion.objects.get(slug="brainwash-cafe-2014").outcomes.get().reasons, "de"
    )
    assert results[0].reasons[0] != localized(
        EligibilityQuestion.objects.get(slug="brainwash-cafe-2014").outcomes.get().reasons, "en"
    )


def test_it_falls_back_to_english_for_a_missing_translation():
    assert localized({"en": "Hello", "de": "Hallo"}, "fr") == "Hello"
    assert localized({"en": "Hello", "de": "Hallo"}, "de-at") == "Hallo"
    assert localized(None, "de") == ""


@pytest.mark.django_db
def test_every_question_has_a_text_in_every_declared_language():
    for question in EligibilityQuestion.objects.prefetch_related("outcomes"):
        assert set(question.texts) == set(languages.CODES), question.slug
        assert all(set(o.reasons) == set(languages.CODES) for o in question.outcomes.all())
