"""Django settings, built only from the declared settings in `readingroom.conf`."""

from __future__ import annotations

import logging.config
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from readingroom.conf import corpus, env, env_bool, home, production

HOME: Path = home()
BASE_DIR = Path(__file__).resolve().parent


def _secret_key() -> str:
    if key := env("READINGROOM_SECRET_KEY"):
        return key
    path = HOME / "secret_key"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(50))
        tmp.chmod(0o600)
        tmp.replace(path)  # atomic: two processes starting at once agree on one key
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("READINGROOM_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in env("READINGROOM_ALLOWED_HOSTS").split(",") if h.strip()]
SITE_NAME = env("READINGROOM_SITE_NAME")
BASE_URL = env("READINGROOM_BASE_URL").strip().rstrip("/")
PAGE_SIZE = int(env("READINGROOM_PAGE_SIZE"))
MAX_PAGE_SIZE = int(env("READINGROOM_MAX_PAGE_SIZE"))
MAX_RESULT_WINDOW = int(env("READINGROOM_MAX_RESULT_WINDOW"))
MAX_QUERY_LENGTH = int(env("READINGROOM_MAX_QUERY_LENGTH"))
MAX_FILTERS = int(env("READINGROOM_MAX_FILTERS"))
FACET_VALUES = int(env("READINGROOM_FACET_VALUES"))
LIST_PAGE_SIZE = int(env("READINGROOM_LIST_PAGE_SIZE"))
CACHE_SECONDS = int(env("READINGROOM_CACHE_SECONDS"))
PAGE_CACHE_SECONDS = int(env("READINGROOM_PAGE_CACHE_SECONDS"))
PAGE_CACHE_DOCUMENT_SECONDS = int(env("READINGROOM_PAGE_CACHE_DOCUMENT_SECONDS"))
PAGE_CACHE_SERVING = False  # set by `readingroom serve` (web/page_cache.py)
SEARCH_BACKEND = env("READINGROOM_SEARCH_BACKEND")
ADMIN_EMAIL = env("READINGROOM_ADMIN_EMAIL").strip()
OAI_PAGE_SIZE = int(env("READINGROOM_OAI_PAGE_SIZE"))
OAI_TOKEN_HOURS = int(env("READINGROOM_OAI_TOKEN_HOURS"))
SITEMAP_URLS = min(int(env("READINGROOM_SITEMAP_URLS")), 50_000)  # the protocol's limit
FEED_ENTRIES = int(env("READINGROOM_FEED_ENTRIES"))
SITEMAPS_DIR = HOME / "sitemaps"
CORPUS_DIR = corpus()
FILES_DIR = HOME / "files"

INSTALLED_APPS = [
    "readingroom.server",  # first: its admin templates override Django's (no inline CSS)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "reversion",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "readingroom.catalogue",
    "readingroom.ingest",
    "readingroom.files",
    "readingroom.search",
    "readingroom.reader",
    "readingroom.interop",
]

MIDDLEWARE = [
    # First: the client's address and scheme as the trusted proxy saw them, so the HTTPS
    # redirect, rate limits and login lockout all see the real client.
    "readingroom.server.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag for every answer that has none, and 304 when the client's copy matches.
    "django.middleware.http.ConditionalGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # One caching policy (readingroom/web/caching.py): what views declare, else private.
    "readingroom.web.caching.CachePolicyMiddleware",
    "readingroom.web.limits.QueryStringGuard",
    "readingroom.server.ratelimit.RateLimitMiddleware",  # after auth: editors are exempt
    # Public answers kept by the production server, within the limits above.
    "readingroom.web.page_cache.PageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out client
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "readingroom.urls"
WSGI_APPLICATION = "readingroom.wsgi.application"

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
                "readingroom.reader.context_processors.site",
                "readingroom.interop.feeds.feed_link",
            ],
        },
    },
]


def _databases() -> dict:
    url = env("DATABASE_URL")
    if url:
        default = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        default = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(HOME / "readingroom.sqlite3"),
        }
    if default["ENGINE"] == "django.db.backends.sqlite3":
        default.setdefault("OPTIONS", {}).update(
            {
                # WAL lets readers work while the worker or an import writes;
                # IMMEDIATE avoids "database is locked" on lock upgrades.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                " PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
            }
        )
        # Tests use a file, not memory, so the task worker process sees the same data.
        default["TEST"] = {"NAME": str(HOME / "test-readingroom.sqlite3")}
    return {"default": default}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now; silences the transition warning

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it before the first collectstatic
# Collected by `readingroom serve` at its start: names carry the content's hash, so
# WhiteNoise sends them as immutable for a year, with gzip and Brotli copies made once.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Rate-limit counters (readingroom/server/ratelimit.py) live in each server process's
# memory: no database write per request.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "OPTIONS": {"MAX_ENTRIES": 100_000}},
          # Public answers the production server sends again (each 5-80 KB), in files
          # its processes share (web/page_cache.py; not in backups: docs/deploy.md).
          "pages": {"BACKEND": "readingroom.web.page_cache.PageFiles",
                    "LOCATION": str(HOME / "cache" / "pages"),
                    "OPTIONS": {"MAX_ENTRIES": 4000}}}  # fmt: skip

# Headers and HTTPS. The production profile (READINGROOM_PROFILE=production) turns the
# HTTPS settings on; `check --deploy` is clean in it (readingroom/server/tests).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # the file view allows its own pages to embed a PDF (views.py)
SECURE_SSL_REDIRECT = env_bool("READINGROOM_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer's check speaks plain HTTP
SECURE_HSTS_SECONDS = int(env("READINGROOM_HSTS_SECONDS"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = env_bool("READINGROOM_HSTS_PRELOAD")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("READINGROOM_SECURE_COOKIES")
SESSION_COOKIE_HTTPONLY = True
TRUSTED_PROXIES = [p.strip() for p in env("READINGROOM_TRUSTED_PROXIES").split(",") if p.strip()]
if TRUSTED_PROXIES:  # the middleware drops this header from anyone else
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
PROFILE = "production" if production() else "development"

# Content-Security-Policy (django-csp 4): nothing inline anywhere, scripts and styles
# from our own static files only; the admin's one inline <style> is overridden
# (readingroom/server/templates). Stored texts are sanitized to carry no style either.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [SELF],  # a document's PDF in <object>
        "frame-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
}

# Login throttling (django-axes): every failure is recorded; a client address that
# fails READINGROOM_LOGIN_FAILURE_LIMIT times is refused (429) for the lockout time.
AXES_FAILURE_LIMIT = int(env("READINGROOM_LOGIN_FAILURE_LIMIT"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("READINGROOM_LOGIN_LOCKOUT_MINUTES")))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "readingroom.server.proxies.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the audit entry of each failure
AXES_VERBOSE = False  # its start-up banner on every command

# Per-client rate limits (readingroom/server/ratelimit.py): "REQUESTS/SECONDS" or off.
RATE_LIMITS = {
    "search": env("READINGROOM_RATE_LIMIT_SEARCH"),
    "json": env("READINGROOM_RATE_LIMIT_JSON"),
    "files": env("READINGROOM_RATE_LIMIT_FILES"),
}
RATE_LIMIT_EXEMPT = [a.strip() for a in env("READINGROOM_RATE_LIMIT_EXEMPT").split(",")
                     if a.strip()]  # fmt: skip

# Logging is configured here, not by Django (LOGGING_CONFIG = None): Django's defaults
# add a handler that mails errors to ADMINS, whose set-up imports the error-page code
# (70 ms at the start of every command), and we mail no one. The rest of Django's
# defaults is kept: the development server's request log, Django's messages on the
# console when DEBUG is on.
LOGGING_CONFIG = None
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"debug_on": {"()": "django.utils.log.RequireDebugTrue"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter",
                          "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler"},
        "console": {"level": "INFO", "filters": ["debug_on"], "class": "logging.StreamHandler"},
        "django.server": {"level": "INFO", "class": "logging.StreamHandler",
                          "formatter": "django.server"},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "readingroom": {"level": "INFO"},
        "django": {"handlers": ["console"], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}  # fmt: skip
logging.config.dictConfig(LOGGING)
