"""Production settings pass Django's deployment checks (DESIGN.md, Safety)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DSAR_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="dsar.settings",
        DSAR_DEBUG="false",
        DSAR_SECRET_KEY="x" * 20 + "production-like-secret-key-for-the-check-0123456789",
        DSAR_FIELD_KEYS=Fernet.generate_key().decode(),
        DSAR_BLIND_INDEX_KEY="blind-index-key-for-the-check-0123456789",
        DSAR_ALLOWED_HOSTS="dsar.example.org",
        DSAR_VAR_DIR=str(tmp_path),
    )
    return env


def test_it_passes_check_deploy_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_in_production(tmp_path):
    env = _production_env(tmp_path)
    del env["DSAR_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "DSAR_SECRET_KEY must be set" in result.stderr
