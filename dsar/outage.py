"""Redis (cache, sessions, broker) away: pages degrade instead of answering a bare 500.

1. Rate limits fail open (`ratelimited`): a limit that cannot be counted lets the request
   through and logs a warning; refusing everyone while Redis is away would be worse.
2. A session that cannot be read or saved (dsar.sessions), a cache or broker that cannot be
   reached anywhere else: `OutageSessionMiddleware` (in place of Django's SessionMiddleware)
   answers the translated 503 page. After a form post that page holds everything that was
   posted, in a form that sends it again, so nothing typed is lost; the person presses the
   button once the service is back (a minute, usually).

Logs carry the path and the kind of error only, never what was posted.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a cache or session store raises when Redis cannot be reached or answers an error.
CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError,)
# Everything that means "a backing service is away": the page is the 503, not a 500.
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (RedisError, BrokerError)
RETRY_AFTER_SECONDS = 60
# Posted fields never echoed back into the page (the 503 page gets a fresh token of its own).
NOT_RESENT = frozenset({"csrfmiddlewaretoken"})


class SessionUnavailable(Exception):
    """The session store (the cache) cannot be reached."""


def ratelimited(request: HttpRequest, **options: Any) -> bool:
    """django-ratelimit's is_ratelimited, failing open (with a warning) when the cache is away."""
    try:
        return bool(is_ratelimited(request, **options))
    except CACHE_ERRORS as error:
        logger.warning("rate limit %s not counted, cache unavailable: %s", options.get("group"),
                       type(error).__name__)
        return False


def _resent_fields(request: HttpRequest) -> list[tuple[str, str]]:
    if request.method != "POST":
        return []
    return [(name, value) for name, values in request.POST.lists() if name not in NOT_RESENT
            for value in values]


def outage_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The 503 page; after a post it carries the posted values to send again."""
    logger.warning("service unavailable for %s %s: %s", request.method, request.path,
                   type(error.__cause__ or error).__name__)
    context = {"resend_fields": _resent_fields(request), "resend_to": request.get_full_path(),
               "had_files": bool(request.method == "POST" and request.FILES)}
    response = render(request, "503.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class OutageSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, plus the 503 page when the session or Redis is away."""

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OUTAGE_ERRORS + (SessionUnavailable,)):
            return outage_response(request, exception)
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except OUTAGE_ERRORS + (SessionUnavailable,) as error:
            # The step's answers could not be saved: the page to send them again instead.
            request.session.modified = False
            request.session.accessed = False
            return outage_response(request, error)
