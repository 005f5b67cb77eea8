"""The client's address behind the reverse proxy that deploy/nginx/dsar.conf describes.

Behind nginx every request reaches gunicorn from 127.0.0.1, so the per-address rate limits of
the public flow (django-ratelimit, key "ip") and django-axes' log-in lock-out (which read
REMOTE_ADDR) would count every visitor as one. nginx appends the address it saw to
X-Forwarded-For (`$proxy_add_x_forwarded_for`). That header is believed only when the request
comes from a proxy listed in DSAR_TRUSTED_PROXIES (addresses or networks); anything a client
writes into it itself sits to the left of what our proxies added, so the address taken is the
right-most one that is not a trusted proxy. Nothing trusted (the default): REMOTE_ADDR stays.

`ClientAddressMiddleware` runs first and rewrites REMOTE_ADDR, so every later reader (the rate
limits, axes, logs) sees the client's address without knowing about proxies.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

BAD_PROXY = "DSAR_TRUSTED_PROXIES: %r is not an IP address or network."


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """`127.0.0.1`, `10.0.0.0/8`, `::1` -> networks; a typo stops start-up."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(BAD_PROXY % value) from error
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: str, proxies: Sequence[Network]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in proxies)


def client_address(remote_addr: str, forwarded_for: str, proxies: Sequence[Network]) -> str:
    """The address of the client: REMOTE_ADDR unless it is a trusted proxy, in which case the
    right-most X-Forwarded-For entry that is not itself a trusted proxy (malformed: REMOTE_ADDR)."""
    if not forwarded_for or not _trusted(remote_addr, proxies):
        return remote_addr
    for hop in reversed(forwarded_for.split(",")):
        if _address(hop) is None:
            return remote_addr  # a garbled header: count the request against the proxy
        if not _trusted(hop, proxies):
            return hop.strip()
    return remote_addr


class ClientAddressMiddleware:
    """Sets REMOTE_ADDR to the client's address (see the module docstring); first in MIDDLEWARE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.proxies = parse_networks(settings.DSAR_TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.proxies:
            meta = request.META
            meta["REMOTE_ADDR"] = client_address(
                meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""), self.proxies
            )
        return self.get_response(request)
