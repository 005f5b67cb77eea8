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


def test_it_counts_the_holidays_of_a_subdivision() -> None:
    # Thu 4 Jun 2026 is Corpus Christi in Bavaria, not in Berlin; plain DE has it not either.
    assert _run("--received", "2026-05-04", "--country", "DE-BY")[-1] == "2026-06-05"
    assert _run("--received", "2026-05-04", "--country", "DE-BE")[-1] == "2026-06-04"
    assert _run("--received", "2026-05-04", "--country", "DE")[-1] == "2026-06-04"


def test_it_tells_scotland_from_england() -> None:
    assert _run("--received", "2025-12-02", "--country", "GB-SCT")[-1] == "2026-01-05"
    assert _run("--received", "2025-12-02", "--country", "GB-ENG")[-1] == "2026-01-02"


def test_it_rejects_an_unknown_subdivision() -> None:
    with pytest.raises(CommandError, match="unknown subdivision 'XX' of DE"):
        _run("--received", "2026-05-04", "--country", "DE-XX")


def test_it_extends_for_an_extension_notified_in_time() -> None:
    lines = _run("--received", "2026-01-15", "--country", "DE", "--extension-notified", "2026-02-16")
    assert lines[-1] == "2026-04-15"


def test_it_says_why_a_late_extension_does_not_extend() -> None:
    lines = _run("--received", "2026-01-15", "--country", "DE", "--extension-notified", "2026-02-17")
    assert lines[-1] == "2026-02-16"
    assert any("so this one does not extend it" in line for line in lines[:-1])


def test_it_pauses_for_an_identity_question() -> None:
    lines = _run("--received", "2026-03-02", "--country", "DE",
                 "--id-asked", "2026-03-04", "--id-received", "2026-03-10")
    assert lines[-1] == "2026-04-09"


def test_it_ignores_an_identity_question_asked_after_the_due_date() -> None:
    lines = _run("--received", "2026-03-02", "--country", "DE",
                 "--id-asked", "2026-04-03", "--id-received", "2026-04-10")
    assert lines[-1] == "2026-04-02"
    assert any("does not pause the clock" in line for line in lines[:-1])


def test_it_restarts_a_uk_period_and_pauses_a_clarification() -> None:
    dates = ("--id-asked", "2026-03-04", "--id-received", "2026-03-10")
    assert _run("--received", "2026-03-02", "--country", "GB-ENG", *dates)[-1] == "2026-04-10"
    assert _run("--received", "2026-03-02", "--country", "GB-ENG", *dates,
                "--clarification")[-1] == "2026-04-09"


def test_it_prints_paused_while_identity_is_unanswered() -> None:
    lines = _run("--received", "2026-03-02", "--country", "DE", "--id-asked", "2026-03-04")
    assert lines[-1] == "paused"
    assert "not yet answered" in lines[-2]


@pytest.mark.parametrize("flag", ["--extension-notified", "--id-asked", "--id-received"])
def test_it_names_the_option_with_a_bad_date(flag: str) -> None:
    with pytest.raises(CommandError, match=f"{flag} must be a date written YYYY-MM-DD"):
        _run("--received", "2026-03-02", "--country", "DE", flag, "2026-13-01")
