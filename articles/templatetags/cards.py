"""Lists of the public pages, for templates: ``{% load cards %}``.

- ``{% article_card item %}``: one article's card (``<li class="card">``) in a list of live
  articles (home, topic pages); the markup ``_article_card.html`` had, built in Python: a
  topic page's 20 cards through ``{% include %}`` cost ~10% of its miss.
- ``{% topic_item topic %}``, ``{% reviewed_item item %}``, ``{% trial_item trial %}``: the
  home page's topic (with its sub-topics, ``public.topic_tree``), recently reviewed article
  and trial, as its template wrote them.
- ``{{ topic|topic_url }}``, ``{{ trial|trial_url }}``, ``{{ item|article_url }}``: the
  addresses ``get_absolute_url`` gives a topic, a trial (in the active language) and a live
  snapshot (in its own language).

Both build addresses from a pattern reversed once per language and process
(``slug_address``): Django's ``reverse`` costs ~70 µs a call, and a list page makes dozens.
"""

import re

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import date as date_filter
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import escape, format_html, format_html_join
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
    key = (viewname, name, code, get_script_prefix(), get_urlconf())
    pattern = _patterns.get(key)
    if pattern is None or not SLUG.fullmatch(slug):
        with translation.override(code):
            if not SLUG.fullmatch(slug):
                return reverse(viewname, kwargs={name: slug})
            address = reverse(viewname, kwargs={name: PLACEHOLDER})
        head, found, tail = address.partition(PLACEHOLDER)
        if not found:
            with translation.override(code):
                return reverse(viewname, kwargs={name: slug})
        pattern = _patterns[key] = (head, tail)
    return pattern[0] + slug + pattern[1]


@receiver(setting_changed)
def _forget_patterns(**kwargs) -> None:
    """A test's ``ROOT_URLCONF`` or ``LANGUAGES`` changes the addresses."""
    _patterns.clear()


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


CARD = '<li class="card">\n  <h3 class="card-title"><a href="{}">{}</a></h3>\n  {}\n  {}\n</li>\n'


@register.simple_tag
def article_card(item) -> str:
    """The card of live snapshot ``item`` (``public.CARD_FIELDS``): its title linked, its
    summary, and a badge when it is written for health professionals."""
    summary = format_html("<p>{}</p>", item.summary) if item.summary else ""
    badge = (
        format_html('<p class="badge">{}</p>', gettext("For health professionals"))
        if item.audience == "professional"
        else ""
    )
    return format_html(CARD, article_url(item), item.title, summary, badge)


TOPIC = (
    '\n    <li class="topic">\n      <h3><a href="{}">{}</a></h3>\n'
    "      {}\n      {}\n    </li>\n    "
)


@register.simple_tag
def topic_item(topic) -> str:
    """A topic of the home page's grid: its name linked, its description, its sub-topics."""
    description = format_html("<p>{}</p>", topic.description) if topic.description else ""
    subtopics = ""
    if topic.subtopics:
        links = format_html_join(
            "", '<li><a href="{}">{}</a></li>', ((topic_url(c), c.name) for c in topic.subtopics)
        )
        subtopics = format_html('<ul class="subtopics">{}</ul>', links)
    return format_html(TOPIC, topic_url(topic), topic.name, description, subtopics)


@register.simple_tag
def reviewed_item(item) -> str:
    """An article of the home page's "recently reviewed" list, with the day of its review.
    The sentence is the translator's, as ``{% blocktranslate %}`` gives it; the date in it is
    escaped."""
    day = date_filter(item.last_reviewed, gettext("j M Y"))
    reviewed = mark_safe(gettext("reviewed %(date)s") % {"date": escape(day)})
    return format_html(
        '<li><a href="{}">{}</a> <span class="muted">{}</span></li>',
        article_url(item),
        item.title,
        reviewed,
    )


@register.simple_tag
def trial_item(trial) -> str:
    """A trial of the home page's list: its title linked, its NCT number and status."""
    return format_html(
        '<li><a href="{}" lang="en">{}</a> <span class="muted">{} · {}</span></li>',
        trial_url(trial),
        trial.brief_title,
        trial.nct_id,
        trials.status_label(trial.overall_status),
    )
