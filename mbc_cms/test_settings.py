"""Settings of the test suite (``pyproject.toml`` names them for pytest-django): the
production settings, with what a test run needs instead of the production defaults.

- A throwaway secret key: the production settings refuse to start without one. It is put in
  the environment only while they are read, so servers and commands that tests start get
  exactly the environment those tests give them.
- ``testserver``, the test client's host, is allowed.
- Fast password hashing and e-mail kept in memory.
- django-axes off (the test client's ``login()`` bypasses requests; tests that check lock-out
  switch it on), plain-HTTP redirects and cookies off, static files served from the sources:
  each unless the environment says otherwise.
- ClinicalTrials.gov on a closed loopback port: a test that forgot to start its own local
  server fails at once instead of reaching the internet.
- Under pytest-xdist (``make pytest`` runs two worker processes), each worker its own Redis
  database when ``REDIS_URL`` is set, as pytest-django gives it its own test database.
"""

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

_OWN_KEY = "DJANGO_SECRET_KEY" not in os.environ
if _OWN_KEY:
    os.environ["DJANGO_SECRET_KEY"] = "insecure-test-key-used-only-by-the-test-suite"
try:
    from .settings import *  # noqa: F403
    from .settings import ALLOWED_HOSTS, CACHES, DEBUG, env_bool, static_storage
finally:
    if _OWN_KEY:
        del os.environ["DJANGO_SECRET_KEY"]

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CTGOV_BASE_URL = "http://127.0.0.1:9/api/v2"
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", default=False)
MEDIA_ORIGINS = []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": static_storage(env_bool("DJANGO_STATIC_MANIFEST", default=False)),
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=False)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Every test empties the cache before and after it runs (tests/conftest.py), and with Redis
# that is a FLUSHDB of the whole database: two xdist workers sharing one would empty each
# other's cached pages, generations and rate-limit counts in the middle of a test, and read
# each other's keys too (their test databases differ, the keys' names do not). So worker gwN
# uses Redis database N + 1; database 0 stays with the processes tests start, which inherit
# REDIS_URL unchanged. A stock Redis has databases 0 to 15.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER and CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    _redis_database = int(_XDIST_WORKER.removeprefix("gw")) + 1
    if _redis_database > 15:
        raise ImproperlyConfigured(
            f"xdist worker {_XDIST_WORKER} would need Redis database {_redis_database}: "
            "run at most 15 workers with REDIS_URL set"
        )
    CACHES = {
        **CACHES,
        "default": {
            **CACHES["default"],
            "LOCATION": urlunsplit(
                urlsplit(CACHES["default"]["LOCATION"])._replace(path=f"/{_redis_database}")
            ),
        },
    }
