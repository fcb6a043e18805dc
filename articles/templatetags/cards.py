"""Lists of the public pages, for templates: ``{% load cards %}``.

- ``{% article_card item %}``: one article's card (``<li class="card">``) in a list of live
  articles (home, topic pages); the markup ``_article_card.html`` had, built in Python: a
  topic page's 20 cards through ``{% include %}`` cost ~10% of its miss.
- ``{% topic_item topic %}``, ``{% reviewed_item item %}``, ``{% trial_item trial %}``: the
  home page's topic (with its sub-topics, ``public.topic_tree``), recently reviewed article
  and trial, as its template wrote them.
- ``{% article_cards items %}``, ``{% topic_items topics %}``, ``{% reviewed_items items %}``,
  ``{% trial_items trials %}``: each of a whole list's items, as one string, so that a page's
  list costs no template loop (context pushes, a variable lookup and a node per item).
- ``{% topic_heading topic %}``, ``{% topic_links topics %}``, ``{% page_links page %}``: a
  topic page's breadcrumbs' end, heading and description, its sub-topics' links and its
  pagination.
- ``{{ topic|topic_url }}``, ``{{ trial|trial_url }}``, ``{{ item|article_url }}``: the
  addresses ``get_absolute_url`` gives a topic, a trial (in the active language) and a live
  snapshot (in its own language).

Both build addresses from a pattern reversed once per language and process
(``slug_address``): Django's ``reverse`` costs ~70 µs a call, and a list page makes dozens.
"""

import datetime
import functools
import re
from html import escape as escape_text

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import date as date_filter
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from articles import trials
from mbc_cms import languages

register = template.Library()

# What the ``slug`` path converter accepts; any other value is left to ``reverse``, which
# refuses it as it always did.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# A slug no page has, reversed in its place and then replaced by the real one.
PLACEHOLDER = "0slug0placeholder0"

_patterns: dict[tuple, tuple[str, str]] = {}


def slug_address(viewname: str, slug: str, code: str | None = None, name: str = "slug") -> str:
    """``reverse(viewname, kwargs={name: slug})`` in the language to activate ``code``
    (``languages.activation_code``; by default the active one). A slug is written into the
    address as it is (its characters need no quoting), so the address is reversed once per
    view, language, script prefix and URLconf, with a stand-in slug, and then only joined."""
    code = code or translation.get_language()
    if SLUG.fullmatch(slug):
        pattern = address_pattern(viewname, code, name)
        if pattern is not None:
            return pattern[0] + slug + pattern[1]
    with translation.override(code):
        return reverse(viewname, kwargs={name: slug})


def address_pattern(viewname: str, code: str, name: str = "slug") -> tuple[str, str] | None:
    """What comes before and after a slug in ``viewname``'s address in the language to
    activate ``code``; None when the stand-in slug does not show in the address as given."""
    key = (viewname, name, code, get_script_prefix(), get_urlconf())
    pattern = _patterns.get(key)
    if pattern is None:
        with translation.override(code):
            address = reverse(viewname, kwargs={name: PLACEHOLDER})
        head, found, tail = address.partition(PLACEHOLDER)
        if not found:
            return None
        pattern = _patterns[key] = (head, tail)
    return pattern


class ListAddresses:
    """The addresses of one list's items, with each language's pattern looked up once per
    list rather than once per item (``slug_address`` asks for the script prefix, URLconf and
    language each time: ~30 µs of a card's ~45). ``language``: the item's language, for
    ``languages.activation_code``; None for the active language."""

    def __init__(self, viewname: str, name: str = "slug") -> None:
        self.viewname = viewname
        self.name = name
        self._patterns: dict[str | None, tuple[str, str] | tuple[()]] = {}

    def __call__(self, slug: str, language: str | None = None) -> str:
        pattern = self._patterns.get(language)
        if pattern is None:
            pattern = self._patterns[language] = self._pattern(language)
        if pattern and SLUG.fullmatch(slug):
            return pattern[0] + slug + pattern[1]
        code = None if language is None else languages.activation_code(language)
        return slug_address(self.viewname, slug, code, self.name)

    def _pattern(self, language: str | None) -> tuple[str, str] | tuple[()]:
        if language is None:
            code = translation.get_language()
        else:
            code = languages.activation_code(language)
        return (code and address_pattern(self.viewname, code, self.name)) or ()


@receiver(setting_changed)
def _forget_patterns(**kwargs) -> None:
    """A test's ``ROOT_URLCONF`` or ``LANGUAGES`` changes the addresses (and its
    ``LANGUAGES`` or ``LOCALE_PATHS`` the words of review dates and trial statuses)."""
    _patterns.clear()
    reviewed_on.cache_clear()
    status_words.cache_clear()


@register.filter
def topic_url(topic) -> str:
    """``topic.get_absolute_url()``, without a ``reverse`` per topic."""
    return slug_address("articles:topic", topic.slug)


@register.filter
def trial_url(trial) -> str:
    """``trial.get_absolute_url()``, without a ``reverse`` per trial."""
    return slug_address("articles:trial", trial.nct_id, name="nct_id")


@register.filter
def article_url(item) -> str:
    """``item.get_absolute_url()`` of a snapshot: the address in the article's language."""
    return slug_address("articles:article", item.slug, languages.activation_code(item.language))


@register.filter
def feedback_url(item) -> str:
    """The address the feedback form of live snapshot ``item``'s page posts to, in the active
    language (``{% url 'articles:feedback' item.slug %}``)."""
    return slug_address("articles:feedback", item.slug)


# The tags below write their markup with ``html.escape`` (what Django's ``escape`` does to a
# string) and plain formatting rather than ``format_html``: with its lazy wrappers and
# ``conditional_escape`` per value, ``format_html`` cost ~50 µs a card, and a topic page has 20.
# Every value is escaped, as ``format_html`` escaped it; the values are the database's plain
# strings, never markup marked safe.

CARD = '<li class="card">\n  <h3 class="card-title"><a href="{}">{}</a></h3>\n  {}\n  {}\n</li>\n'


@register.simple_tag
def article_card(item) -> str:
    """The card of live snapshot ``item`` (``public.CARD_FIELDS``): its title linked, its
    summary, and a badge when it is written for health professionals."""
    return mark_safe(_card(item, ListAddresses("articles:article")))


@register.simple_tag
def article_cards(items) -> str:
    """``{% article_card %}`` of each of ``items``, written as one string: a list page's
    cards without a template loop's work per card."""
    address = ListAddresses("articles:article")
    return mark_safe("".join([_card(item, address) for item in items]))


def _card(item, address: ListAddresses) -> str:
    summary = f"<p>{escape_text(item.summary)}</p>" if item.summary else ""
    badge = (
        f'<p class="badge">{escape_text(gettext("For health professionals"))}</p>'
        if item.audience == "professional"
        else ""
    )
    return CARD.format(
        escape_text(address(item.slug, item.language)),
        escape_text(item.title),
        summary,
        badge,
    )


LINK = '<li><a href="{}">{}</a></li>'
TOPIC = (
    '\n    <li class="topic">\n      <h3><a href="{}">{}</a></h3>\n'
    "      {}\n      {}\n    </li>\n    "
)


@register.simple_tag
def topic_item(topic) -> str:
    """A topic of the home page's grid: its name linked, its description, its sub-topics."""
    return mark_safe(_topic(topic, ListAddresses("articles:topic")))


@register.simple_tag
def topic_items(topics) -> str:
    """``{% topic_item %}`` of each of ``topics``, as one string."""
    address = ListAddresses("articles:topic")
    return mark_safe("".join([_topic(topic, address) for topic in topics]))


def _topic(topic, address: ListAddresses) -> str:
    description = f"<p>{escape_text(topic.description)}</p>" if topic.description else ""
    subtopics = ""
    if topic.subtopics:
        links = "".join(
            [
                LINK.format(escape_text(address(child.slug)), escape_text(child.name))
                for child in topic.subtopics
            ]
        )
        subtopics = f'<ul class="subtopics">{links}</ul>'
    return TOPIC.format(
        escape_text(address(topic.slug)), escape_text(topic.name), description, subtopics
    )


REVIEWED = '<li><a href="{}">{}</a> <span class="muted">{}</span></li>'


@register.simple_tag
def topic_links(topics) -> str:
    """A link to each of ``topics`` in a list item (a topic page's sub-topics)."""
    address = ListAddresses("articles:topic")
    return mark_safe(
        "".join([LINK.format(escape_text(address(t.slug)), escape_text(t.name)) for t in topics])
    )


@register.simple_tag
def topic_heading(topic) -> str:
    """The end of a topic page's breadcrumbs (its parent's link, its own name), its heading and
    its description."""
    address = ListAddresses("articles:topic")
    name = escape_text(topic.name)
    parent = topic.parent
    up = (
        f' › <a href="{escape_text(address(parent.slug))}">{escape_text(parent.name)}</a>'
        if parent
        else ""
    )
    lead = f'<p class="lead">{escape_text(topic.description)}</p>' if topic.description else ""
    return mark_safe(
        f'{up} › <span aria-current="page">{name}</span></nav>\n<h1>{name}</h1>\n{lead}\n'
    )


@register.simple_tag
def page_links(page) -> str:
    """What ``{% include "_pagination.html" %}`` writes for ``page`` of a list with no search
    query (a topic page): the links to the previous and next pages and "Page n of m". The
    translations are the template's; numbers are localised as the template does."""
    if not page.has_other_pages():
        return mark_safe("\n")
    pages = escape_text(gettext("Pages"))
    parts = [f'\n<nav class="pagination" aria-label="{pages}">\n  ']
    if page.has_previous():
        number = _number(page.previous_page_number())
        previous = escape_text(gettext("Previous"))
        parts.append(f'<a rel="prev" href="?page={number}">← {previous}</a>')
    numbers = {"number": _number(page.number), "total": _number(page.paginator.num_pages)}
    shown = gettext("Page %(number)s of %(total)s") % numbers
    parts.append(f'\n  <span aria-current="page">{shown}</span>\n  ')
    if page.has_next():
        number = _number(page.next_page_number())
        parts.append(f'<a rel="next" href="?page={number}">{escape_text(gettext("Next"))} →</a>')
    parts.append("\n</nav>\n\n")
    return mark_safe("".join(parts))


def _number(value: int) -> str:
    return escape_text(str(formats.localize(value)))


@register.simple_tag
def reviewed_item(item) -> str:
    """An article of the home page's "recently reviewed" list, with the day of its review."""
    return mark_safe(_reviewed(item, ListAddresses("articles:article")))


@register.simple_tag
def reviewed_items(items) -> str:
    """``{% reviewed_item %}`` of each of ``items``, as one string."""
    address = ListAddresses("articles:article")
    return mark_safe("".join([_reviewed(item, address) for item in items]))


def _reviewed(item, address: ListAddresses) -> str:
    reviewed = reviewed_on(translation.get_language(), item.last_reviewed)
    return REVIEWED.format(
        escape_text(address(item.slug, item.language)), escape_text(item.title), reviewed
    )


@functools.lru_cache(maxsize=2048)
def reviewed_on(code: str | None, day: datetime.date | None) -> str:
    """The words after a reviewed article's title ("reviewed 1 Dec 2026") in language ``code``
    (active when called), as HTML: the translator's sentence, as ``{% blocktranslate %}``
    gives it, with the date escaped. It depends only on the language and the day, and costs
    ~100 µs to write (the date filter and two translations), so it is remembered per process
    (a list shows a few hundred days at most)."""
    day_text = date_filter(day, gettext("j M Y"))
    return gettext("reviewed %(date)s") % {"date": escape_text(day_text)}


TRIAL = '<li><a href="{}" lang="en">{}</a> <span class="muted">{} · {}</span></li>'


@register.simple_tag
def trial_item(trial) -> str:
    """A trial of the home page's list: its title linked, its NCT number and status."""
    return mark_safe(_trial(trial, ListAddresses("articles:trial", name="nct_id")))


@register.simple_tag
def trial_items(trials_shown) -> str:
    """``{% trial_item %}`` of each of ``trials_shown``, as one string."""
    address = ListAddresses("articles:trial", name="nct_id")
    return mark_safe("".join([_trial(trial, address) for trial in trials_shown]))


def _trial(trial, address: ListAddresses) -> str:
    return TRIAL.format(
        escape_text(address(trial.nct_id)),
        escape_text(trial.brief_title),
        escape_text(trial.nct_id),
        status_words(translation.get_language(), trial.overall_status),
    )


@functools.lru_cache(maxsize=256)
def status_words(code: str | None, status: str) -> str:
    """A trial's status as the home page writes it, escaped, in language ``code`` (active when
    called): ``trials.status_label`` builds the labels' table and translates on every call
    (~100 µs), and the words depend only on the language and the status."""
    return escape_text(trials.status_label(status))
