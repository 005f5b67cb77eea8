"""WeasyPrint copies the letter fonts into a temporary folder per font configuration. Neither a
process that renders nor the workers of a batch may leave such folders behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SCRIPT = """
import django
django.setup()
from dataclasses import replace
from dsar.letters.render import render_many, render_pdf
from tests.letters.conftest import sample_letters

letter = sample_letters("en")["access"]
assert render_pdf(letter).startswith(b"%PDF")
batch = [replace(letter, reference=f"FOLDER-{n}") for n in range(6)]
pdfs = render_many(batch, processes=2)
assert len(pdfs) == 6 and all(pdf.startswith(b"%PDF") for pdf in pdfs)
assert render_pdf(letter).startswith(b"%PDF")  # the parent's fonts survived the batch
print("ok")
"""


def test_rendering_and_a_batch_leave_no_font_folders(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")
    assert "Exception ignored" not in result.stderr
    assert sorted(path.name for path in tmp_path.glob("weasyprint-*")) == []
