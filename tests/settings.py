"""Settings for the test suite: the real settings, with embedded, fast and isolated parts."""
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
DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405
