"""Rate limits per visitor behind the shipped nginx (dsar.proxy sets REMOTE_ADDR)."""
from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

NGINX = {"REMOTE_ADDR": "127.0.0.1"}
pytestmark = pytest.mark.usefixtures("catalogue")


def _question_posts(client: Client, forwarded_for: str, count: int) -> list[int]:
    url = reverse("wizard:questions", args=[1])
    return [
        client.post(url, {"step": "questions-1"}, HTTP_X_FORWARDED_FOR=forwarded_for, **NGINX).status_code
        for _ in range(count)
    ]


@override_settings(DSAR_WIZARD_RATE="2/h", DSAR_TRUSTED_PROXIES=["127.0.0.1"], RATELIMIT_ENABLE=True)
def test_it_limits_each_visitor_behind_the_proxy_on_their_own() -> None:
    first, second = Client(), Client()
    assert _question_posts(first, "203.0.113.7", 3) == [200, 200, 429]
    # Another visitor through the same nginx still has their whole allowance.
    assert _question_posts(second, "203.0.113.8", 2) == [200, 200]
    # Forging the header from outside does not escape the limit: nginx appends the real address.
    assert _question_posts(first, "198.51.100.1, 203.0.113.7", 1) == [429]


@override_settings(DSAR_WIZARD_RATE="2/h", DSAR_TRUSTED_PROXIES=[], RATELIMIT_ENABLE=True)
def test_it_counts_by_the_connecting_address_when_no_proxy_is_trusted() -> None:
    assert _question_posts(Client(), "203.0.113.7", 2) == [200, 200]
    assert _question_posts(Client(), "203.0.113.8", 1) == [429]
