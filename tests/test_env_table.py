"""Every environment variable the code reads is in the README's Configuration table, and the
table names no variable the code does not read. A new setting fails here until it is documented."""
from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
# A call of one of dsar/env.py's readers (envstr, envbool, envint, envlist, ...) with a name.
READ = re.compile(r"\benv[a-z_]*\(\s*[\"']([A-Z][A-Z0-9_]+)[\"']")
ROW_NAME = re.compile(r"`([A-Z][A-Z0-9_]+)`")


def variables_read() -> set[str]:
    return {name for path in (BASE / "dsar").rglob("*.py") for name in READ.findall(path.read_text())}


def variables_documented() -> set[str]:
    readme = (BASE / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in ROW_NAME.findall(row.split("|")[1])}


def test_every_variable_read_is_in_the_readme_table() -> None:
    assert variables_read() - variables_documented() == set()


def test_the_readme_table_names_only_variables_that_are_read() -> None:
    assert variables_documented() - variables_read() == set()
