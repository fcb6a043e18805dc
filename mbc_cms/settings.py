"""Settings for mbc_cms.

Everything that differs between a laptop and production is read from the environment here,
and only here:

- ``DJANGO_DEBUG``: ``1`` for development, ``0`` (the default) for production.
- ``DJANGO_SECRET_KEY``: required when debug is off; the process refuses to start without it.
- ``DJANGO_ALLOWED_HOSTS``: comma-separated host names.
- ``DATABASE_URL``: defaults to a SQLite file in the project root; ``postgres://`` URLs work.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a ``1``/``0`` (or true/false, yes/no) flag from the environment."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list from the environment."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_optional_days(name: str, maximum: int = 36500) -> int | None:
    """Read a number of days (a whole number from 0 to ``maximum``) from the environment; None
    when unset or empty. Anything else stops the process at startup, naming the variable."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and int(value) <= maximum):
        raise ImproperlyConfigured(
            f"{name} must be a whole number of days from 0 to {maximum}, or unset; it is {value!r}."
        )
    return int(value)


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. It is required when DJANGO_DEBUG is off (production "
            "mode). Set DJANGO_SECRET_KEY to a long random string, or set DJANGO_DEBUG=1 for "
            "local development."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django
    "mbc_cms.apps.EditorialAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    # Third party
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reversion",
    "axes",
    # Local
    "articles",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mbc_cms.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control and surrogate keys for the caching proxy (articles/edge.py), on what every
    # middleware below produces (cookies, 304s), static files excepted.
    "articles.middleware.EdgeHeadersMiddleware",
    # Gzip for public reads (never for staff, the editorial API or form answers: BREACH), on
    # what the middleware below produce; ConditionalGetMiddleware's ETag is of the plain bytes.
    "mbc_cms.middleware.CompressionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The language of a request is its path's (/es/…), never Accept-Language: before
    # CommonMiddleware (APPEND_SLASH resolves paths) and the public cache (keyed on the path).
    "mbc_cms.languages.LanguageFromPathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Cached public pages and API answers are served from here (articles/middleware.py):
    # everything above still applies to them, nothing below is needed for them.
    "articles.middleware.PublicCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, so that it sees lock-outs raised anywhere above (django-axes' instructions).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mbc_cms.urls"
WSGI_APPLICATION = "mbc_cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Django's cached loader over the project's and the apps' templates, with each
            # literal {% extends %} worked out once instead of on every render.
            "loaders": [
                (
                    "mbc_cms.template_loaders.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mbc_cms.middleware.csp_nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock up front, so two concurrent workflow
    # transitions queue up instead of failing half-way; WAL lets readers run meanwhile.
    # Connections are kept between requests (DJANGO_CONN_MAX_AGE, as for PostgreSQL): a new
    # one costs SQLite ~3-5 ms of schema reading and pragmas, more than a cache miss of the
    # home or a topic page costs otherwise.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not the default shared-cache in-memory database: that one locks whole tables and
    # fails concurrent writers at once instead of queueing them, so the concurrency tests need
    # a file. The process id keeps two test runs in one checkout from deleting each other's.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test_db_{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Counts failed logins (admin and API token) and locks out repeated guessing.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failures for one username from one address lock it out for 15 minutes.
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("DJANGO_AXES_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "mbc_cms.lockout.lockout_response"
# The client address behind DJANGO_PROXY_COUNT proxies, as the rate limits read it: without
# this django-axes would count the proxy's address and lock a user out for everyone.
AXES_CLIENT_IP_CALLABLE = "articles.ratelimit.client_address"

LANGUAGE_CODE = "en-gb"
# The languages content is written in and the public site is served in (Spanish under /es/).
# Adding one is this list plus its message file (locale/<code>/LC_MESSAGES/django.po).
LANGUAGES = [("en", "English"), ("es", "Español")]
# The interface text of the public site in each language; the .mo files are compiled from the
# .po files by `make install` (msgfmt, Debian's gettext), never committed.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes and WhiteNoise serves from (tests give each site its own).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]


def static_storage(manifest: bool) -> dict:
    """Hashed, compressed files (they need `collectstatic`), or the sources as they are."""
    if manifest:
        return {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    return {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


# Uploaded images (the media library, articles/images/). Their files are named after the
# digest of their content and never change, so they are cached forever wherever they are.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"
# Uploads are refused above this size, and above this many pixels (decompression bombs).
IMAGE_MAX_BYTES = 20 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000


def media_storage() -> tuple[dict, list[str]]:
    """Where uploaded images go, and the origins pages load them from (for the
    Content-Security-Policy): the local filesystem (``MEDIA_ROOT``, served by the app at
    ``MEDIA_URL``), or an S3-compatible bucket when ``DJANGO_S3_BUCKET`` is set. Credentials
    come from boto3's usual sources (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, an
    instance role…), never from these settings."""
    bucket = os.environ.get("DJANGO_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, []
    endpoint = os.environ.get("DJANGO_S3_ENDPOINT_URL", "").strip()
    region = os.environ.get("DJANGO_S3_REGION", "").strip()
    domain = os.environ.get("DJANGO_S3_CUSTOM_DOMAIN", "").strip().rstrip("/")
    # Behind a CDN (custom domain) the bucket stays private and the CDN reads it; without
    # one, readers fetch the objects from the bucket, which must then let them.
    acl = os.environ.get("DJANGO_S3_ACL", "").strip() or ("private" if domain else "public-read")
    if acl not in {"private", "public-read"}:
        raise ImproperlyConfigured(f"DJANGO_S3_ACL must be private or public-read, not {acl!r}.")
    options = {
        "bucket_name": bucket,
        "file_overwrite": False,
        "default_acl": acl,
        # Plain, permanent addresses: they end up in cached pages and API answers.
        "querystring_auth": False,
        "object_parameters": {"CacheControl": IMMUTABLE_CACHE_CONTROL},
    }
    if endpoint:
        options["endpoint_url"] = endpoint
    if region:
        options["region_name"] = region
    if domain:
        options["custom_domain"] = domain
        origins = [f"https://{domain}"]
    elif endpoint:
        origins = [endpoint.rstrip("/")]
    else:
        suffix = f".{region}" if region else ""
        origins = [f"https://{bucket}.s3{suffix}.amazonaws.com"]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, origins


MEDIA_STORAGE, MEDIA_ORIGINS = media_storage()
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": static_storage(env_bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)),
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "mbc-cms@localhost")

# Public pages and API answers are cached (see articles/caching.py): in each process's memory
# by default, or shared between processes in Redis when REDIS_URL is set.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
PUBLIC_CACHE_SECONDS = int(os.environ.get("DJANGO_PUBLIC_CACHE_SECONDS", "600"))
# With the per-process cache, worker processes learn of a publication from this file's
# modification time (default: a file in the temporary directory named after the database).
PUBLIC_STAMP_FILE = os.environ.get("DJANGO_PUBLIC_STAMP_FILE", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # Request bodies are JSON only: a form or multipart body is a 415 naming the type to send.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "mbc_cms.api_negotiation.JSONOnlyNegotiation",
    "DEFAULT_SCHEMA_CLASS": "mbc_cms.api_schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Clients are told apart by address (rate limits, feedback, lock-outs: all through
    # articles.ratelimit.client_address): behind N proxies, the Nth address from the right of
    # X-Forwarded-For (without a proxy, a client could send any X-Forwarded-For).
    "NUM_PROXIES": int(os.environ.get("DJANGO_PROXY_COUNT", "0")),
    # Public API rates (see docs/api.md): anonymous clients, and partners with an API token.
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DJANGO_API_ANON_RATE", "120/minute"),
        "partner": os.environ.get("DJANGO_API_PARTNER_RATE", "1200/minute"),
    },
}

# The public API is open to browser apps on any origin, for reading only.
CORS_URLS_REGEX = r"^/api/v1/(articles|topics|trials)(/.*)?$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

SPECTACULAR_SETTINGS = {
    "TITLE": "mbc_cms API",
    "DESCRIPTION": (
        "Clinician-reviewed information about metastatic breast cancer.\n\n"
        "**Public API** (`/api/v1/articles/`, `/topics/`, `/trials/`): published content "
        "only, read-only, open to any origin (CORS). Every response has `ETag` and "
        "`Last-Modified`; send `If-None-Match` or `If-Modified-Since` to get 304. Anonymous "
        "clients may make 120 requests a minute; partners sending `Authorization: Token "
        "<token>` get 1,200. Over the limit the answer is 429 with `Retry-After`.\n\n"
        "**Editorial API** (`/api/v1/editorial/`): for writers, clinical reviewers and "
        "editors, with a token from `/api/v1/auth/token/`.\n\n"
        "**Versioning**: v1 only grows by additions; nothing in it is removed or renamed."
    ),
    "VERSION": "1.0.0",
    # Request bodies get their own components (ArticleRequest…), without the read-only fields
    # that a request must not send.
    "COMPONENT_SPLIT_REQUEST": True,
    # Docstrings are written for developers: descriptions come from extend_schema and help_text.
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The public API says current/outdated; the editorial API also says source_withdrawn.
    "ENUM_NAME_OVERRIDES": {
        "TranslationStatusEnum": "articles.translations.STATUSES",
        "EditorialTranslationStatusEnum": "articles.translations.EDITORIAL_STATUSES",
    },
}

# Production hardening; behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes announces itself at every start, management commands included.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}

# Who counts as what in the review workflow: the groups created by reviews' data migration.
WRITERS_GROUP = "Writers"
REVIEWERS_GROUP = "Clinical reviewers"
EDITORS_GROUP = "Editors"


def env_number(name: str, default: float) -> float:
    """Read a non-negative number from the environment; anything else stops the start."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number < float("inf"):
        raise ImproperlyConfigured(f"{name} must be a number of 0 or more, not {value!r}.")
    return number


# Quality gates before clinical sign-off (reviews/quality.py). A patient page above this
# Flesch-Kincaid grade, or with a sentence longer than LONG_SENTENCE_WORDS words, is approved
# only with a written override reason.
READABILITY_MAX_GRADE = env_number("DJANGO_READABILITY_MAX_GRADE", 8)
# Spanish pages are scored on the Fernández-Huerta reading ease (higher is easier; 60-70 is
# "standard", plain language for the public): a Spanish patient page below this needs the
# override reason too.
READABILITY_MIN_EASE_ES = env_number("DJANGO_READABILITY_MIN_EASE_ES", 60)
# A reading grade says little about a text shorter than this (one long word scores above
# grade 20), so shorter bodies get no grade warning; the long-sentence check still applies.
READABILITY_MIN_WORDS = 10
LONG_SENTENCE_WORDS = 30
# Pages in this topic or below it are treatment pages: they cannot be submitted without a
# reference.
TREATMENT_TOPIC_SLUG = os.environ.get("DJANGO_TREATMENT_TOPIC_SLUG", "treatments")

# Signed preview links for unpublished versions stay valid this long (seconds).
PREVIEW_MAX_AGE = int(os.environ.get("DJANGO_PREVIEW_MAX_AGE", str(7 * 24 * 3600)))

# Pages this many days past their clinical review date are unpublished automatically at the
# next read (reviews/workflow/overdue.py); unset, overdue pages only carry a notice.
OVERDUE_UNPUBLISH_DAYS = env_optional_days("DJANGO_OVERDUE_UNPUBLISH_DAYS")

# The public address, for links in e-mails and feeds.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")

# Trials come from the ClinicalTrials.gov API v2 (manage.py sync_trials): its base URL, and
# how long to wait for one answer (seconds) before retrying.
CTGOV_BASE_URL = os.environ.get("DJANGO_CTGOV_BASE_URL", "https://clinicaltrials.gov/api/v2")
CTGOV_TIMEOUT = env_number("DJANGO_CTGOV_TIMEOUT", 15)

# Webhooks go to public internet addresses only (articles/outbound.py). Development and tests
# may allow loopback and private addresses, for a receiver on the same machine or network.
WEBHOOK_ALLOW_PRIVATE = env_bool("DJANGO_WEBHOOK_ALLOW_PRIVATE", default=False)

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "mbc-demo-2026")


def env_edge_purge_urls(name: str) -> list[str]:
    """The proxies' purge addresses: a comma-separated list of http or https URLs. Anything
    else stops the process at startup, naming the variable and the value."""
    urls = env_list(name, [])
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
            raise ImproperlyConfigured(
                f"{name} must list http or https URLs (500 characters at most) separated by "
                f"commas; {url!r} is not one."
            )
    return urls


# The caching reverse proxy (Varnish) in front of the site (articles/edge.py): public answers
# say how long it may keep them (s-maxage, at most EDGE_MAX_AGE seconds and never past the next
# scheduled change), and every change that alters them is purged at these addresses.
EDGE_PURGE_URLS = env_edge_purge_urls("DJANGO_EDGE_PURGE_URLS")
EDGE_MAX_AGE = int(os.environ.get("DJANGO_EDGE_MAX_AGE", "600"))
if EDGE_MAX_AGE < 0:
    raise ImproperlyConfigured(f"DJANGO_EDGE_MAX_AGE must be 0 or more; it is {EDGE_MAX_AGE}.")
# Seconds the publishing request waits for each proxy's answer to its purge; a proxy that does
# not answer in time is purged again in the background (manage.py purge_edge).
EDGE_PURGE_TIMEOUT = env_number("DJANGO_EDGE_PURGE_TIMEOUT", 2)
