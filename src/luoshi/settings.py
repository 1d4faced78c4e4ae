"""Django settings for luoshi, read from the environment.

LUOSHI_DATA_DIR   where the SQLite database, uploads and the generated secret key live
DATABASE_URL      e.g. postgres://user:pass@127.0.0.1:5432/luoshi (default: SQLite in the data dir)
LUOSHI_SECRET_KEY secret key (default: generated once and kept in the data dir)
LUOSHI_DEBUG      1 to enable debug pages (never in production)
LUOSHI_ALLOWED_HOSTS comma-separated host names (default: localhost,127.0.0.1)
LUOSHI_AUDIT_KEY_FILE  the audit chain's HMAC key, outside the data dir (default: <data dir>-audit.key beside it)
LUOSHI_AUDIT_CHECKPOINT_FILE  append-only audit checkpoints (default: <data dir>-audit-checkpoints.jsonl)
LUOSHI_HTTPS      1 behind a TLS-terminating proxy: Secure cookies, HSTS, HTTPS redirect,
                  X-Forwarded-Proto trusted (LUOSHI_HSTS_SECONDS, LUOSHI_HSTS_PRELOAD)
LUOSHI_LOGIN_FAILURES   failed logins per user+address before a lockout (default 5)
LUOSHI_LOCKOUT_MINUTES  how long a lockout lasts (default 30; an admin can unlock earlier)
LUOSHI_TOKEN_TTL_HOURS  lifetime of an API token (default 24)
LUOSHI_TOKEN_RATE       token requests per address (default 10/minute)
LUOSHI_PUBLIC_REPORT_RATE  reports per client address on /public/report/ (default 10/h)
LUOSHI_OPEN311_JURISDICTION  the Open311 jurisdiction_id (default luoshi)
"""
from __future__ import annotations

import datetime as _dt
import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent

DATA_DIR = Path(
    os.environ.get("LUOSHI_DATA_DIR") or Path.home() / ".local" / "share" / "luoshi"
).expanduser()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("LUOSHI_SECRET_KEY")
    if key:
        return key
    # Keep a generated key so sessions survive restarts without configuration.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
SECRET_KEY_FROM_ENV = bool(os.environ.get("LUOSHI_SECRET_KEY"))
DEBUG = os.environ.get("LUOSHI_DEBUG", "") in {"1", "true", "yes"}
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("LUOSHI_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("LUOSHI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "luoshi.core",
    "luoshi.audit",
    "luoshi.accounts",
    "luoshi.orgs",
    "luoshi.workcal",
    "luoshi.notifications",
    "luoshi.ledger",
    "luoshi.supervision",
    "luoshi.review",
    "luoshi.cases",
    "captcha",
    "luoshi.petitions",
    "luoshi.inspections",
    "luoshi.assessment",
    "luoshi.accountability",
    "luoshi.public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "luoshi.core.middleware.InterfaceLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "luoshi.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "luoshi.core.middleware.BadRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the Chinese lockout page / JSON 429
]
AUTHENTICATION_BACKENDS = [
    "luoshi.core.lockout.LockoutBackend",  # first: django-axes refuses locked-out user+address pairs
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "luoshi.public.sections.portal",
                "luoshi.core.nav.context",
                "luoshi.notifications.context.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'luoshi.sqlite3'}",  # empty = unset
        conn_max_age=int(os.environ.get("LUOSHI_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on one file (web workers, CLI jobs): WAL lets readers run beside the
    # one writer; every transaction.atomic() starts with BEGIN IMMEDIATE so a writer takes the
    # write lock up front and waits for it (busy timeout, in seconds) instead of failing at once
    # with "database is locked" when a deferred read transaction tries to upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": int(os.environ.get("LUOSHI_SQLITE_TIMEOUT", "30")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# The cache holds counters every worker process must share: the API token throttle (DRF) and the
# rate limits of the citizen pages. Default: a table in the database (`luoshi_cache`, created by the
# core migration), so gunicorn workers, the CLI and jobs see the same counts with nothing more to run.
# LUOSHI_CACHE_URL=redis://host:6379/1 uses Redis instead (atomic increments; e.g. the Redis of
# LUOSHI_TASKS_BACKEND=rq).
_cache_url = os.environ.get("LUOSHI_CACHE_URL", "").strip()
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url,
                          "KEY_PREFIX": "luoshi"}}
elif _cache_url in ("", "db"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "luoshi_cache",
                          "OPTIONS": {"MAX_ENTRIES": 100_000}}}
else:
    raise ImproperlyConfigured(f"LUOSHI_CACHE_URL must be empty, 'db' or redis://…, not {_cache_url!r}")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = os.environ.get("LUOSHI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploads: refuse anything bigger than this before it reaches a parser.
LUOSHI_MAX_UPLOAD_BYTES = int(os.environ.get("LUOSHI_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = LUOSHI_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Pasted speech text (review screen): 2 MB ≈ 70万 Chinese characters, far above any real speech.
LUOSHI_MAX_PASTE_BYTES = int(os.environ.get("LUOSHI_MAX_PASTE_BYTES", str(2 * 1024 * 1024)))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "luoshi.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "luoshi.core.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [],
    "DEFAULT_THROTTLE_RATES": {"auth_token": os.environ.get("LUOSHI_TOKEN_RATE", "10/minute")},
    # LuoshiError → 400 {detail, detail_zh, field}; NotAllowed → 403.
    "EXCEPTION_HANDLER": "luoshi.api_urls.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "luoshi 落实 API",
    "DESCRIPTION": "Task ledger (台账), units, progress reports and audit trail.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its viewers are for logged-in users only, and load nothing from a CDN.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"PetitionStatusEnum": "luoshi.petitions.models.Status",
                            "TaskStatusEnum": "luoshi.ledger.models.Status"},
}

# API tokens (luoshi.accounts.tokens): stored hashed, expire, die with a password change.
LUOSHI_TOKEN_TTL_HOURS = float(os.environ.get("LUOSHI_TOKEN_TTL_HOURS", "24"))

# Brute-force protection (django-axes): lock a user+address pair out after this many failed
# logins (web login, admin and the token endpoint alike) for LUOSHI_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("LUOSHI_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = _dt.timedelta(minutes=float(os.environ.get("LUOSHI_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # only failures are kept (the audit trail records what matters)
AXES_LOCKOUT_CALLABLE = "luoshi.core.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "luoshi.core.lockout.client_ip"
AXES_VERBOSE = False

# Background work goes through the tasks API. The default runs tasks in-process
# so `luoshi serve` alone works; for scale-out set LUOSHI_TASKS_BACKEND=database
# (worker: `luoshi manage db_worker`) or LUOSHI_TASKS_BACKEND=rq with REDIS_URL
# (worker: `luoshi manage rqworker --job-class django_tasks_rq.Job`).
_tasks_backend = os.environ.get("LUOSHI_TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[_tasks_backend],
    }
}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
if _tasks_backend == "rq":
    TASKS["default"]["QUEUES"] = ["default"]
    INSTALLED_APPS += ["django_rq"]

# Supervision clock (see luoshi.supervision.common and .lights): working days before the
# deadline that count as 临期, points behind 序时进度 that turn a task yellow,
# working days to answer a notice and to finish a 限期整改 item.
LUOSHI_SUPERVISION = {
    key: int(os.environ[env])
    for key, env in [("warn_days", "LUOSHI_WARN_DAYS"), ("behind_margin", "LUOSHI_BEHIND_MARGIN"),
                     ("reply_days", "LUOSHI_REPLY_DAYS"), ("rectify_days", "LUOSHI_RECTIFY_DAYS")]
    if os.environ.get(env)
}
LUOSHI_WEBHOOK_URL = os.environ.get("LUOSHI_WEBHOOK_URL", "")
# Audit chain anchoring (luoshi.audit.anchor): empty = beside the data directory.
LUOSHI_AUDIT_KEY_FILE = os.environ.get("LUOSHI_AUDIT_KEY_FILE", "")
LUOSHI_AUDIT_CHECKPOINT_FILE = os.environ.get("LUOSHI_AUDIT_CHECKPOINT_FILE", "")
LUOSHI_WEBHOOK_SECRET = os.environ.get("LUOSHI_WEBHOOK_SECRET", "")

EMAIL_BACKEND = os.environ.get("LUOSHI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("LUOSHI_FROM_EMAIL", "luoshi@localhost")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Browser features no page of luoshi uses (sent by luoshi.core.middleware.SecurityHeadersMiddleware).
LUOSHI_PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                             "microphone=(), payment=(), usb=(), interest-cohort=()")
# Content-Security-Policy (django-csp): scripts and styles only from luoshi's own static files,
# no inline script or style, no plugin, no framing, forms post only back to luoshi. Page data
# reaches scripts through json_script (<script type="application/json">, which is not executed).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The optional map of the report form and the case page (cases.maps): only with a tile server (an
# intranet usually has none). A Leaflet URL template, e.g. https://tiles.example/{z}/{x}/{y}.png; the page's
# CSP then allows images from that host.
LUOSHI_MAP_TILE_URL = os.environ.get("LUOSHI_MAP_TILE_URL", "").strip()
LUOSHI_MAP_ATTRIBUTION = os.environ.get("LUOSHI_MAP_ATTRIBUTION", "")
LUOSHI_MAP_CENTER = os.environ.get("LUOSHI_MAP_CENTER", "30.6,114.3")
LUOSHI_MAP_ZOOM = int(os.environ.get("LUOSHI_MAP_ZOOM", "12"))
LUOSHI_MAP_MAX_ZOOM = int(os.environ.get("LUOSHI_MAP_MAX_ZOOM", "18"))
# Cases: how many reports the public form (/public/report/) takes per client address, django-ratelimit's
# "N/unit" (unit s, m, h or d, optionally with a count, e.g. 100/5m); and the Open311 jurisdiction_id.
LUOSHI_PUBLIC_REPORT_RATE = os.environ.get("LUOSHI_PUBLIC_REPORT_RATE", "10/h").strip()
if not re.fullmatch(r"[1-9][0-9]*/[0-9]*[smhd]", LUOSHI_PUBLIC_REPORT_RATE):
    raise ImproperlyConfigured(
        f"LUOSHI_PUBLIC_REPORT_RATE must look like 10/h or 100/5m, not {LUOSHI_PUBLIC_REPORT_RATE!r}")
LUOSHI_OPEN311_JURISDICTION = os.environ.get("LUOSHI_OPEN311_JURISDICTION", "").strip() or "luoshi"
# Addresses of the reverse proxy whose X-Forwarded-For / X-Forwarded-Proto are believed.
LUOSHI_FORWARDED_ALLOW_IPS = [
    a.strip() for a in os.environ.get("LUOSHI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1").split(",") if a.strip()
]

# Behind a TLS-terminating reverse proxy (nginx …) that sets X-Forwarded-Proto.
HTTPS = os.environ.get("LUOSHI_HTTPS", "") in {"1", "true", "yes"}
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("LUOSHI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("LUOSHI_HSTS_SUBDOMAINS", "1") in {"1", "true", "yes"}
    SECURE_HSTS_PRELOAD = os.environ.get("LUOSHI_HSTS_PRELOAD", "") in {"1", "true", "yes"}
    if not SECURE_HSTS_PRELOAD:
        # Submitting the domain to the browsers' preload list is the operator's decision.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LUOSHI_LOG_LEVEL", "WARNING")},
}
