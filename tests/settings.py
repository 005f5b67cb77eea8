"""Settings for the test suite: the real settings, with embedded, fast and isolated parts."""
import atexit
import contextlib
import glob
import os
import tempfile

os.environ.setdefault("DSAR_TESTING", "1")
os.environ.setdefault("DSAR_VAR_DIR", os.path.join(tempfile.gettempdir(), "dsar-test-var"))
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

from dsar.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"  # noqa: F405

# The test database is a file, not memory: the Celery integration test
# (tests/cases/test_celery_integration.py) runs a worker subprocess on the same database. One
# file per test run (pid), since several checkouts share DSAR_VAR_DIR; pytest-django deletes it.
_TEST_DB = VAR_DIR / f"test-db-{os.getpid()}.sqlite3"  # noqa: F405
DATABASES["default"]["TEST"] = {"NAME": str(_TEST_DB)}  # noqa: F405


@atexit.register
def _remove_test_db_files() -> None:
    # pytest-django removes the database file but not SQLite's -wal/-shm companions, nor the
    # file of a run that stopped early; this process's pid makes them ours alone.
    for path in glob.glob(f"{_TEST_DB}*"):
        with contextlib.suppress(OSError):
            os.remove(path)
