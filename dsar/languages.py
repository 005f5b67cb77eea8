"""The languages dsar speaks (pages, catalogue texts, letters), declared once.

Everything else reads this tuple: settings.LANGUAGES, the letters' plain data, the catalogue's
translation maps, the forms' language choices, the model validators, the tests. Pure Python (no
Django), so settings and the letters code can both import it. Adding a language (README,
"Adding a language"): a line here, locale/<code>/LC_MESSAGES/django.po, and the letter text in
templates/letters/<code>/ (the templates and phrases.json). The names are English; Django's own
catalogue translates them for the language menu.
"""
from __future__ import annotations

LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("de", "German"),
    ("fr", "French"),
)
CODES: tuple[str, ...] = tuple(code for code, _name in LANGUAGES)
DEFAULT = "en"
UNKNOWN_LANGUAGE = "unknown language {code!r} (expected one of {codes})"


def supported(code: str | None, default: str = DEFAULT) -> str:
    """`code` when it is a declared language, else `default`."""
    return code if code in CODES else default


def check(code: str) -> str:
    """`code` when it is a declared language; ValueError otherwise."""
    if code not in CODES:
        raise ValueError(UNKNOWN_LANGUAGE.format(code=code, codes=", ".join(CODES)))
    return code


def choices() -> list[tuple[str, object]]:
    """(code, translated name) pairs, for form and model fields. Callable choices keep the list
    out of migrations, so adding a language needs none."""
    from django.utils.translation import gettext_lazy  # here: the module stays free of Django

    return [(code, gettext_lazy(name)) for code, name in LANGUAGES]
