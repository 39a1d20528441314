"""Settings for the USHT learning-network product.

Every value that differs between machines comes from an environment variable,
read through the typed helpers in ``config.env`` that refuse bad values. The
defaults are safe for development: SQLite in the project folder, an embedded
Celery broker on the file system, and e-mail printed to the console. The README
lists every variable.
"""

import datetime as dt
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from pythonjsonlogger.core import RESERVED_ATTRS

from config.env import env_bool, env_int, env_list, env_str, parse_email_url, smtp_mailer

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and env_bool("PRODUCTION", False):
        raise ImproperlyConfigured("SECRET_KEY must be set when PRODUCTION=1.")
    SECRET_KEY = "insecure-development-key-change-me-in-production-" + "x" * 20

# Rotating the key: the old one here for a while, so that logins and signed links
# made with it keep working (README, Operations).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "config.apps.UshtAdminConfig",  # Django's admin with our site class
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The domain, from the bottom layer up; imports only go down this list.
    "network",
    "teams",
    "sessions_app",
    "gatherings",
    "knowledge",
    "agreements",
    "improvement",  # driver diagrams
    "reports",
    "units",  # the unit leader's view and the improvement board
    "assessments",
    "reminders",
    "security",
    "privacy",  # the privacy statement, access, erasure and the retention rules
    "demo",  # seed_demo: the demo region for `make run`
    "axes",  # last, as django-axes asks
]

MIDDLEWARE = [
    # The access log (gunicorn writes none): routes instead of paths that carry secrets.
    "security.access_log.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every request in the tenancy scope of its user's centres (network/access.py).
    "network.access.ScopeMiddleware",
    "security.context.CurrentRequestMiddleware",
    "security.two_factor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
# Widgets in Django's own Jinja2 templates, the admin's in its own (lib/renderers.py).
FORM_RENDERER = "lib.renderers.FastWidgetRenderer"

# Database: DATABASE_URL, or a SQLite file in the project for development.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections: a new PostgreSQL connection per request costs the
        # connection and, worse, a cold catalogue cache that makes the server plan each
        # query from scratch (a six-table lookup: 0.8 ms to plan, 0.1 ms to run).
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Brute-force lockout on every login: per user name and IP address together,
# lifted after a finite cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "security.lockout.username"
AXES_LOCKOUT_TEMPLATE = "security/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Two-factor login (TOTP) for coordinators and superusers; always on in production.
OTP_REQUIRED = env_bool("OTP_REQUIRED", env_bool("PRODUCTION", False))
OTP_TOTP_ISSUER = "USHT læringsnettverk"
LOGIN_URL = "security:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: Norwegian bokmål first, English second; Oslo time shown, UTC stored.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Bokmål dates as Norwegians write them (01.09.2027) in every date field, and
# numbers with a space between thousands (5 000,00; 5,000.00 in English). A number
# written into a URL or an attribute by hand needs |unlocalize (an id of 1 000).
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names in production (after collectstatic); plain files
    # straight from static/ in development and tests.
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("PRODUCTION", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if env_bool("PRODUCTION", False):
    # The app serves its own static files (no CDN, no extra web server).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: EMAIL_URL, or the separate EMAIL_* variables; the console by default.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "USHT læringsnettverk <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT_SECONDS = env_int("EMAIL_TIMEOUT", 20, minimum=1)
if env_str("EMAIL_URL"):
    _mailer = parse_email_url(env_str("EMAIL_URL"), timeout=EMAIL_TIMEOUT_SECONDS)
elif env_str("EMAIL_HOST"):
    _mailer = smtp_mailer(
        env_str("EMAIL_HOST"),
        env_int("EMAIL_PORT", 25, minimum=1),
        username=env_str("EMAIL_HOST_USER", ""),
        password=env_str("EMAIL_HOST_PASSWORD", ""),
        use_tls=env_bool("EMAIL_USE_TLS", False),
        use_ssl=env_bool("EMAIL_USE_SSL", False),
        timeout=EMAIL_TIMEOUT_SECONDS,
    )
else:
    _mailer = parse_email_url("console://")
MAILERS = {"default": _mailer}

# Celery: Redis when REDIS_URL (or CELERY_BROKER_URL) is set, otherwise kombu's
# file-system transport, which needs no server at all.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_BROKER_DIR = Path(env_str("CELERY_BROKER_DIR", str(BASE_DIR / ".celery" / "broker")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "processed_folder": str(CELERY_BROKER_DIR.parent / "processed"),
        # kombu keeps its exchange tables here; by default it is ./control.
        "control_folder": str(CELERY_BROKER_DIR.parent / "control"),
        "store_processed": False,
    }
# The cache holds only what can be drawn again (the network's small charts, under a
# digest of what they are made of). CACHE_URL shares it between the web workers
# (Redis, a database of its own: never the broker's); unset, each process keeps its own.
CACHE_URL = env_str("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "expire-agreement-links": {
        "task": "agreements.expire_links",
        "schedule": 60 * 60,
    },
    "carry-timeline": {
        "task": "reminders.carry_timeline",
        "schedule": env_int("NETWORK_STATUS_INTERVAL_SECONDS", 15 * 60, minimum=10),
    },
    "send-due-reminders": {
        "task": "reminders.sweep",
        "schedule": env_int("REMINDER_SWEEP_SECONDS", 60, minimum=10),
    },
    "send-pending-registration-notices": {
        "task": "gatherings.send_pending_notices",
        "schedule": 60,
    },
    "deliver-pending-agreements": {
        "task": "agreements.deliver_pending",
        "schedule": 60,
    },
    "deliver-pending-reports": {
        "task": "reports.deliver_pending",
        "schedule": 60,
    },
    "deliver-pending-result-requests": {
        "task": "units.deliver_pending",
        "schedule": 60,
    },
    "build-pending-exports": {
        "task": "reports.build_pending",
        "schedule": 60,
    },
    "send-due-invitations": {
        "task": "teams.send_due_invitations",
        "schedule": 60,
    },
    "weekly-digest": {
        "task": "reminders.weekly_digest",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    # The retention rules, at night.
    "retention-registrations": {
        "task": "privacy.purge_registrations",
        "schedule": crontab(hour=2, minute=10),
    },
    "retention-security-log": {
        "task": "privacy.purge_security_log",
        "schedule": crontab(hour=2, minute=20),
    },
    "retention-reminders": {
        "task": "privacy.purge_reminders",
        "schedule": crontab(hour=2, minute=30),
    },
    "retention-inactive-people": {
        "task": "privacy.retire_inactive_people",
        "schedule": crontab(hour=2, minute=40),
    },
}

# Reminders: a sweep holds a claimed batch this long; a worker that died leaves its
# batch to the next sweep once the lease has run out.
REMINDER_LEASE_SECONDS = env_int("REMINDER_LEASE_SECONDS", 5 * 60, minimum=1)
# Other background work (a report's PDF, a signed agreement, an export, a
# registration's e-mail) is held this long by the worker that claimed it.
WORK_LEASE_SECONDS = env_int("WORK_LEASE_SECONDS", 10 * 60, minimum=1)
# Publishing a task gives up quickly when the broker is down: the sweeps have it.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}

# Agreements: how long a signing link works.
AGREEMENT_LINK_DAYS = env_int("AGREEMENT_LINK_DAYS", 30, minimum=1)

# Retention (privacy/tasks.py, run by beat; the privacy statement shows each period).
# A gathering's registrations and waiting list, this long after the gathering ended.
RETENTION_REGISTRATION_DAYS = env_int("RETENTION_REGISTRATION_DAYS", 180, minimum=1)
# Failed logins and lockouts (django-axes), this long after the attempt.
RETENTION_LOGIN_ATTEMPT_DAYS = env_int("RETENTION_LOGIN_ATTEMPT_DAYS", 90, minimum=1)
# The security event log, this long after the event.
RETENTION_SECURITY_EVENT_DAYS = env_int("RETENTION_SECURITY_EVENT_DAYS", 365, minimum=1)
# Reminders that were sent, cancelled or failed (recipient, time, error), this long
# after they were due.
RETENTION_REMINDER_DAYS = env_int("RETENTION_REMINDER_DAYS", 365, minimum=1)
# A person with no role left who has not logged in for this long is warned by e-mail,
# and erased this long after the warning unless they log in or get a role again.
RETENTION_INACTIVE_PERSON_DAYS = env_int("RETENTION_INACTIVE_PERSON_DAYS", 730, minimum=1)
RETENTION_WARNING_DAYS = env_int("RETENTION_WARNING_DAYS", 30, minimum=1)

# Security. Production (PRODUCTION=1) turns on what `check --deploy` asks for.
# No page has inline script or style, so the policy can be strict.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# An idle timeout: the session expires SESSION_IDLE_MINUTES after the last request.
SESSION_COOKIE_AGE = 60 * env_int("SESSION_IDLE_MINUTES", 60, minimum=1)
SESSION_SAVE_EVERY_REQUEST = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

if env_bool("PRODUCTION", False):
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Paths may carry secrets (signing, cancellation, calendar and password links): the
# access log (usht.access, security/access_log.py) logs routes instead, and the
# RedactPaths filter does the same for Django's own records about a request.
# Logs: JSON lines in production (LOG_FORMAT=json), plain lines in development.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if env_bool("PRODUCTION", False) else "plain")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_paths": {"()": "security.access_log.RedactPaths"},
        "request_fields": {"()": "security.access_log.RequestFields"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One JSON object a line, with the request id, the user and their centres,
        # and what the access log adds (method, route, status, duration).
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
            # Django's records carry the request object, whose text is the full
            # path, secret link tokens and all: never written out.
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
        },
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_fields"],
        },
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["redact_paths"]},
        "django.security.csrf": {"filters": ["redact_paths"]},
        # runserver's own request lines, as Django configures them, redacted.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_paths"],
        },
        "usht.access": {"level": "INFO"},
    },
}
