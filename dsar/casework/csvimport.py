"""Parse and validate a CSV file of data subjects for a bulk import. Pure: no database.

Contract (relied on by `services.batch_import_subjects` and the preview page):
- the first line is a header; columns are matched by name, case-insensitively, in any order;
  only `name` is required. Unknown columns are an error of the whole file, because a typo in
  a header would otherwise silently drop a column of personal data.
- comma, semicolon (German spreadsheets) and tab separated files are accepted; UTF-8 with or
  without a byte order mark.
- each bad row is reported with the line number where its record starts in the file (the
  header is line 1) and a reason; the good rows are kept.
- a person who appears twice in the same file (same normalised name, same email) is reported
  on the second occurrence; duplicates of people already stored are found later, through the
  blind index, by the service.
"""
from __future__ import annotations

import _csv  # the type of csv.reader() objects
import csv
import io
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django_countries import countries

MAX_ROWS = 5000
MAX_FIELD = 500
MAX_ADDRESS = 1000
COLUMNS = ("name", "other_names", "email", "postal_address", "phone", "country")
# Spreadsheet users write these; they mean the same column.
ALIASES = {"address": "postal_address", "aliases": "other_names", "e-mail": "email", "mail": "email"}

ERR_EMPTY_FILE = _("The file is empty.")
ERR_ENCODING = _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
ERR_NO_NAME_COLUMN = _("The header has no “name” column.")
ERR_UNKNOWN_COLUMNS = _("Unknown columns in the header: %(columns)s. Allowed: %(allowed)s.")
ERR_DUPLICATE_COLUMN = _("The column “%(column)s” appears twice in the header.")
ERR_TOO_MANY_ROWS = _("The file has more than %(max)d rows; split it into smaller files.")
ERR_FIELD_COUNT = _("expected %(expected)d fields, found %(found)d")
ERR_NAME_MISSING = _("the name is missing")
ERR_TOO_LONG = _("“%(column)s” is longer than %(max)d characters")
ERR_EMAIL = _("“%(value)s” is not a valid email address")
ERR_PHONE = _("“%(value)s” is not a valid phone number (use +CC… or give a country)")
ERR_COUNTRY = _("“%(value)s” is not a two-letter country code (e.g. DE)")
ERR_DUPLICATE_ROW = _("the same person as on line %(line)d")


@dataclass(frozen=True)
class SubjectRow:
    line: int
    name: str
    other_names: tuple[str, ...] = ()
    email: str = ""
    postal_address: str = ""
    phone: str = ""  # E.164, or empty
    country: str = ""  # ISO 3166-1 alpha-2, upper case, or empty


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass
class ParsedFile:
    rows: list[SubjectRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # A problem with the whole file (no header, wrong encoding): nothing can be imported.
    fatal: str = ""


def row_to_dict(row: SubjectRow) -> dict[str, Any]:
    """For the session between preview and import (JSON-serialisable)."""
    return asdict(row)


def row_from_dict(data: dict[str, Any]) -> SubjectRow:
    return SubjectRow(**{**data, "other_names": tuple(data.get("other_names", ()))})


def normalise_name(name: str) -> str:
    """The form of a name that duplicate detection compares: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def parse_subjects(data: bytes) -> ParsedFile:
    """Parse a whole uploaded file (see the module docstring for the contract)."""
    text = decode(data)
    if text is None:
        return ParsedFile(fatal=str(ERR_ENCODING))
    if not text.strip():
        return ParsedFile(fatal=str(ERR_EMPTY_FILE))
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_sniff(text))
    header_or_error = _header(next(reader, []))
    if isinstance(header_or_error, str):
        return ParsedFile(fatal=header_or_error)
    return _parse_rows(reader, header_or_error)


def _sniff(text: str) -> type[csv.Dialect]:
    first_line = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _header(cells: list[str]) -> list[str] | str:
    names = [ALIASES.get(c.strip().lower(), c.strip().lower()) for c in cells]
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        return str(ERR_UNKNOWN_COLUMNS % {"columns": ", ".join(unknown), "allowed": ", ".join(COLUMNS)})
    for name in names:
        if names.count(name) > 1:
            return str(ERR_DUPLICATE_COLUMN % {"column": name})
    if "name" not in names:
        return str(ERR_NO_NAME_COLUMN)
    return names


def _parse_rows(reader: _csv.Reader, header: list[str]) -> ParsedFile:
    result = ParsedFile()
    seen: dict[tuple[str, str], int] = {}
    end_of_previous = reader.line_num
    for count, cells in enumerate(reader, start=1):
        line, end_of_previous = end_of_previous + 1, reader.line_num
        if count > MAX_ROWS:
            return ParsedFile(fatal=str(ERR_TOO_MANY_ROWS % {"max": MAX_ROWS}))
        if not any(c.strip() for c in cells):
            continue  # blank lines are common at the end of exported files
        row_or_error = parse_row(line, header, cells)
        if isinstance(row_or_error, RowError):
            result.errors.append(row_or_error)
            continue
        key = (normalise_name(row_or_error.name), row_or_error.email.lower())
        if key in seen:
            result.errors.append(RowError(line, str(ERR_DUPLICATE_ROW % {"line": seen[key]})))
            continue
        seen[key] = line
        result.rows.append(row_or_error)
    return result


def parse_row(line: int, header: list[str], cells: list[str]) -> SubjectRow | RowError:
    """Validate one record; the first problem found is the reason reported."""
    if len(cells) != len(header):
        return RowError(line, str(ERR_FIELD_COUNT % {"expected": len(header), "found": len(cells)}))
    values = {column: cell.strip() for column, cell in zip(header, cells, strict=True)}
    for column, value in values.items():
        limit = MAX_ADDRESS if column == "postal_address" else MAX_FIELD
        if len(value) > limit:
            return RowError(line, str(ERR_TOO_LONG % {"column": column, "max": limit}))
    name = " ".join(values.get("name", "").split())
    if not name:
        return RowError(line, str(ERR_NAME_MISSING))
    country = values.get("country", "").upper()
    if country and country not in countries:
        return RowError(line, str(ERR_COUNTRY % {"value": values["country"]}))
    email = values.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return RowError(line, str(ERR_EMAIL % {"value": email}))
    phone = _phone(values.get("phone", ""), country)
    if phone is None:
        return RowError(line, str(ERR_PHONE % {"value": values["phone"]}))
    other = tuple(n.strip() for n in values.get("other_names", "").split(";") if n.strip())
    return SubjectRow(line, name, other, email, values.get("postal_address", ""), phone, country)


def _phone(value: str, country: str) -> str | None:
    """E.164 form of a phone number, "" for none, None when it is not a valid number."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
