"""The site's languages, and which one a request is in.

The languages are ``settings.LANGUAGES`` (``en``, ``es``). English, the language of
``settings.LANGUAGE_CODE`` (``en-gb``), is the *default*: its public pages have no prefix
(``/articles/…``); every other language's pages live under ``/<code>/`` (``/es/articles/…``,
Django's ``i18n_patterns(prefix_default_language=False)``). The admin, the API, ``/media/``,
``/healthz``, ``sitemap.xml`` and previews have no prefix and are always in the default
language.

A request's language is read from its path alone (``LanguageFromPathMiddleware``): never from
``Accept-Language`` or a cookie, so that the one address of a page is the one language of its
cached bytes, and a shared cache can never hand an English reader a Spanish page or the
reverse.

To build an address in a language, Django's URL prefix must see the code it compares with
``LANGUAGE_CODE``: for the default language that is ``en-gb``, not ``en`` (with ``en``
active, ``reverse`` would write ``/en/…``). ``activation_code`` gives that code, and
``override`` / ``reverse_in`` use it.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation

# The language prefix of a path: "/es/…" or "/es" alone.
PREFIX = re.compile(r"^/([a-z]{2,3}(?:-[a-z0-9]{2,8})?)(?=/|$)")


# What ``LANGUAGES`` and ``LANGUAGE_CODE`` decide, worked out once per process and settings:
# a page asks for it dozens of times (each address, each link of its switcher).
_settled: dict[str, Any] = {}


@receiver(setting_changed)
def _forget_settled(*, setting: str, **kwargs) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        _settled.clear()


def _settle() -> dict[str, Any]:
    if not _settled:
        _settled["codes"] = tuple(code for code, _name in settings.LANGUAGES)
        _settled["names"] = dict(settings.LANGUAGES)
        _settled["default"] = translation.get_supported_language_variant(settings.LANGUAGE_CODE)
    return _settled


def codes() -> tuple[str, ...]:
    """The content codes of the site's languages, in the order of ``settings.LANGUAGES``."""
    return _settle()["codes"]


def default_language() -> str:
    """The content code of ``LANGUAGE_CODE`` (``en-gb`` → ``en``): the unprefixed language."""
    return _settle()["default"]


def name(code: str) -> str:
    """A language's name in that language (``Español``), as ``settings.LANGUAGES`` gives it."""
    return _settle()["names"].get(code, code)


def content_code(code: str) -> str:
    """``code`` as one of the site's languages where it names one (``en-gb`` → ``en``,
    ``es-MX`` → ``es``); anything else as it is."""
    try:
        return translation.get_supported_language_variant(str(code or ""))
    except LookupError:
        return code


def site_language(code: str) -> str:
    """The language whose pages show content written in ``code``: ``code`` when it is one of
    the other languages, else the default (also for a code from before the list was kept)."""
    return code if code in codes() else default_language()


def activation_code(code: str) -> str:
    """The code to activate for pages in ``code``: ``LANGUAGE_CODE`` for the default language
    (so its addresses stay unprefixed), else ``code`` itself; a code that is not one of the
    site's languages (data from before they were checked) gets the default."""
    settled = _settle()
    if code in settled["codes"] and code != settled["default"]:
        return code
    return settings.LANGUAGE_CODE


def prefixed_language(path: str) -> str | None:
    """The language whose prefix starts ``path`` (``/es/trials/`` → ``es``); None for an
    unprefixed path, and for a prefix that is not one of the other languages (``/en/``)."""
    match = PREFIX.match(path)
    if match is None:
        return None
    code = match.group(1)
    return code if code in codes() and code != default_language() else None


def current() -> str:
    """The content code of the active language (``en`` while ``en-gb`` is active)."""
    return site_language(content_code(translation.get_language() or settings.LANGUAGE_CODE))


@contextmanager
def override(code: str) -> Iterator[None]:
    """Render and reverse in ``code`` for the duration of the block."""
    with translation.override(activation_code(code)):
        yield


def reverse_in(code: str, viewname: str, **kwargs) -> str:
    """``reverse(viewname, kwargs=kwargs)`` as an address of the pages in ``code``."""
    with override(code):
        return reverse(viewname, kwargs=kwargs or None)


def path_in(code: str, path: str) -> str:
    """The same public page's path in language ``code``: ``/trials/`` → ``/es/trials/``,
    ``/es/trials/`` → ``/trials/`` for the default language."""
    prefix = prefixed_language(path)
    bare = (path[len(prefix) + 1 :] or "/") if prefix else path
    return bare if code == default_language() else f"/{code}{bare}"


class LanguageFromPathMiddleware:
    """Activate the language of the request's path (``/es/…``), else the default language,
    for the rest of the request only; answer HTML with its ``Content-Language``.

    Unlike Django's ``LocaleMiddleware``, it never reads ``Accept-Language`` or the language
    cookie, and adds no ``Vary: Accept-Language``: a public page's address alone decides its
    language, so cached pages and ETags are per address and so per language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = prefixed_language(request.path_info) or default_language()
        request.LANGUAGE_CODE = code
        with override(code):
            response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Language", code)
        return response
