"""The per-page markup of an article's page, for ``articles/article_detail.html``:
``{% load article_page %}``.

What an article's page shows around its stored parts (``articles.page_parts``) differs from
page to page, so it cannot be rendered once like the chrome (``{% constant %}``): the
breadcrumbs, the link to the other audience's page, the related trials, the change log and
the head's article tags (around its stored times). The
template language spends most of a page's rendering resolving the variables, loops and
translations of those few lines, so each is written here in Python, with the markup and
whitespace the template had: every value escaped as ``{{ }}`` escapes it (``pages.format_markup``),
every sentence translated as ``{% translate %}`` translates it, dates in the site's time zone
as the ``date`` filter shows them. The rare notices (an outdated translation, an overdue
review) stay in the template.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from html import escape as escape_text

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from articles import trials
from articles.templatetags.cards import article_url, topic_url, trial_url
from articles.templatetags.pages import format_markup

register = template.Library()


@register.simple_tag
def breadcrumb_trail(topics: list) -> SafeString:
    """After "Home": the page's first topic, under its parent when it has one."""
    if not topics:
        return mark_safe("")
    topic = topics[0]
    parent = topic.parent
    trail = '{} › <a href="{}">{}</a>'
    above = format_markup(trail, "", topic_url(parent), parent.name) if parent else ""
    return format_markup(trail, above, topic_url(topic), topic.name)


@register.simple_tag
def counterpart_link(counterpart) -> SafeString:
    """The link to the live page on the same subject for the other audience, if any."""
    if not counterpart:
        return mark_safe("")
    text = (
        gettext("Read the version for health professionals")
        if counterpart.audience == "professional"
        else gettext("Read the version for patients and carers")
    )
    return format_markup(
        '<p class="counterpart"><a href="{}" lang="{}">{}</a></p>',
        article_url(counterpart),
        counterpart.language,
        text,
    )


TRIAL = '<li><a href="{}" lang="en">{}</a> <span class="muted">{} · {}</span></li>'


@register.simple_tag
def related_trials(related: Iterable) -> SafeString:
    """The trials the page names, each with its NCT number and its status today."""
    related = list(related)
    if not related:
        return mark_safe("")
    items = mark_safe(
        "".join(
            [
                format_markup(
                    TRIAL,
                    trial_url(t),
                    t.brief_title,
                    t.nct_id,
                    trials.status_label(t.overall_status),
                )
                for t in related
            ]
        )
    )
    return format_markup(
        '\n  <section aria-labelledby="trials-heading" class="related-trials">\n'
        '    <h2 id="trials-heading">{}</h2>\n'
        '    <ul class="plain-list">{}</ul>\n'
        "  </section>\n  ",
        gettext("Related clinical trials"),
        items,
    )


CHANGE = '<li><time datetime="{}">{}</time>: {}</li>'
CHANGE_LOG = (
    '\n  <section aria-labelledby="changes-heading" class="change-log">\n'
    '    <h2 id="changes-heading">{}</h2>\n'
    '    <ul class="plain-list">{}</ul>\n'
    "  </section>\n  "
)


@functools.lru_cache(maxsize=2048)
def _day(code: str | None, day: datetime.date) -> tuple[str, str]:
    """``{{ moment|date:'Y-m-d' }}`` and ``{{ moment|date:_("j F Y") }}`` (escaped) of a
    moment on ``day`` in the site's time zone, in language ``code`` (active when called). The
    day format has no time in it, so the words depend only on the language and the day; the
    date filter and the translation cost ~100 µs, so they are remembered per process."""
    return day.isoformat(), escape_text(date_filter(day, gettext("j F Y")))


@register.simple_tag
def change_log(changes: Iterable) -> SafeString:
    """The versions that went live, newest first, each with the day (in the site's time zone,
    as the template's ``date`` filter shows it) and its change note."""
    changes = list(changes)
    if not changes:
        return mark_safe("")
    code = translation.get_language()
    items = "".join(
        [
            CHANGE.format(
                *_day(code, timezone.localtime(change.go_live_at).date()),
                escape_text(change.change_note),
            )
            for change in changes
        ]
    )
    return mark_safe(CHANGE_LOG.format(escape_text(gettext("Latest updates")), items))


SHARE_TAGS = (
    '<meta property="og:image" content="{url}">\n'
    '  <meta property="og:image:alt" content="{alt}">\n'
    '  <meta property="og:image:width" content="{width}">\n'
    '  <meta property="og:image:height" content="{height}">\n'
    '  <meta name="twitter:card" content="summary_large_image">\n'
    '  <meta name="twitter:image" content="{url}">\n'
    '  <meta name="twitter:image:alt" content="{alt}">'
)


@register.simple_tag(takes_context=True)
def article_head(context, json_ld, times, share_image) -> SafeString:
    """The head's structured data (in the one script the page's CSP nonce allows), the
    article's publication and update times (``times``, a stored part: ``page_parts``), and
    the image that stands for it when shared."""
    script = (
        format_markup(
            '<script type="application/ld+json" nonce="{}">{}</script>',
            context.get("csp_nonce", ""),
            json_ld,
        )
        if json_ld
        else ""
    )
    share = format_markup(SHARE_TAGS, **share_image) if share_image else ""
    return format_markup("{}\n  {}\n  {}", script, times, share)
