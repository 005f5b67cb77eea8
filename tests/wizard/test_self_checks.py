"""Self-check follow-up questions: a hit in a published list makes a dataset likely on the result
page, and the result page points to the list or search."""
from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.wizard.helpers import answer_questions

pytestmark = pytest.mark.usefixtures("catalogue")


def test_it_shows_a_dataset_as_likely_when_the_person_found_their_name_in_its_list(client):
    answer_questions(client, {"credited-actor": "yes", "in-lfw-list": "yes",
                              "yahoo-news-2002-2004": "yes"})
    response = client.get(reverse("wizard:result"))
    text = response.content.decode()
    strengths = {m.dataset.slug: m.strength for m in response.context["matches"]}
    assert response.status_code == 200
    assert strengths["lfw"] == "likely"
    assert strengths["vggface2"] == "possible"
    lfw = next(m for m in response.context["matches"] if m.dataset.slug == "lfw")
    assert len(lfw.reasons) == 2
    assert 'href="http://vis-www.cs.umass.edu/lfw/lfw-names.txt"' in text
    assert "identity_meta.csv" in text  # VGGFace2's self-check, a list without an address


def test_it_shows_the_exposing_ai_search_for_a_megaface_hit_in_german(client):
    with translation.override("de"):  # reverse() then gives the /de/ addresses
        answer_questions(client, {"flickr-cc-2004-2014": "yes", "exposing-ai-megaface": "yes"})
        response = client.get(reverse("wizard:result"))
    text = response.content.decode()
    strengths = {m.dataset.slug: m.strength for m in response.context["matches"]}
    assert strengths == {"megaface": "likely", "ibm-dif": "possible", "yfcc100m": "possible"}
    assert "exposing.ai fand Flickr-Fotos von Ihnen in MegaFace" in text
    assert 'href="https://exposing.ai/"' in text
