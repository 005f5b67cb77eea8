"""Everything a user sees is translated: the catalogue of every declared language but English has no untranslated
or fuzzy message, and the compiled .mo files are the ones the .po files give."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from dsar import languages

LOCALE = Path(settings.BASE_DIR) / "locale"

pytestmark = pytest.mark.skipif(
    shutil.which("msgfmt") is None,
    reason="gettext is not installed (make test installs it: scripts/ensure-system-packages)",
)


@pytest.mark.parametrize("language", [code for code in languages.CODES if code != "en"])
def test_every_message_is_translated_and_compiled(language: str, tmp_path: Path) -> None:
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(po)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip().splitlines()[-1]
    assert "untranslated" not in statistics and "fuzzy" not in statistics, statistics
    committed = po.with_suffix(".mo").read_bytes()
    assert compiled.read_bytes() == committed, "run: manage.py compilemessages --ignore=.venv"
