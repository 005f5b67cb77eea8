"""The project passes Django's system checks and has a migration for every model change."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


def test_manage_py_check_is_clean():
    out = StringIO()
    call_command("check", stdout=out)

    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)

    assert "No changes detected" in out.getvalue()
