"""The flow's steps: intro, questions, result, choose; moving back and forward; tampering."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from dsar.wizard.forms import TAMPERED_STEP
from dsar.wizard.state import SESSION_KEY
from tests.wizard.helpers import JOURNALIST_AT_DUKE, answer_questions, field_value, screens

pytestmark = pytest.mark.usefixtures("catalogue")


def test_it_says_on_the_intro_what_is_stored_and_for_how_long(client):
    response = client.get(reverse("wizard:start"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "at most 24 hours" in text
    assert "Nothing personal is written to our database" in text
    assert reverse("wizard:privacy") in text
    assert SESSION_KEY not in client.session


def test_it_explains_storage_on_the_privacy_page(client):
    response = client.get(reverse("wizard:privacy"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "24 hours after you last changed an answer" in text
    assert "not in its database" in text


def test_it_links_the_start_from_the_home_page_and_the_navigation(client):
    text = client.get("/").content.decode()
    assert "btn-primary btn-lg\" href=\"/start/\"" in text
    assert 'class="nav-link" href="/start/"' in text


def test_it_renders_the_questions_from_the_catalogue(client):
    response = client.get(reverse("wizard:questions", args=[1]))
    text = response.content.decode()
    assert response.status_code == 200
    for slug in screens()[0]:
        assert f'name="{slug}"' in text
    assert "Are you publicly known by name" in text


def test_it_keeps_sessions_in_the_cache_for_at_most_a_day(client):
    answer_questions(client, JOURNALIST_AT_DUKE)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_ENGINE == "dsar.sessions"  # the cache engine (dsar/sessions.py)
    assert 0 < int(cookie["max-age"]) <= 24 * 3600
    assert client.session.get_expiry_age() <= 24 * 3600
    assert client.session[SESSION_KEY]["steps"]["questions-1"]["public-figure"] == ["yes"]


def test_it_keeps_answers_when_going_back_and_forward(client):
    first, second = screens()[0], screens()[1]
    client.post(reverse("wizard:questions", args=[1]),
                {**{s: "unsure" for s in first}, "step": "questions-1", "_next": "1"})
    # On screen 2, answer half and go back: what was ticked is kept, unchecked.
    response = client.post(reverse("wizard:questions", args=[2]),
                           {second[0]: "yes", "step": "questions-2", "_back": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("wizard:questions", args=[1])
    back = client.get(reverse("wizard:questions", args=[1])).content.decode()
    assert all(_checked(back, slug, "unsure") for slug in first)
    forward = client.get(reverse("wizard:questions", args=[2])).content.decode()
    assert _checked(forward, second[0], "yes")
    assert "This field is required" not in forward


def _checked(html: str, name: str, value: str) -> bool:
    import re
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*>', html)
    return bool(tag) and "checked" in tag.group(0)


def test_it_rejects_a_tampered_step_with_a_message_and_keeps_the_input(client):
    slugs = screens()[0]
    response = client.post(reverse("wizard:questions", args=[1]),
                           {slugs[0]: "yes", "step": "details", "_next": "1"})
    text = response.content.decode()
    assert response.status_code == 400
    assert str(TAMPERED_STEP) in text.replace("&#x27;", "'")
    assert 'id="error-summary"' in text
    assert _checked(text, slugs[0], "yes")
    assert "questions-1" not in client.session.get(SESSION_KEY, {}).get("steps", {})


def test_it_rejects_a_tampered_choice_next_to_the_field(client):
    answer_questions(client, JOURNALIST_AT_DUKE)
    response = client.post(reverse("wizard:choose"), {
        "organisations": ["duke-university", "not-an-organisation"], "kind": "erasure",
        "letter_language": "auto", "step": "choose", "_next": "1"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in text
    assert 'href="#id_organisations_0"' in text
    assert field_value(text, "letter_language") == "auto"


def test_it_sends_a_person_who_skipped_a_step_back_to_it(client):
    response = client.get(reverse("wizard:details"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wizard:questions", args=[1])


def test_it_answers_404_for_a_question_screen_that_does_not_exist(client):
    assert client.get(reverse("wizard:questions", args=[99])).status_code == 404


def test_it_tells_the_journalist_at_duke_about_dukemtmc_and_ms_celeb(client):
    answer_questions(client, JOURNALIST_AT_DUKE)
    response = client.get(reverse("wizard:result"))
    text = response.content.decode()
    matched = [m.dataset.slug for m in response.context["matches"]]
    assert response.status_code == 200
    assert set(matched) == {"ms-celeb-1m", "duke-mtmc"}
    assert "Duke University" in text and "Microsoft" in text
    assert "DukeMTMC-reID" in text  # a derivative still circulating
    assert "Why it matched" in text


def test_it_shows_how_sure_and_the_contact_quality_for_each_organisation(client):
    answer_questions(client, JOURNALIST_AT_DUKE)
    response = client.get(reverse("wizard:result"))
    duke = next(m for m in response.context["matches"] if m.dataset.slug == "duke-mtmc")
    text = response.content.decode()
    assert duke.strength in ("likely", "possible")
    assert duke.reasons and duke.reasons[0] in text.replace("&#x27;", "'")
    publisher = next(u for u in duke.uses if u.role == "publisher")
    assert publisher.organisation.get_contact_quality_display() in text


def test_it_says_nothing_matched_and_what_else_to_do(client):
    answer_questions(client, {})
    response = client.get(reverse("wizard:result"))
    text = response.content.decode()
    assert response.context["matches"] == []
    assert "None of these datasets is likely to hold you" in text
    assert "What else you can do" in text
    assert reverse("wizard:choose") not in text


def test_it_offers_the_publishers_first_on_the_choose_page(client):
    answer_questions(client, JOURNALIST_AT_DUKE)
    form = client.get(reverse("wizard:choose")).context["form"]
    choices = dict(form.fields["organisations"].choices)
    slugs = list(choices)
    assert {"duke-university", "microsoft"} <= set(slugs[:2])
    assert len(slugs) > 2
    assert choices["microsoft"].startswith("Microsoft: published MS-Celeb-1M")
    assert set(form.initial["organisations"]) == {"duke-university", "microsoft"}


def test_it_shows_the_flow_in_german(client):
    response = client.get("/de" + reverse("wizard:questions", args=[1]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Sind Sie unter Ihrem Namen öffentlich bekannt" in text
    assert "Weiter" in text and "Ja" in text


def _post_screen(client, number: int, answers: dict[str, str]):
    slugs = screens(answers)[number - 1]
    return client.post(reverse("wizard:questions", args=[number]),
                       {**{s: answers.get(s, "no") for s in slugs},
                        "step": f"questions-{number}", "_next": "1"})


def test_it_asks_no_self_checks_of_someone_who_answers_no_to_everything(client):
    first = screens()
    assert [slug for screen in first for slug in screen][:3] == [
        "public-figure", "credited-actor", "yahoo-news-2002-2004"]
    assert not any(slug.startswith(("in-", "exposing-ai", "laion")) for screen in first for slug in screen)
    for number in range(1, len(first)):
        assert _post_screen(client, number, {})["Location"] == reverse("wizard:questions", args=[number + 1])
    # The last first screen leads straight to the result: there is nothing to follow up.
    assert _post_screen(client, len(first), {})["Location"] == reverse("wizard:result")
    assert client.get(reverse("wizard:questions", args=[len(first) + 1])).status_code == 404
    result = client.get(reverse("wizard:result")).content.decode()
    assert "None of these datasets is likely to hold you" in result
    assert "Is your name in FaceScrub" not in result  # the answers listed are the ones asked


def test_it_asks_the_self_checks_that_the_answers_call_for(client):
    answers = {"credited-actor": "yes", "flickr-cc-2004-2014": "unsure"}
    first = screens()
    for number in range(1, len(first) + 1):
        response = _post_screen(client, number, answers)
    # After the last first screen the follow-ups come next, not the result.
    assert response["Location"] == reverse("wizard:questions", args=[len(first) + 1])
    asked = [slug for screen in screens(answers)[len(first):] for slug in screen]
    assert asked == ["in-facescrub-list", "in-vgg-face-list", "in-vggface2-list",
                     "in-casia-webface-list", "exposing-ai-megaface", "exposing-ai-ibm-dif"]
    page = client.get(reverse("wizard:questions", args=[len(first) + 1])).content.decode()
    assert 'name="in-facescrub-list"' in page and 'name="in-lfw-list"' not in page
    assert "Checks you can make yourself" in page
    assert "Checks you can make yourself" not in client.get(
        reverse("wizard:questions", args=[1])).content.decode()


def test_it_drops_self_checks_when_their_question_is_changed_to_no(client):
    answers = {"credited-actor": "yes", "in-facescrub-list": "yes"}
    answer_questions(client, answers)
    result = client.get(reverse("wizard:result")).content.decode()
    assert "FaceScrub" in result
    # Back to the first screen: "credited-actor" becomes "no"; FaceScrub's self-check goes away
    # with its answer, and the result no longer names FaceScrub.
    _post_screen(client, 1, {})
    for number in range(2, len(screens()) + 1):
        _post_screen(client, number, {})
    assert client.get(reverse("wizard:questions", args=[len(screens()) + 1])).status_code == 404
    assert "FaceScrub" not in client.get(reverse("wizard:result")).content.decode()
