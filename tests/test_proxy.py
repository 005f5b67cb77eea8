"""The client's address behind the shipped nginx (dsar.proxy): per-visitor rate limits and
log-in lock-outs, and a header nobody can forge from outside."""
from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from dsar.proxy import client_address, parse_networks

PROXIES = parse_networks(["127.0.0.1", "10.0.0.0/8", "::1"])


def test_it_takes_the_address_nginx_added_when_the_request_comes_from_the_proxy() -> None:
    assert client_address("127.0.0.1", "203.0.113.7", PROXIES) == "203.0.113.7"


def test_it_ignores_what_a_client_wrote_into_the_header_itself() -> None:
    # nginx appends: "<what the client sent>, <the address nginx saw>".
    assert client_address("127.0.0.1", "198.51.100.1, 203.0.113.7", PROXIES) == "203.0.113.7"


def test_it_skips_every_trusted_proxy_in_a_chain() -> None:
    assert client_address("127.0.0.1", "203.0.113.7, 10.1.2.3", PROXIES) == "203.0.113.7"


def test_it_believes_no_header_from_an_address_that_is_not_a_proxy() -> None:
    assert client_address("198.51.100.9", "203.0.113.7", PROXIES) == "198.51.100.9"


def test_it_counts_a_garbled_header_against_the_proxy() -> None:
    assert client_address("127.0.0.1", "not-an-address", PROXIES) == "127.0.0.1"


def test_it_refuses_a_proxy_setting_that_is_no_address() -> None:
    with pytest.raises(ImproperlyConfigured, match="localhost"):
        parse_networks(["localhost"])
