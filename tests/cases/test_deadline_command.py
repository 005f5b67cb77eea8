"""`manage.py deadline`: steps, then the due date alone on the last line; bad input fails."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_prints_the_due_date_alone_on_the_last_line() -> None:
    lines = _run("--received", "2026-01-31", "--country", "DE")
    assert lines[-1] == "2026-03-02"
    assert "one month -> Sat 28 Feb 2026 (no 31 Feb)" in lines
    assert lines[0].startswith("GDPR Art. 12(3)")


def test_it_extends_when_asked() -> None:
    assert _run("--received", "2026-06-30", "--country", "ES", "--extended")[-1] == "2026-09-30"


def test_it_accepts_a_lower_case_country() -> None:
    assert _run("--received", "2026-11-01", "--country", "gb")[-1] == "2026-12-01"


@pytest.mark.parametrize("value", ["2026-02-30", "31/01/2026", "tomorrow"])
def test_it_rejects_a_bad_date(value: str) -> None:
    with pytest.raises(CommandError, match="--received must be a date written YYYY-MM-DD"):
        _run("--received", value, "--country", "DE")


def test_it_rejects_an_unknown_country() -> None:
    with pytest.raises(CommandError, match="unknown country code 'XX'"):
        _run("--received", "2026-01-31", "--country", "XX")


def test_it_exits_non_zero_with_a_one_line_reason() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "deadline", "--received", "2026-01-31", "--country", "XX"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "tests.settings"},
    )
    assert result.returncode != 0
    assert result.stdout == ""
    # Other apps may log at start-up; the reason is the last line, and a single line.
    assert result.stderr.strip().splitlines()[-1] == (
        "CommandError: unknown country code 'XX' (expected an ISO 3166 code such as DE)"
    )
