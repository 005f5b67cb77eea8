"""dsar settings. Every value comes from the environment through the typed helpers in env.py.

Embedded defaults (no variable set): SQLite, a file-system Celery broker, a file-based cache and
file-based email, all under ./var (ignored by git). Production sets DATABASE_URL, REDIS_URL,
DSAR_SECRET_KEY, DSAR_FIELD_KEYS, DSAR_DEBUG=false and DSAR_ALLOWED_HOSTS (see deploy/env.example).
"""
from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dsar import languages
from dsar.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("DSAR_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DSAR_DEBUG", True)
TESTING = envbool("DSAR_TESTING", False)


def _local_secret(filename: str, make: object) -> str:
    """Read a development secret from ./var, creating it on first use. Never used in production."""
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(make())  # type: ignore[operator]
        path.chmod(0o600)
    return path.read_text().strip()


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


SECRET_KEY = envstr("DSAR_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DSAR_SECRET_KEY must be set when DSAR_DEBUG is false.")
    SECRET_KEY = _local_secret("secret_key", lambda: secrets.token_urlsafe(50))

# Keys for personal fields at rest: comma-separated Fernet keys, newest first (MultiFernet
# decrypts with any and encrypts with the first, so a key is rotated by prepending a new one).
FIELD_ENCRYPTION_KEYS = envlist("DSAR_FIELD_KEYS", [])
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("DSAR_FIELD_KEYS must be set when DSAR_DEBUG is false.")
    FIELD_ENCRYPTION_KEYS = [_local_secret("field_key", _fernet_key)]

# Key of the keyed hash ("blind index") of normalised name + email used to find duplicate data
# subjects without storing them in plain text. Changing it breaks duplicate detection of old
# rows, so it is not rotated with the field keys.
FIELD_BLIND_INDEX_KEY = envstr("DSAR_BLIND_INDEX_KEY", "")
if not FIELD_BLIND_INDEX_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DSAR_BLIND_INDEX_KEY must be set when DSAR_DEBUG is false.")
    FIELD_BLIND_INDEX_KEY = _local_secret("blind_index_key", lambda: secrets.token_urlsafe(32))

ALLOWED_HOSTS = envlist("DSAR_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed (dsar.proxy); e.g.
# 127.0.0.1 for the nginx of deploy/nginx on the same machine. Empty: REMOTE_ADDR as it is.
DSAR_TRUSTED_PROXIES = envlist("DSAR_TRUSTED_PROXIES", [])
CSRF_TRUSTED_ORIGINS = envlist("DSAR_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("DSAR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "dsar.catalog",
    "dsar.letters",
    "dsar.cases",
    "dsar.wizard",
    "dsar.casework",
    "dsar.mailbox",
]

MIDDLEWARE = [
    # First: every later reader of REMOTE_ADDR (rate limits, axes) sees the client behind nginx.
    "dsar.proxy.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's SessionMiddleware, answering the 503 page that keeps a post when Redis is away.
    "dsar.outage.OutageSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the final outcome of authentication (django-axes' contract).
    "axes.middleware.AxesMiddleware",
]

# bench/wizard.py measures server time per request from this header (see the middleware).
if envbool("DSAR_SERVER_TIMING", False):
    MIDDLEWARE.insert(0, "dsar.wizard.middleware.ServerTimingMiddleware")

ROOT_URLCONF = "dsar.urls"
WSGI_APPLICATION = "dsar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dsar.sqlite3'}"),
        conn_max_age=envint("DSAR_DB_CONN_MAX_AGE", 0, minimum=0),
    )
}
# A connection kept between requests (DSAR_DB_CONN_MAX_AGE > 0) is tested before it is reused:
# after a PostgreSQL restart each gunicorn worker and Celery process would otherwise fail its
# first request or task on the dead connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat share one file without "database is locked".
    # synchronous=NORMAL (safe with WAL: a crashed process loses nothing committed) makes a
    # commit a plain write, not an fsync; the reminder sweep relies on commits being that short
    # (dsar.cases.reminders: the email goes out just before its claim commits).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    # Short timeouts: a Redis that does not answer must give the 503 page quickly (dsar.outage),
    # not hold a gunicorn worker for the whole request timeout.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Shared by the web server's processes; holds sessions and rate-limit counters.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# The public wizard's answers live only in the session, which lives in the cache (not the
# database) and expires within a day: nothing personal is written to the database unless the
# person opts into tracking.
# dsar.sessions: the cache engine, but an unreachable cache is an error, not an empty session.
SESSION_ENGINE = "dsar.sessions"
SESSION_COOKIE_AGE = envint("DSAR_SESSION_HOURS", 24, minimum=1, maximum=24) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("DSAR_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = envbool("DSAR_AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "casework/locked.html"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
LANGUAGES = [(code, _(name)) for code, name in languages.LANGUAGES]  # declared in dsar/languages.py
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envstr("DSAR_TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded answers and rendered letters. Never served by URL: only through access-checked views.
PRIVATE_MEDIA_ROOT = Path(envstr("DSAR_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"
# Django 6 default, adopted now: a URL typed without a scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

EMAIL_BACKEND = envstr("DSAR_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = envstr("DSAR_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("DSAR_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = envstr("DSAR_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envstr("DSAR_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("DSAR_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DSAR_FROM_EMAIL", "dsar <noreply@localhost>")

# --- Celery ------------------------------------------------------------------------------------
# Embedded default: kombu's filesystem transport needs no server, so one command runs the web
# server, a worker and beat. Production sets REDIS_URL (or CELERY_BROKER_URL).
# The longest tasks, measured (bench/RESULTS.md): a chunk of 100 reminders ~1 s, one letter ~1 s,
# finding the due reminders among 1,000,000 requests < 1 s. A task still running after
# CELERY_TASK_TIME_LIMIT is stuck: its process is replaced; what it did not commit is picked
# up by the next sweep (reminders) or resume_stalled_batches (bulk letters).
CELERY_TASK_TIME_LIMIT = envint("DSAR_TASK_TIME_LIMIT", 300, minimum=5)
# Retries wait at most this long (dsar.cases.tasks: retry_backoff_max).
TASK_RETRY_BACKOFF_MAX = min(300, CELERY_TASK_TIME_LIMIT)
BROKER_VISIBILITY_SECONDS = envint("DSAR_BROKER_VISIBILITY_SECONDS", 600, minimum=2)
_LONGEST_HOLD = max(CELERY_TASK_TIME_LIMIT, TASK_RETRY_BACKOFF_MAX, envint("DSAR_CASEWORK_LEASE_SECONDS", 300, minimum=1))
if BROKER_VISIBILITY_SECONDS <= _LONGEST_HOLD:
    raise ImproperlyConfigured(
        f"DSAR_BROKER_VISIBILITY_SECONDS must be longer than DSAR_TASK_TIME_LIMIT and"
        f" DSAR_CASEWORK_LEASE_SECONDS ({_LONGEST_HOLD} s), or a running task is handed out twice."
    )
_BROKER_DIR = VAR_DIR / "celery-broker"
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    # kombu's filesystem transport deletes a message when a worker takes it (no redelivery):
    # a killed worker's reminders are queued again by the next sweep, its bulk letters by
    # resume_stalled_batches (tests/faults/test_worker_kills.py).
    (_BROKER_DIR / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR),
        "data_folder_out": str(_BROKER_DIR),
        "processed_folder": str(_BROKER_DIR / "processed"),
        # Without this kombu writes its exchange tables to ./control in the working directory.
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # Redis: a message a worker took and did not acknowledge (acks late: the worker was killed)
    # goes back to the queue once it is older than visibility_timeout; kombu looks for such
    # messages every tenth of that (at most every 30 s; one cheap sorted-set query). Longer
    # than any task may run (CELERY_TASK_TIME_LIMIT) and than any countdown a worker holds a
    # message for (retries, the bulk-letter lease), or a live task would be handed out twice.
    # Reminders need not wait for it: the next sweep (DSAR_SWEEP_SECONDS) queues every unsent
    # one again, and its claim keeps it to one email (dsar.cases.reminders).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": BROKER_VISIBILITY_SECONDS,
        "unacked_restore_interval": max(1, min(30, BROKER_VISIBILITY_SECONDS // 10)),
        "unacked_restore_throttle": 1,
    }
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# Tasks are acknowledged after they finish: a worker killed mid-task leaves the message to be
# redelivered. Every task is idempotent (it claims rows with a conditional update) for this.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Reminders per send_reminders task: one task per reminder made Celery's own cost (ack, fetch,
# result) the bulk of a sweep; each reminder in a chunk is still claimed on its own.
REMINDER_CHUNK_SIZE = envint("DSAR_REMINDER_CHUNK_SIZE", 100, minimum=1)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "sweep-deadlines": {
        "task": "dsar.cases.tasks.sweep_deadlines",
        "schedule": envint("DSAR_SWEEP_SECONDS", 300, minimum=5),
    },
    "casework-resume-batches": {
        "task": "dsar.casework.tasks.resume_stalled_batches",
        "schedule": envint("DSAR_CASEWORK_RESUME_SECONDS", 60, minimum=1),
    },
    "casework-dashboard-history": {
        "task": "dsar.casework.tasks.refresh_dashboard_history",
        "schedule": envint("DSAR_DASHBOARD_HISTORY_SECONDS", 300, minimum=0) or 300,
    },
    "purge-abandoned-cases": {
        "task": "dsar.cases.tasks.purge_abandoned_cases",
        "schedule": crontab(hour=3, minute=30),
    },
    "casework-daily-digests": {
        "task": "dsar.casework.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "refresh-query-statistics": {
        "task": "dsar.refresh_query_statistics",
        "schedule": crontab(hour=4, minute=15),
    },
}

# --- Mailbox (dsar.mailbox): requests sent by email, answers read over IMAP -------------------
# Replies come back to reply+<token>@DSAR_MAIL_REPLY_DOMAIN: that domain's mail must end up in
# the IMAP mailbox below (a catch-all or "+" sub-addressing of one account).
DSAR_MAIL_REPLY_DOMAIN = envstr(
    "DSAR_MAIL_REPLY_DOMAIN", DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "localhost"
)
# No host: nothing is fetched (the embedded default); `manage.py mailbox_deliver FILE.eml`
# feeds a message in as if it had arrived.
DSAR_IMAP_HOST = envstr("DSAR_IMAP_HOST", "")
DSAR_IMAP_SSL = envbool("DSAR_IMAP_SSL", True)
DSAR_IMAP_PORT = envint("DSAR_IMAP_PORT", 993 if DSAR_IMAP_SSL else 143, minimum=1, maximum=65535)
DSAR_IMAP_USER = envstr("DSAR_IMAP_USER", "")
DSAR_IMAP_PASSWORD = envstr("DSAR_IMAP_PASSWORD", "")
DSAR_IMAP_FOLDER = envstr("DSAR_IMAP_FOLDER", "INBOX")
DSAR_IMAP_PROCESSED_FOLDER = envstr("DSAR_IMAP_PROCESSED_FOLDER", "dsar-processed")
DSAR_IMAP_TIMEOUT = envint("DSAR_IMAP_TIMEOUT", 60, minimum=1)
# Attachments larger than this are not kept (the message is, with a note of the file's size).
DSAR_MAILBOX_ATTACHMENT_MAX_BYTES = envint("DSAR_MAILBOX_ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
if DSAR_IMAP_HOST:
    CELERY_BEAT_SCHEDULE["mailbox-fetch"] = {
        "task": "dsar.mailbox.tasks.fetch_mailbox",
        "schedule": envint("DSAR_IMAP_POLL_SECONDS", 120, minimum=10),
    }

# --- Domain settings ---------------------------------------------------------------------------
# Posted letters are assumed received this many days after posting unless delivery is recorded.
DSAR_POSTAL_DELIVERY_DAYS = envint("DSAR_POSTAL_DELIVERY_DAYS", 3, minimum=0, maximum=30)
# A public case's secret link stops working this many days after it was issued.
DSAR_TRACKING_TOKEN_DAYS = envint("DSAR_TRACKING_TOKEN_DAYS", 730, minimum=1)
# A public case whose email is not confirmed within this many days is deleted with everything.
DSAR_UNCONFIRMED_DAYS = envint("DSAR_UNCONFIRMED_DAYS", 7, minimum=1)
# The largest answer scan a person or caseworker may upload.
DSAR_UPLOAD_MAX_BYTES = envint("DSAR_UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
DSAR_CATALOG_PATH = BASE_DIR / "dsar" / "catalog" / "data"
DSAR_WIZARD_RATE = envstr("DSAR_WIZARD_RATE", "60/m")
DSAR_LETTER_RATE = envstr("DSAR_LETTER_RATE", "30/m")
# "Lost your link?" requests per client address (each may mail a new link).
DSAR_NEW_LINK_RATE = envstr("DSAR_NEW_LINK_RATE", "5/h")
# The public flow re-reads the catalogue at most this often per process (admin edits show up
# after this delay); see dsar.wizard.flow.catalogue_snapshot.
DSAR_WIZARD_CATALOGUE_SECONDS = envint("DSAR_WIZARD_CATALOGUE_SECONDS", 60, minimum=0)
RATELIMIT_ENABLE = envbool("DSAR_RATELIMIT", True)
# A worker that claimed a bulk letter and died gives it up after this long (casework.services).
CASEWORK_CLAIM_LEASE_SECONDS = envint("DSAR_CASEWORK_LEASE_SECONDS", 300, minimum=1)
# The staff dashboard's per-organisation and per-dataset history is recomputed at most this often.
CASEWORK_DASHBOARD_HISTORY_SECONDS = envint("DSAR_DASHBOARD_HISTORY_SECONDS", 300, minimum=0)

# --- Security ----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("DSAR_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DSAR_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Everything comes from our own host: a privacy tool must not tell third parties who visits it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("DSAR_LOG_LEVEL", "INFO")},
    # Chatty third parties: WeasyPrint logs every rendering step, axes its version at start-up.
    "loggers": {
        name: {"level": "WARNING"} for name in ("weasyprint", "weasyprint.progress", "fontTools", "axes")
    },
}
