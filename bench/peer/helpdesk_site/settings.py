"""Settings of the peer: a stock django-helpdesk 2.6 site, configured the way Shishi runs.

Read by the helpdesk venv's python only (bench/peer/__init__.py starts it). Two environment
variables choose the instance:

    PEER_WORKDIR   folder of this instance: its SQLite file, collected static files, logs
    DATABASE_URL   PostgreSQL instead of SQLite (optional), as for Shishi

Like Shishi (shishi/settings.py): DEBUG off, zh-hans in Asia/Shanghai, whitenoise for static
files, local-memory cache, SQLite in WAL mode with IMMEDIATE transactions and no persistent
connection (CONN_MAX_AGE 0), PostgreSQL with persistent, health-checked connections (60 s).
"""

import os
from pathlib import Path

import dj_database_url

WORKDIR = Path(os.environ["PEER_WORKDIR"]).resolve()

SECRET_KEY = "peer-benchmark-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "helpdesk_site.urls"
WSGI_APPLICATION = "helpdesk_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{WORKDIR / 'helpdesk.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;"
            "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=30000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = WORKDIR / "static"
MEDIA_ROOT = WORKDIR / "media"
MEDIA_URL = "/media/"

# Helpdesk's own sign-in page (mounted at the root, so /login/). After it, without a next,
# the settings page and not helpdesk's home, which sends staff on to the dashboard: tens of
# seconds at a million tickets on SQLite, for a load user that only signs in.
LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:user_settings"

# Mail is not part of what is measured (Shishi sends its SMS from a worker, not the request).
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.com"

# --- django-helpdesk -----------------------------------------------------------------------
# Teams mode (on by default) needs the pinax-teams app; a public helpdesk does not use it.
HELPDESK_TEAMS_MODE_ENABLED = False
# The knowledge base stays on (the default): helpdesk 2.6.1's urls.py fails with it off
# (NameError: kb). It is left empty.
# Otherwise helpdesk's defaults: anonymous visitors may submit through the public form
# (HELPDESK_SUBMIT_A_TICKET_PUBLIC), the equivalent of Shishi's intake.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
