"""Settings for supply_service: read from environment variables only (see the README's configuration table)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from supply_service.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SUPPLY_VAR_DIR", str(BASE_DIR / "var")))

# Secure by default: DEBUG is off unless asked for, and then a secret key and allowed hosts are required.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-for-make-run-never-use-in-production-0123456789"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_fsm",
    "simple_history",
    "django_q",
    "axes",
    "csp",
    "supply_service.core",
    "supply_service.customers",
    "supply_service.tickets",
    "supply_service.outages",
    "supply_service.complaints",
    "supply_service.appointments",
    "supply_service.counter",
    "supply_service.quality",
    "supply_service.dashboard",
    "supply_service.audits",
    "supply_service.kiosk",
]

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
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the translated lockout page
]

ROOT_URLCONF = "supply_service.urls"
WSGI_APPLICATION = "supply_service.wsgi.application"
ASGI_APPLICATION = "supply_service.asgi.application"

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
                "supply_service.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file by default (WAL, busy timeout, immediate transactions), anything else by DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'supply_service.sqlite3'}"
# Connections are kept DATABASE_CONN_MAX_AGE seconds (60) and checked before reuse (issue 12, README "Past one
# machine"): a new PostgreSQL connection costs ~6 ms (and django-q's ORM broker closes expired ones around every task);
# a new SQLite one loses the statements SQLite compiled for the last request (the kiosk account over HTTP: 118 → 187
# requests a second with them kept). Behind pgbouncer in transaction mode set DATABASE_CONN_MAX_AGE=0 and
# DATABASE_DISABLE_SERVER_SIDE_CURSORS=1. JIT is off
# (DATABASE_PG_JIT=1 turns it back on): it only costs short OLTP queries whose estimates pass jit_above_cost.
DATABASES = {"default": dj_database_url.parse(
    DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True,
)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's PostgreSQL backend reading timestamps with Python's ISO parser (core/postgresql/base.py; issue 12).
    DATABASES["default"]["ENGINE"] = "supply_service.core.postgresql"
    if not env_bool("DATABASE_PG_JIT", False):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False)
    # The pages' hot statements are prepared on the server once per connection (core.prepared.hot_cursor); behind
    # pgbouncer in transaction mode (before 1.21) set DATABASE_PREPARED_STATEMENTS=0.
    DATABASES["default"]["PREPARE_HOT_STATEMENTS"] = env_bool("DATABASE_PREPARED_STATEMENTS", True)
    # A page's independent hot reads are sent in one round trip (psycopg's pipeline mode, core.together) when they
    # are prepared; DATABASE_PIPELINE=0 sends them one by one.
    DATABASES["default"]["PIPELINE_READS"] = env_bool("DATABASE_PIPELINE", True)
    # ... and planned once (a generic plan), not for every execution's values: the homes' statements spent longer in
    # the planner than running (issue 12); every hot statement is written so that its generic plan reads indexes
    # (README "Speed"). Only prepared statements have a plan cache: the others are planned per execution anyway.
    if DATABASES["default"]["PREPARE_HOT_STATEMENTS"] and env_bool("DATABASE_PG_GENERIC_PLANS", True):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend remembering each statement's placeholder rewrite (core/sqlite3/base.py; issue 12).
    DATABASES["default"]["ENGINE"] = "supply_service.core.sqlite3"
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# Login rate limit (django-axes): the pair (user name, client address) is locked after N failures for M minutes.
# Django's ModelBackend reading a user's permissions in one query (issue 12)
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "supply_service.core.backends.ModelBackend"]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15))
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() < 60:
    raise ImproperlyConfigured("DJANGO_LOGIN_FAILURE_LIMIT and DJANGO_LOGIN_LOCKOUT_MINUTES must be at least 1.")
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "supply_service.core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "supply_service.core.accounts.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# A password-reset e-mail goes to a user at most once per this many minutes (the link stays valid for the timeout).
PASSWORD_RESET_EMAIL_MINUTES = env_int("DJANGO_PASSWORD_RESET_EMAIL_MINUTES", 5)
PASSWORD_RESET_TIMEOUT = env_int("DJANGO_PASSWORD_RESET_SECONDS", 3600)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Languages: English source strings, Chinese by default; Uyghur is right-to-left; Django lacks Tibetan.
LANG_INFO["bo"] = {"bidi": False, "code": "bo", "name": "Tibetan", "name_local": "བོད་ཡིག"}
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
    ("ug", _("Uyghur")),
    ("bo", _("Tibetan")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Security: HTTPS handling is on in production unless DJANGO_HTTPS=0 says explicitly that something else does it.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS and env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind N reverse proxies the client's address is the N-th from the right of X-Forwarded-For (core/http.py).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy (django-csp): no inline script or style anywhere; everything comes from this origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 3600)

# E-mail through Django's own backends: SMTP in production, the console while developing.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "service@supply.example.cn")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SMS goes through a backend class (the real gateway adapter fits the same interface).
SMS_BACKEND = env_str("SMS_BACKEND", "supply_service.core.sms.FileSmsBackend")
SMS_FILE_PATH = Path(env_str("SMS_FILE_PATH", str(VAR_DIR / "sms")))

# Outbox delivery policy.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)
OUTBOX_CLAIM_TIMEOUT_SECONDS = env_int("OUTBOX_CLAIM_TIMEOUT_SECONDS", 300)
# The SLA sweep breaches in batches until none is left or this much time has passed (below the task timeout).
SLA_SWEEP_BUDGET_SECONDS = env_int("SLA_SWEEP_BUDGET_SECONDS", 40)

# Backups (`manage.py backup` / `restore`): where they go; PG_BIN_DIR names pg_dump's folder when it is not found.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
PG_BIN_DIR = env_str("PG_BIN_DIR", "")

# Imports (marketing system, call records): files above these limits are refused before anything is written.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)  # an XLSX unzipped
IMPORT_TASK_TIMEOUT_SECONDS = env_int("IMPORT_TASK_TIMEOUT_SECONDS", 1800)  # a background import at most

# Background work: django-q2 with the ORM broker, or Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
Q_CLUSTER = {
    "name": "supply_service",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 60,
    "retry": 120,
    "max_attempts": 3,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "label": _("Background tasks"),
    "save_limit": 500,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SUPPLY_SITE_NAME = _("Power Supply Business Office")

# Where the staff home links an SLA clock's item: "<app_label>.<model>" -> URL name taking `number`.
SLA_SUBJECT_URLS = {
    **{f"tickets.{m}": "tickets:detail"
       for m in ("repairticket", "businessexpansion", "meterfaultticket", "billquery", "consultation")},
    "outages.outagenotice": "outages:detail",
    "appointments.appointment": "appointments:detail",
}

# `manage.py seed_demo` calls these in order (each idempotent; the kernel imports no app, so apps register here).
DEMO_SEEDERS = [
    "supply_service.core.demo.seed_demo_base",
    "supply_service.customers.demo.seed_demo_customers",
    "supply_service.appointments.demo.seed_demo_appointments",
    "supply_service.counter.demo.seed_demo_counter",
    "supply_service.quality.demo.seed_demo_quality",
    "supply_service.dashboard.demo.seed_demo_dashboard",
    "supply_service.complaints.demo.seed_demo_complaints",
    "supply_service.audits.demo.seed_demo_audits",
]
