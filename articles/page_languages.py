"""The languages of a public page: its versions in the site's other languages, for the
language switcher, the ``hreflang`` alternates of its head and the sitemap.

A list page (home, topic, trials, a trial, search, editorial policy) exists in every language
at the same path under each language's prefix (``mbc_cms.languages.path_in``). An article's
versions are its live translations and its live source (``live_language_versions``); one
with none has no alternates, and its switcher offers the other language's home page instead.

A translation whose live source moved past the version it was made from is out of date
(``source_update``, from ``articles.translations.translation_status``): its page says when the
source was updated, and links it; when the source is no longer published, it says that.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import gettext, pgettext_lazy

from mbc_cms import languages

from . import public, translations
from .models import PublishedArticle
from .templatetags.cards import article_url


@dataclass(frozen=True)
class PageLanguage:
    """One language of a page: ``url`` is the same page in that language (``counterpart``)
    or, for an article with no version in it, that language's home page."""

    code: str
    name: str
    url: str
    current: bool
    counterpart: bool
    label: str


@dataclass(frozen=True)
class PageLanguages:
    languages: list[PageLanguage]

    @property
    def others(self) -> list[PageLanguage]:
        """The switcher's links: every language but the page's own."""
        return [language for language in self.languages if not language.current]

    @property
    def alternates(self) -> list[PageLanguage]:
        """The ``hreflang`` alternates (the page itself included): only when the page exists
        in another language too."""
        same_page = [language for language in self.languages if language.counterpart]
        return same_page if len(same_page) > 1 else []

    @property
    def x_default(self) -> str | None:
        """The default-language version among the alternates, for ``hreflang="x-default"``."""
        default = languages.default_language()
        return next((alt.url for alt in self.alternates if alt.code == default), None)


# The switcher's labels and each language's home page path: they depend only on the
# language, the settings and the script prefix, and every article page asks for them.
_labels: dict[tuple[str, bool], str] = {}
_home_paths: dict[tuple, str] = {}


@receiver(setting_changed)
def _forget_labels_and_homes(**kwargs) -> None:
    """A test's ``LANGUAGES`` or URLconf changes them."""
    _labels.clear()
    _home_paths.clear()


def _label(code: str, counterpart: bool) -> str:
    """The switcher's link text, in the language it leads to."""
    label = _labels.get((code, counterpart))
    if label is None:
        with languages.override(code):
            name = languages.name(code)
            label = (
                name if counterpart else gettext("%(language)s (home page)") % {"language": name}
            )
        _labels[(code, counterpart)] = label
    return label


def _home_path(code: str) -> str:
    """The path of language ``code``'s home page."""
    key = (code, get_script_prefix(), get_urlconf())
    path = _home_paths.get(key)
    if path is None:
        path = _home_paths[key] = languages.reverse_in(code, "articles:home")
    return path


def _replace_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def for_list_page(canonical_url: str) -> PageLanguages:
    """The languages of a page that every language has: the canonical address with its path
    in each language (same query, same page number)."""
    current = languages.current()
    path = urlsplit(canonical_url).path
    return PageLanguages(
        [
            PageLanguage(
                code=code,
                name=languages.name(code),
                url=_replace_path(canonical_url, languages.path_in(code, path)),
                current=code == current,
                counterpart=True,
                label=_label(code, True),
            )
            for code in languages.codes()
        ]
    )


def live_language_versions(
    snapshot: PublishedArticle, request: HttpRequest | None = None
) -> dict[str, PublishedArticle]:
    """The live pages of ``snapshot``'s text in each language, by language: itself, its source
    and the source's other translations (``translations.live_language_versions``: at most
    one query)."""
    others = translations.live_language_versions(snapshot, request)
    versions = {page.language: page for page in others}
    versions[snapshot.language] = snapshot
    return versions


def for_article(
    snapshot: PublishedArticle, versions: dict[str, PublishedArticle], request: HttpRequest
) -> PageLanguages:
    """The languages of an article's page: its live versions, else the other homes."""
    current = languages.current()
    found = []
    for code in languages.codes():
        version = versions.get(code)
        if code == current:
            version = snapshot
        path = article_url(version) if version else _home_path(code)
        found.append(
            PageLanguage(
                code=code,
                name=languages.name(code),
                url=public.site_url(path, request),
                current=code == current,
                counterpart=version is not None,
                label=_label(code, version is not None),
            )
        )
    return PageLanguages(found)


# A language's name inside a sentence of the page ("the English version", "la versión en
# inglés"); adding a language adds its name here.
LANGUAGE_IN_SENTENCE = {
    "en": pgettext_lazy("language name in a sentence", "English"),
    "es": pgettext_lazy("language name in a sentence", "Spanish"),
}


@dataclass(frozen=True)
class SourceUpdate:
    """What an out-of-date translation's page says of its source: the source's live page
    (None when it is no longer published) and the day its newer version went live."""

    language: str
    source: PublishedArticle | None
    updated_on: datetime.date | None

    @property
    def language_name(self) -> str:
        """The source's language as the page's sentence names it ("inglés" in Spanish)."""
        return str(LANGUAGE_IN_SENTENCE.get(self.language, self.language))


def source_update(
    snapshot: PublishedArticle, versions: dict[str, PublishedArticle]
) -> SourceUpdate | None:
    """Whether the live translation ``snapshot`` is out of date
    (``translations.translation_status``: its source's live version is past the one it was
    translated from, or its source is no longer live); None when it is current or not a
    translation."""
    status = translations.translation_status(snapshot)
    if not status.outdated:
        return None
    source = next(
        (page for page in versions.values() if page.article_id == snapshot.translation_of_id),
        None,
    )
    language = source.language if source else snapshot.translation_of.language
    return SourceUpdate(language=language, source=source, updated_on=status.source_changed_on)
