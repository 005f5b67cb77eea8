"""The session engine (settings.SESSION_ENGINE): Django's cache sessions, saying when the cache
is away instead of hiding it.

Django's cache backend reads a session that the cache cannot deliver as an empty one: while
Redis is down the public flow would show blank steps as if the person's answers were gone, and
its next save would fail with a bare 500. Here a cache that cannot be reached raises
`SessionUnavailable`, which dsar.outage turns into the 503 page that keeps what was typed; the
answers are still in Redis and come back with it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore

from dsar.outage import CACHE_ERRORS, SessionUnavailable


class SessionStore(CacheSessionStore):
    def load(self) -> dict[str, Any]:
        try:
            session_data = self._cache.get(self.cache_key)  # type: ignore[attr-defined]
        except CACHE_ERRORS as error:
            raise SessionUnavailable from error
        except Exception:  # an invalid key, as Django's own backend: a fresh session
            session_data = None
        if session_data is not None:
            return session_data
        self._session_key = None
        return {}

    def exists(self, session_key: str) -> bool:
        try:
            return super().exists(session_key)
        except CACHE_ERRORS as error:
            raise SessionUnavailable from error

    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except CACHE_ERRORS as error:
            raise SessionUnavailable from error
