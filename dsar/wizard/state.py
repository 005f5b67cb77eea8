"""The wizard's memory: what a person typed, kept only in their server-side session.

Nothing here touches the database. The session engine is the cache (settings.SESSION_ENGINE),
and the session expires within SESSION_COOKIE_AGE (at most 24 hours), so the answers vanish on
their own. Each step's raw input is stored as submitted (field -> list of strings, like a
QueryDict) and re-validated by its form whenever it is used (flow.Journey), so a stored step can
always be shown again exactly as typed, valid or not ("Back" keeps a half-filled page), and stale
or tampered input never counts.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase
from django.http import QueryDict

SESSION_KEY = "dsar_wizard"
# Bumped when the stored shape changes, so an old session starts afresh instead of failing.
VERSION = 1
# Fields of a submitted form that are navigation, not answers.
_CONTROL_FIELDS = frozenset({"csrfmiddlewaretoken", "step", "_back", "_next"})

RawData = dict[str, list[str]]


@dataclass
class WizardState:
    """One person's progress: `steps` maps a step name to its raw input; `reference` is printed
    on this session's letters so that previews and the zip agree."""

    steps: dict[str, RawData]
    reference: str = ""

    @classmethod
    def load(cls, session: SessionBase) -> WizardState:
        stored = session.get(SESSION_KEY)
        if not isinstance(stored, dict) or stored.get("v") != VERSION:
            return cls(steps={})
        return cls(steps=dict(stored.get("steps", {})), reference=str(stored.get("ref", "")))

    def save(self, session: SessionBase) -> None:
        session[SESSION_KEY] = {"v": VERSION, "steps": self.steps, "ref": self.reference}

    def raw(self, step: str) -> RawData | None:
        return self.steps.get(step)

    def querydict(self, step: str) -> QueryDict | None:
        """The stored input as a QueryDict, ready to bind a form to."""
        raw = self.steps.get(step)
        if raw is None:
            return None
        data = QueryDict(mutable=True)
        for key, values in raw.items():
            data.setlist(key, list(values))
        return data

    def put(self, step: str, data: Mapping[str, list[str]] | QueryDict) -> None:
        self.steps[step] = raw_from(data)

    @staticmethod
    def clear(session: SessionBase) -> None:
        session.pop(SESSION_KEY, None)


def raw_from(data: Mapping[str, list[str]] | QueryDict) -> RawData:
    """Copy submitted input, minus the navigation fields, into plain JSON-able lists."""
    if isinstance(data, QueryDict):
        items = data.lists()
    else:
        items = ((key, list(values)) for key, values in data.items())
    return {key: [str(v) for v in values] for key, values in items if key not in _CONTROL_FIELDS}
