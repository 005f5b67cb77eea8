"""Redis away under the public flow (dsar.outage, dsar.sessions): no bare 500, nothing typed lost.

The cache (sessions, rate-limit counters) points at a port nobody listens on, as when
redis-server has stopped; tests/faults/test_redis_outage.py does the same with real processes.
"""
from __future__ import annotations

import logging
import socket
from html import unescape

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from dsar.outage import ratelimited
from tests.wizard.helpers import PERSON, complete_flow

pytestmark = pytest.mark.usefixtures("catalogue")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_gone() -> override_settings:
    location = f"redis://127.0.0.1:{_free_port()}/0"
    return override_settings(CACHES={"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }})


def test_it_keeps_a_posted_step_on_the_unavailable_page(client: Client) -> None:
    complete_flow(client)
    with _redis_gone():
        response = client.post(reverse("wizard:details"), {"step": "details", "name": PERSON["name"],
                                                             "address": PERSON["address"]})
    body = unescape(response.content.decode())
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Briefly unavailable" in body
    assert f'name="name" value="{PERSON["name"]}"' in body
    assert f'name="address" value="{PERSON["address"]}"' in body
    assert f'action="{reverse("wizard:details")}"' in body


def test_it_answers_the_unavailable_page_to_a_step_it_cannot_read(client: Client) -> None:
    complete_flow(client)
    with _redis_gone():
        response = client.get(reverse("wizard:details"))
    assert response.status_code == 503
    assert "Please reload this page in a minute." in response.content.decode()
    # Redis is back: the answers were never lost.
    assert client.get(reverse("wizard:details")).context["form"]["name"].value() == PERSON["name"]


def test_it_keeps_the_public_pages_working() -> None:
    with _redis_gone():
        assert Client().get(reverse("catalog:dataset_list")).status_code == 200


def test_it_lets_requests_through_and_warns_when_limits_cannot_be_counted(caplog) -> None:
    request = RequestFactory().post("/start/questions/1/")
    with _redis_gone(), caplog.at_level(logging.WARNING, logger="dsar.outage"):
        limited = ratelimited(request, group="test", key="ip", rate="1/m", method=["POST"], increment=True)
    assert limited is False
    assert "rate limit test not counted" in caplog.text


@pytest.mark.parametrize(("language", "title"), [("en", "Briefly unavailable"), ("de", "Kurz nicht erreichbar"),
                                                  ("fr", "Momentanément indisponible")])
def test_it_says_so_in_the_persons_language(client: Client, language: str, title: str) -> None:
    complete_flow(client)
    with _redis_gone():
        response = client.post(f"/{language}/start/details/" if language != "en" else "/start/details/",
                                 {"step": "details"})
    assert response.status_code == 503
    assert title in unescape(response.content.decode())


@pytest.mark.parametrize(("language", "title"), [("en", "Something went wrong"), ("de", "Etwas ist schiefgelaufen"),
                                                  ("fr", "Une erreur s’est produite")])
def test_it_has_a_translated_server_error_page(language: str, title: str) -> None:
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert title in unescape(response.content.decode())
