"""The parts of an article's page that only its snapshot decides, rendered at publication.

The heading (audience, title, summary), the head's publication and update times, the trust
box (reviewer byline, authors, dates), the table of contents, the references, the lead
image's figure and the structured data (JSON-LD) of a page depend on nothing but the
snapshot's own fields, the page's language and the settings: no other row and not the day
(whether the lead image may still be shown is decided at read time, and the stored figure is
shown only then; the JSON-LD keeps slots for the page's address, on the requested host, and
for the images still shown). Rendering them on every page that is missing from the cache is
most of the page's own work, so they are rendered when the snapshot is written (at
publication, and again whenever its review dates and byline are signed again:
``articles.snapshots``) and stored with it (``PublishedArticle.page_parts``). The page then
shows the stored markup, byte for byte what the templates under ``articles/parts/`` and the
code in ``CODE`` make.

The stored parts carry the version of what rendered them (``rendering_format``: the templates'
source, the code in ``CODE``, the language's compiled translations, Django's version, the
time zone, the media address and ``PARTS_FORMAT``, to raise when the templates' context
changes) and what they show of the snapshot (``inputs``: its content by the sign-off digest of
it, the byline and dates by their values). Parts are used only when both match: a template,
code or translation change, a snapshot from before the field, or a new byline or date written
without rendering the parts again all leave the parts unused,
and the page renders them at read time instead, with the same bytes. Because the parts are
derived from approved content, ``manage.py verify_signoff`` renders them again and reports a
snapshot whose stored parts would be shown but differ (``stored_parts_differ``).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from pathlib import Path

import django
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import to_locale

from mbc_cms import languages

from . import rendering, structured_data
from .images import delivery
from .models import PublishedArticle

# Raise with any change to what the templates of PARTS are given or to how ``inputs`` are
# kept (the templates' source, the code that builds the figure and the structured data, the
# translations, the time zone and the media address are part of ``rendering_format``
# already). 2: the lead image's figure. 3: the structured data; the inputs kept as values (the
# content by its sign-off digest). 4: the heading (audience, title, summary) and the head's
# publication and update times.
PARTS_FORMAT = 4
TEMPLATE_PARTS = ("heading", "head_times", "trust_box", "toc", "references")
# The lead image's figure, escaped and through the figure's allow-list (empty without one):
# shown while the image is (``public.page_images``: rights ended or gone from the library
# take it off at read time, whatever is stored).
LEAD_FIGURE = "lead_figure"
# Shown as stored.
PARTS = (*TEMPLATE_PARTS, LEAD_FIGURE)
# The page's JSON-LD with slots for its address and images (``structured_data``): shown once
# they are filled in, so not among PARTS.
JSON_LD = "json_ld"
# The modules whose code writes stored parts besides the templates: a change to them is a
# change of format, as a template's is.
CODE = (structured_data, delivery, rendering)


def _template(name: str):
    return get_template(f"articles/parts/{name}.html")


@functools.cache
def _rendering(language: str, time_zone: str, media: str) -> str:
    digest = hashlib.sha256(f"{django.get_version()} {time_zone} {media}".encode())
    for name in TEMPLATE_PARTS:
        digest.update(_template(name).template.source.encode())
    for module in CODE:
        digest.update(Path(module.__file__).read_bytes())
    for directory in settings.LOCALE_PATHS:
        catalogue = Path(directory) / to_locale(language) / "LC_MESSAGES" / "django.mo"
        if catalogue.exists():
            digest.update(catalogue.read_bytes())
    return f"{PARTS_FORMAT}:{digest.hexdigest()[:16]}"


def rendering_format(snapshot: PublishedArticle) -> str:
    """What rendered parts of ``snapshot``'s page today: parts stored with another value were
    rendered by other templates, translations or settings (computed once per process and
    language)."""
    return _rendering(languages.site_language(snapshot.language), settings.TIME_ZONE, _media())


_media_address: list[str] = []


def _media() -> str:
    """Where stored files are served from (the figure's addresses start there), read once per
    process and settings."""
    if not _media_address:
        _media_address.append(delivery.file_url("images/"))
    return _media_address[0]


@receiver(setting_changed)
def _forget_media(**kwargs) -> None:
    """A test's ``MEDIA_URL`` or ``STORAGES`` moves the figure's addresses."""
    _media_address.clear()


def _plain(value: object) -> object:
    """A time or date as the same value whatever its time zone or type, as JSON keeps it."""
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def inputs(snapshot: PublishedArticle) -> list:
    """What the parts show of ``snapshot``, as JSON keeps it: parts stored with other inputs
    were rendered from other values, and are not used. The content (title, summary,
    audience, language, authors, table of contents, references, images) stands in by the
    sign-off digest of it (``snapshots.content_digest``): a snapshot's content is never
    written again, and one changed in the database no longer matches its digest, which
    ``verify_signoff`` reports. The rest (byline, dates), which signing again rewrites, by its
    values. Stored whole and compared as values: small, where hashing the content again on
    every read cost a page missing from the cache more than the rest of its parts."""
    if snapshot.digest:
        content = [snapshot.digest]
    else:  # from before digests: the content itself
        content = [
            snapshot.language,
            snapshot.title,
            snapshot.summary,
            snapshot.audience,
            snapshot.authors,
            snapshot.toc,
            snapshot.references,
            snapshot.lead_image,
            bool(snapshot.images),
        ]
    return [
        *content,
        snapshot.reviewed_by,
        _plain(snapshot.first_published_at),
        _plain(snapshot.go_live_at),
        _plain(snapshot.last_reviewed),
        _plain(snapshot.next_review_due),
    ]


def render_parts(snapshot: PublishedArticle) -> dict[str, str]:
    """The parts of ``snapshot``'s page as its page shows them (in the language of its
    pages), with their ``rendering_format`` and the fingerprint of their inputs: what
    ``page_parts`` stores."""
    with languages.override(languages.site_language(snapshot.language)):
        context = {"article": snapshot}
        rendered = {name: str(_template(name).render(context)) for name in TEMPLATE_PARTS}
    rendered[LEAD_FIGURE] = lead_figure(snapshot.lead_image)
    rendered[JSON_LD] = structured_data.stored_web_page(snapshot)
    return {
        "format": rendering_format(snapshot),
        # As the database gives them back (a tuple is a list there, say).
        "inputs": json.loads(json.dumps(inputs(snapshot), default=str)),
        **rendered,
    }


def lead_figure(image: dict | None) -> str:
    """The ``<figure>`` of a page's lead image (empty without one): built from the approved
    data, every value escaped, then through the figure's allow-list."""
    return rendering.sanitise_figure(delivery.figure_html(image, lead=True)) if image else ""


def is_current(snapshot: PublishedArticle) -> bool:
    """Whether ``snapshot``'s stored parts were rendered by today's templates, translations
    and settings from its fields as they now stand (else they are not used)."""
    stored = snapshot.page_parts
    return (
        bool(stored)
        and stored.get("format") == rendering_format(snapshot)
        and stored.get("inputs") == inputs(snapshot)
    )


def page_parts(snapshot: PublishedArticle) -> dict[str, str]:
    """The parts to show on ``snapshot``'s page (PARTS, safe to show as they are) and its
    stored JSON-LD (``JSON_LD``, for ``structured_data.web_page_json_ld``): the stored ones
    when current, else rendered now (the same bytes). Stored parts are markup our own
    templates and code made from approved content, every value escaped there;
    ``verify_signoff`` checks they still are."""
    stored = snapshot.page_parts if is_current(snapshot) else render_parts(snapshot)
    return {**{name: mark_safe(stored[name]) for name in PARTS}, JSON_LD: stored[JSON_LD]}


def stored_parts_differ(snapshot: PublishedArticle) -> bool:
    """Whether ``snapshot``'s page would show stored parts that its content does not render
    to today (changed in the database after publication). Parts that are not current are not
    shown, so they are not checked."""
    return is_current(snapshot) and snapshot.page_parts != render_parts(snapshot)


def fill_page_parts(chunk: int = 500) -> int:
    """Store current parts on every live or scheduled snapshot whose parts are not current
    (none, another format after a template change, other inputs); the number written. Pages
    look the same before and after: only the work of a page missing from the cache changes."""
    written = 0
    stale = PublishedArticle.objects.open_at().order_by("pk")
    last_pk = 0
    while batch := list(stale.filter(pk__gt=last_pk)[:chunk]):
        last_pk = batch[-1].pk
        for snapshot in batch:
            if is_current(snapshot):
                continue
            snapshot.page_parts = render_parts(snapshot)
            snapshot.save(update_fields=["page_parts"])
            written += 1
    return written
