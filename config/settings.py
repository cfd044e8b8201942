"""Settings for the hiring pipeline, read from the environment (12-factor).

Every value has a safe local default so ``make run`` works on any machine,
except production secrets: with ``DJANGO_ENV=production`` the process refuses
to start without ``SECRET_KEY``.
"""

import contextlib
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """A request rate, "N/second", "N/minute", "N/hour" or "N/day" (DRF's form)."""
    value = os.environ.get(name) or default
    count, _, period = value.partition("/")
    if not (count.strip().isdigit() and period.strip()[:1] in {"s", "m", "h", "d"}):
        raise ImproperlyConfigured(f"{name} must look like '100/minute', not {value!r}.")
    return value


def env_hours(name: str, default: str) -> timedelta:
    """A positive number of hours (fractions allowed)."""
    value = os.environ.get(name) or default
    try:
        hours = float(value)
    except ValueError:
        hours = 0.0
    if not 0 < hours < 10_000:
        raise ImproperlyConfigured(f"{name} must be a positive number of hours, not {value!r}.")
    return timedelta(hours=hours)


ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    SECRET_KEY = "development-only-insecure-key-never-use-in-production"
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 characters when DJANGO_ENV=production "
        f"(it has {len(SECRET_KEY)}); generate one with "
        '`python3 -c "import secrets; print(secrets.token_urlsafe(64))"`.'
    )

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django.contrib.admin, signed into through the site's sign-in (accounts.admin_site).
    "accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "core",
    "roles",
    "candidates",
    "hiring",
    "offers",
    "reports",
    "demo",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Headers: CSP, Permissions-Policy and no-store on every answer past the static files.
    "csp.middleware.CSPMiddleware",
    "core.headers.SecurityHeadersMiddleware",
    # Refuses a body over its path's limit (413) by its Content-Length, before anything reads it.
    "core.body_limit.BodyLimitMiddleware",
    # Outside every middleware that can fail: no /api/ answer is an HTML error page.
    "core.middleware.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sign-in: idle and absolute session limits, then the two-factor requirement (accounts).
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    # Styled 405 pages, and the styled 404 even with DEBUG on (pages only, never /api/).
    "core.error_pages.ErrorPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into accounts.lockout's answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Performance (issue 11, docs/performance.md): PostgreSQL's JIT compiles every query whose
# estimated cost passes jit_above_cost. The page and API queries run in milliseconds but
# their estimates (correlated visibility subqueries) pass it: make bench measured 0.5 to 3 s
# of compilation on one list. Off for this site's connections; DATABASE_JIT=on turns it back.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DATABASE_JIT", default=False
):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    # Candidate documents are personal data: stored outside the web root and
    # served only through a permission-checking view, never by URL.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private")))
        },
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# The cache holds throttle counters (the API's rates, core.api_throttling, and the public
# careers form, core.throttle), so it must be shared by every process: Redis with
# CACHE_URL=redis://host:6379/1 (every host shares it; set it in production), else files under
# CACHE_DIR (every process on this host shares them). Never process-local memory: each
# worker process would count alone.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL.startswith(("redis://", "rediss://"))
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(Path(os.environ.get("CACHE_DIR", VAR_DIR / "cache"))),
            # Counters of past windows are never read again; culled past this many files.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}
# The careers application form: tries per client address and per email, per hour.
CAREERS_THROTTLE_PER_ADDRESS = int(os.environ.get("CAREERS_THROTTLE_PER_ADDRESS", "10"))
CAREERS_THROTTLE_PER_EMAIL = int(os.environ.get("CAREERS_THROTTLE_PER_EMAIL", "3"))

# How long the access log for personal data keeps its events (core.audit).
ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("ACCESS_LOG_RETENTION_DAYS", "730"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in (accounts app; docs/decisions.md 77-79).
# Lockout (django-axes): AXES_FAILURE_LIMIT failed sign-ins for one username from one
# address lock that pair for AXES_COOLOFF_MINUTES, on the sign-in page, the admin and the
# API token endpoint (everything that calls authenticate(request=...)). Counted in the
# database, so every process agrees. Behind proxies that append to X-Forwarded-For, set
# TRUSTED_PROXY_COUNT to their number so the client's address is counted, not the proxy's:
# by the lockout, the API throttles, the careers form and the access log alike
# (core.throttle.client_address).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user's groups with the user (decision 102).
    "accounts.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A try during the lockout does not restart it: locked for exactly the cool-off.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_VERBOSE = False  # no banner at every start; lockouts are still logged
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Sessions end after SESSION_IDLE_SECONDS without a request and SESSION_MAX_SECONDS after
# the sign-in (accounts.middleware.SessionLimitsMiddleware); the cookie lives no longer.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(2 * 3600)))
SESSION_MAX_SECONDS = int(os.environ.get("SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
# Two-factor sign-in (django-otp, TOTP): open to everyone; required of compensation admins
# and superusers when on (pages, admin and session API calls wait for a verified session).
REQUIRE_2FA_FOR_ADMINS = env_bool("REQUIRE_2FA_FOR_ADMINS", default=PRODUCTION)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Hiring pipeline")

# Security: strict in production, so `check --deploy` has nothing to report.
SESSION_COOKIE_HTTPONLY = True
# A form posted without its CSRF token gets the styled 403 page that says what to do.
CSRF_FAILURE_VIEW = "core.error_pages.csrf_failure"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"

# Headers and request limits (docs/security.md). A strict Content-Security-Policy: nothing
# inline, nothing from elsewhere; violations are posted to core.csp_report, which logs them.
CSP_REPORT_PATH = "/csp-report/"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": CSP_REPORT_PATH,
    }
}
# The largest violation report read; a bigger one is refused unread (413).
CSP_REPORT_MAX_BYTES = int(os.environ.get("CSP_REPORT_MAX_BYTES", "65536"))
# Reports one client address may post per minute (more are refused unlogged: no log flooding).
CSP_REPORTS_PER_MINUTE = int(os.environ.get("CSP_REPORTS_PER_MINUTE", "60"))
# Browser features no page here uses, switched off for every page and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
# Request bodies, checked by Content-Length before they are read (core.body_limit): document
# uploads may carry a document (core.limits) plus this margin for the form around it; every
# other request at most DATA_UPLOAD_MAX_MEMORY_SIZE, which Django also applies to a body
# without a Content-Length as it reads it.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", "2621440"))
UPLOAD_BODY_MARGIN_BYTES = int(os.environ.get("UPLOAD_BODY_MARGIN_BYTES", "1048576"))
# Stored files (documents, report files, anything through the default storage) are private to
# the service's user.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.authentication.TokenAuthentication",
        # DRF's, refusing an unverified admin's session under REQUIRE_2FA_FOR_ADMINS.
        "accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's defaults, with a JSON parser that refuses deeply nested input (a 400, not a 500).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # No `?format=` renderer override: it shadowed the reports list's `format` filter (a 404
    # for `?format=csv`); a client picks JSON or a file by the Accept header.
    "URL_FORMAT_OVERRIDE": None,
    # Rates: API_THROTTLE_RATES below, read at each request.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api_throttling.UserRateThrottle",
        "core.api_throttling.AnonRateThrottle",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# API tokens (django-rest-knox): one token per sign-in, stored as a SHA-512 digest, expiring
# API_TOKEN_TTL_HOURS after it was issued (never extended by use: no write per request), and
# revoked by its owner, by logout and by a password change (core.api_tokens).
REST_KNOX = {
    "TOKEN_TTL": env_hours("API_TOKEN_TTL_HOURS", "10"),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}

# API throttling (core.api_throttling): requests per signed-in user, per address for anonymous
# callers, and per address on the token endpoint (stricter: it checks passwords). "N/second",
# "N/minute", "N/hour" or "N/day"; counted in the shared cache above, in clock-aligned windows.
API_THROTTLE_RATES = {
    "user": env_rate("API_THROTTLE_USER", "300/minute"),
    "anon": env_rate("API_THROTTLE_ANON", "60/minute"),
    "token": env_rate("API_THROTTLE_TOKEN", "10/minute"),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Hiring pipeline API",
    "DESCRIPTION": (
        "Role data from the AI engineer career guide, candidates, requisitions and applications."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two models expose a field named "kind" (documents, report runs): name each enum.
    "ENUM_NAME_OVERRIDES": {
        "ReportKindEnum": "reports.kinds.Kind",
        "DocumentKindEnum": "candidates.models.Document.Kind",
    },
}

# Email: sent by the worker from the outbox (core.mail), through the backend set here.
# EMAIL_URL (smtp://user:password@host:587?tls=true, smtps://..., console://, file:///path,
# locmem://) or EMAIL_BACKEND plus EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL. With neither, messages are written as
# files under var/mail so `make run` works offline. Tests use the in-memory backend
# (pytest-django's test environment switches EMAIL_BACKEND to locmem).
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_BACKEND = (
    os.environ.get("EMAIL_BACKEND") or "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
if os.environ.get("EMAIL_URL"):
    _email = urlsplit(os.environ["EMAIL_URL"])
    _email_query = {key: values[-1] for key, values in parse_qs(_email.query).items()}
    _email_backends = {
        "smtp": "smtp",
        "smtp+tls": "smtp",
        "submission": "smtp",
        "smtps": "smtp",
        "smtp+ssl": "smtp",
        "console": "console",
        "file": "filebased",
        "locmem": "locmem",
        "dummy": "dummy",
    }
    if _email.scheme not in _email_backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme must be one of {', '.join(sorted(_email_backends))}."
        )
    EMAIL_BACKEND = f"django.core.mail.backends.{_email_backends[_email.scheme]}.EmailBackend"
    if _email.scheme == "file" and _email.path:
        EMAIL_FILE_PATH = unquote(_email.path)
    if _email_backends[_email.scheme] == "smtp":
        EMAIL_USE_SSL = _email.scheme in {"smtps", "smtp+ssl"} or _email_query.get(
            "ssl", ""
        ).lower() in {"1", "true", "yes", "on"}
        EMAIL_USE_TLS = not EMAIL_USE_SSL and (
            _email.scheme in {"smtp+tls", "submission"}
            or _email_query.get("tls", "").lower() in {"1", "true", "yes", "on"}
        )
        EMAIL_HOST = _email.hostname or "localhost"
        EMAIL_PORT = _email.port or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
        EMAIL_HOST_USER = unquote(_email.username or "")
        EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    del _email, _email_query, _email_backends
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hiring pipeline <hiring@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Celery: Redis in real deployments; with no CELERY_BROKER_URL, the embedded
# filesystem transport under var/ so a real worker runs with no server.
# `filesystem://` resolves to core.broker.Transport (registered by config/celery.py):
# kombu's transport with atomic writes, whose reader never crashes the worker.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "broker" / "out"),
        "data_folder_out": str(VAR_DIR / "broker" / "out"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
        # The interval bounds throughput (python -m bench.broker: ~90 tasks/s at
        # 0.05 s, ~30 at 0.2 s) and /healthz ping latency; folder scans are cheap
        # (an idle worker uses ~0.4% of a CPU at 0.05 s).
        "polling_interval": 0.05,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Run by `celery beat` (compose, and runstack in `make run`); proves tasks flow end to
    # end (core.WorkerHeartbeat).
    "worker-heartbeat": {"task": "core.tasks.record_heartbeat", "schedule": 60.0},
    # The outbox's safety net: re-enqueue emails whose task was lost (core.mail).
    "mail-requeue-stale": {"task": "core.tasks.requeue_stale_email", "schedule": 300.0},
    # Scorecards still missing a day after the interview: one reminder per interviewer.
    "hiring-scorecard-reminders": {
        "task": "hiring.tasks.remind_missing_scorecards",
        "schedule": 900.0,
    },
    # The access log for personal data: events past ACCESS_LOG_RETENTION_DAYS go, nightly.
    "core-access-log-purge": {
        "task": "core.tasks.purge_access_log",
        "schedule": crontab(hour=3, minute=30),
    },
    # Expired API tokens (unusable already) and old sign-in records go, nightly.
    "core-tokens-purge": {
        "task": "core.tasks.purge_expired_tokens",
        "schedule": crontab(hour=3, minute=40),
    },
    "accounts-sign-in-records-purge": {
        "task": "accounts.tasks.purge_sign_in_records",
        "schedule": crontab(hour=3, minute=50),
    },
    # Open offers past their expiry date become expired, once a day (in TIME_ZONE).
    "offers-expire-daily": {
        "task": "offers.tasks.expire_offers",
        "schedule": crontab(hour=0, minute=15),
    },
    # Reports: delete expired files and re-enqueue lost runs; send the weekly digests on
    # the days and hours admins set (reports.DigestSchedule rows, checked every 5 minutes).
    "reports-sweep": {"task": "reports.tasks.sweep", "schedule": 600.0},
    "reports-digests": {"task": "reports.tasks.send_due_digests", "schedule": 300.0},
    # Retention: erase candidates past their retain-until date (unless hired), nightly.
    "candidates-retention-nightly": {
        "task": "candidates.tasks.erase_due_candidates",
        "schedule": crontab(hour=2, minute=30),
    },
}
# Reports run on their own queue: a long one never delays the heartbeat or offer mail.
# Every worker (runstack, compose: `-Q celery,reports`) consumes both queues.
CELERY_TASK_ROUTES = {"reports.tasks.generate_report": {"queue": "reports"}}

# Reports: how long a generated file is kept, where it is spooled while written, and
# the address the digest emails link to.
REPORT_RETENTION_DAYS = int(os.environ.get("REPORT_RETENTION_DAYS", "7"))
REPORT_TEMP_DIR = os.environ.get("REPORT_TEMP_DIR") or None
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Erasure and retention: a candidate's data is kept RETENTION_MONTHS after their last
# activity (profile change, stage change, note, interview), then erased by the nightly
# task unless hired; recruiters see who is due within RETENTION_DUE_DAYS.
RETENTION_MONTHS = int(os.environ.get("RETENTION_MONTHS", "24"))
RETENTION_DUE_DAYS = int(os.environ.get("RETENTION_DUE_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}


# The embedded defaults (SQLite, filesystem broker, media, static) write under
# var/; create their folders so a clean clone starts. Cheap and idempotent; a
# read-only filesystem is left to fail later with the real error.
_var_folders = [VAR_DIR, STATIC_ROOT]
with contextlib.suppress(OSError):  # private files: a folder only the service's user may enter
    Path(STORAGES["default"]["OPTIONS"]["location"]).mkdir(mode=0o700, parents=True, exist_ok=True)
if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
    _var_folders.append(Path(EMAIL_FILE_PATH))
if CELERY_BROKER_URL.startswith("filesystem"):
    _var_folders += [
        Path(CELERY_BROKER_TRANSPORT_OPTIONS[key]) for key in ("data_folder_out", "control_folder")
    ]
for _folder in _var_folders:
    with contextlib.suppress(OSError):
        _folder.mkdir(parents=True, exist_ok=True)
del _var_folders, _folder
