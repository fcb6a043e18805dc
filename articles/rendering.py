"""Markdown to safe HTML: render with Python-Markdown, then sanitise with nh3.

Writers type Markdown; nothing they type is trusted. The rendered HTML passes an allow-list
sanitiser before anyone sees it, so script, event handlers, ``javascript:`` URLs, iframes and
inline styles never survive, whatever the Markdown contained.

Images come only from the media library: ``![alt override](image:42 "caption override")``
names image 42, and becomes a ``<figure>`` built from the version's manifest (the image data
approved with it, ``articles.images.delivery``), never from what the writer typed. The writer's
HTML is sanitised without any image element; each figure stands in as a random token that the
writer cannot guess, and is put in its place afterwards, itself sanitised by an allow-list of
exactly the figure's elements and attributes whose ``src``/``srcset`` must be under the media
URL. Any other image is removed.
"""

import re
import secrets
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

from .images import delivery

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "li", "ol", "p", "pre", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "sup": {"id", "class"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

CITATION_RE = re.compile(r"\[@(\d{1,3})\]")

# The elements and attributes of an image's figure (``delivery.figure_html``), and nothing else.
FIGURE_TAGS = {"figure", "picture", "source", "img", "figcaption"}
FIGURE_ATTRIBUTES = {
    "figure": {"class", "data-image"},
    "source": {"type", "srcset", "sizes"},
    "img": {
        "src", "srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority", "alt",
    },
}  # fmt: skip
# What each figure attribute may hold, besides the URLs (checked against the media URL).
FIGURE_VALUES = {
    ("figure", "class"): re.compile(r"article-image"),
    ("figure", "data-image"): re.compile(r"[1-9][0-9]{0,18}"),
    ("source", "type"): re.compile(r"image/(webp|jpeg|png)"),
    ("source", "sizes"): re.compile(r"[0-9a-z()+\-*/:., ]{1,200}"),
    ("img", "sizes"): re.compile(r"[0-9a-z()+\-*/:., ]{1,200}"),
    ("img", "width"): re.compile(r"[1-9][0-9]{0,5}"),
    ("img", "height"): re.compile(r"[1-9][0-9]{0,5}"),
    ("img", "loading"): re.compile(r"lazy|eager"),
    ("img", "decoding"): re.compile(r"async"),
    ("img", "fetchpriority"): re.compile(r"high"),
}
# An image of the media library in Markdown: ``image:<id>`` (an id too large for the
# database names no image: the quality gate says so).
IMAGE_SRC_RE = re.compile(r"image:([0-9]{1,30})")
MAX_IMAGE_ID = 2**63 - 1
# Where a figure may stand: on its own (a paragraph is split around it), or in a list item,
# table cell, definition or quotation. Inside a heading or a link it cannot, and is left out.
FIGURE_PARENTS = {"p", "li", "td", "th", "dd", "blockquote"}


@dataclass(frozen=True)
class ImageRef:
    """One ``image:<id>`` in the Markdown, with the writer's alt text and caption (or "")."""

    image_id: int
    alt: str = ""
    caption: str = ""


@dataclass(frozen=True)
class RenderedBody:
    """Sanitised HTML and the table of contents built from its headings; the images it
    shows (one entry per figure, with the writer's overrides), every ``image:`` reference and
    those that could not be shown where they stand."""

    html: str
    toc: list[dict] = field(default_factory=list)
    cited: tuple[int, ...] = ()
    images: tuple[dict, ...] = ()
    image_refs: tuple[ImageRef, ...] = ()
    misplaced: tuple[ImageRef, ...] = ()


def _shift_headings(text: str) -> str:
    """Demote a level-1 heading to level 2: the page title is the only h1."""
    return re.sub(r"(?m)^# ", "## ", text)


def _flatten_toc(tokens: list[dict]) -> list[dict]:
    entries: list[dict] = []
    for token in tokens:
        entries.append({"level": token["level"], "id": token["id"], "name": token["name"]})
        entries.extend(_flatten_toc(token.get("children", [])))
    return entries


def sanitise_html(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def _allowed_figure_value(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter for figures: URLs only under the media URL, every other value
    of the expected shape; anything else is dropped."""
    if attribute == "src":
        return value if _media_url(value) else None
    if attribute == "srcset":
        candidates = [candidate.strip() for candidate in value.split(",")]
        safe = all(
            re.fullmatch(r"\S+ [1-9][0-9]{0,5}w", candidate) and _media_url(candidate.split(" ")[0])
            for candidate in candidates
        )
        return value if safe else None
    if attribute == "alt":
        return value
    pattern = FIGURE_VALUES.get((element, attribute))
    return value if pattern is not None and pattern.fullmatch(value) else None


def _media_url(url: str) -> bool:
    """A URL of a stored image: under the media URL, no way out of it, nothing odd."""
    prefix = delivery.url_prefix()
    odd = any(char.isspace() or ord(char) < 32 or char in "\\\"'<>`" for char in url)
    return bool(prefix) and url.startswith(prefix) and ".." not in url and not odd


def sanitise_figure(html: str) -> str:
    """Keep only a figure's own elements and attributes, with media URLs only."""
    return nh3.clean(
        html,
        tags=FIGURE_TAGS,
        attributes=FIGURE_ATTRIBUTES,
        attribute_filter=_allowed_figure_value,
        url_schemes={"http", "https"},
    )


def _clean_text(value: str | None) -> str:
    # Python-Markdown's placeholders (STX/ETX) and other control characters are not text.
    return re.sub(r"[\x00-\x1f\x7f]", " ", value or "").strip()


def _image_ref(element: etree.Element) -> ImageRef | None:
    """The library image an ``<img>`` of the Markdown names, if it names one."""
    match = IMAGE_SRC_RE.fullmatch((element.get("src") or "").strip())
    if match is None:
        return None
    return ImageRef(
        image_id=int(match.group(1)),
        alt=_clean_text(element.get("alt")),
        caption=_clean_text(element.get("title")),
    )


def _remove_keeping_tail(parent: etree.Element, child: etree.Element) -> None:
    index = list(parent).index(child)
    if child.tail:
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _has_content(element: etree.Element) -> bool:
    return bool((element.text or "").strip()) or len(element) > 0


class _LibraryImages(Treeprocessor):
    """Replace each ``image:<id>`` of the media library by a token standing for its figure
    (``tokens[i]`` for ``figures[i]``), splitting a paragraph around it; remove every other
    image. Without ``manifest``, only collects the references."""

    def __init__(self, md: markdown.Markdown, manifest: Mapping[int, dict] | None) -> None:
        super().__init__(md)
        self.manifest = manifest
        self.nonce = secrets.token_hex(12)
        self.refs: list[ImageRef] = []
        self.misplaced: list[ImageRef] = []
        self.external: list[str] = []
        self.figures: list[dict] = []

    def token(self, index: int) -> str:
        return f"mbcfigure{self.nonce}n{index}x"

    def _figure_token(self, element: etree.Element) -> str | None:
        """The token of the figure ``element`` becomes, or None if it shows nothing."""
        ref = _image_ref(element)
        if ref is None:
            self.external.append((element.get("src") or "").strip())
            return None
        self.refs.append(ref)
        data = None if self.manifest is None else self.manifest.get(ref.image_id)
        if data is None:
            return None
        self.figures.append(delivery.with_overrides(data, alt=ref.alt, caption=ref.caption))
        return self.token(len(self.figures) - 1)

    def _split_paragraph(self, paragraph: etree.Element, parent: etree.Element) -> None:
        """The paragraph's text before, each figure on its own, the text after."""
        pieces: list[etree.Element] = []
        current = etree.Element("p")
        current.text = paragraph.text
        for child in list(paragraph):
            if child.tag != "img":
                current.append(child)
                continue
            token = self._figure_token(child)
            if token is None:
                current.append(child)
                _remove_keeping_tail(current, child)
                continue
            if _has_content(current):
                pieces.append(current)
            figure = etree.Element("p")
            figure.text = token
            pieces.append(figure)
            current = etree.Element("p")
            current.text = child.tail
        if _has_content(current):
            pieces.append(current)
        index = list(parent).index(paragraph)
        parent.remove(paragraph)
        for offset, piece in enumerate(pieces):
            piece.tail = "\n"
            parent.insert(index + offset, piece)

    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        split: set[etree.Element] = set()
        # In the order of the text, so that figure i is the i-th of the page.
        for image in list(root.iter("img")):
            parent = parents[image]
            if parent.tag == "p":
                if parent not in split:
                    split.add(parent)
                    self._split_paragraph(parent, parents[parent])
                continue
            if parent.tag not in FIGURE_PARENTS:
                ref = _image_ref(image)
                if ref is None:
                    self.external.append((image.get("src") or "").strip())
                else:
                    self.refs.append(ref)
                    self.misplaced.append(ref)
                _remove_keeping_tail(parent, image)
                continue
            token = self._figure_token(image)
            if token is not None:
                image.tail = token + (image.tail or "")
            _remove_keeping_tail(parent, image)


def _markdown(
    text: str, manifest: Mapping[int, dict] | None = None
) -> tuple[str, list[dict], _LibraryImages]:
    """Markdown to HTML, not yet sanitised (figures as tokens), its table of contents, and
    the images it names."""
    md = markdown.Markdown(
        extensions=["extra", "sane_lists", "toc"],
        extension_configs={"toc": {"toc_depth": "2-3", "permalink": False}},
        output_format="html",
    )
    # Raw HTML in the Markdown is escaped, not passed through: writers format with Markdown.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    images = _LibraryImages(md, manifest)
    # After the inline patterns made the <img> elements and attr_list read their {: …}.
    md.treeprocessors.register(images, "library_images", 7)
    html = md.convert(_shift_headings(text or ""))
    return html, _flatten_toc(getattr(md, "toc_tokens", [])), images


def image_references(text: str) -> list[ImageRef]:
    """Every ``image:<id>`` the Markdown names, in order (with the writer's overrides)."""
    return _markdown(text)[2].refs


def _put_figures(html: str, images: _LibraryImages) -> str:
    """Put each figure in place of its token: a paragraph holding only the token becomes the
    figure (a figure is never inside a <p>)."""
    for index, data in enumerate(images.figures):
        figure = sanitise_figure(delivery.figure_html(data))
        if ' src="' not in figure:
            figure = ""  # no usable media URL (MEDIA_URL unset): nothing, not a broken image
        token = images.token(index)
        html = html.replace(f"<p>{token}</p>", figure).replace(token, figure)
    return html


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.targets.append(value.strip())


def link_targets(text: str) -> list[str]:
    """Every link and image address the Markdown makes, as written (before sanitising, which
    would silently drop the ones it does not allow); images of the media library
    (``image:<id>``) are not addresses and are left out (see :func:`image_references`)."""
    html, _toc, images = _markdown(text)
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    return collector.targets + images.external


def external_images(text: str) -> list[str]:
    """The addresses of images in the Markdown that are not in the media library (rendering
    removes them)."""
    return _markdown(text)[2].external


def render_markdown(
    text: str,
    reference_count: int | None = None,
    images: Mapping[int, dict] | None = None,
) -> RenderedBody:
    """Render article Markdown to sanitised HTML with a table of contents.

    ``[@N]`` markers become superscript links to reference N (``#ref-N``). When
    ``reference_count`` is given, markers beyond it stay as plain text so a reader never
    follows a link to nowhere. ``images`` (id → image data, the version's manifest) are the
    library images the body may show; an ``image:<id>`` not among them shows nothing.
    """
    html, toc, library = _markdown(text, images or {})

    cited: list[int] = []
    occurrences: dict[int, int] = {}

    def cite(match: re.Match) -> str:
        number = int(match.group(1))
        if number < 1 or (reference_count is not None and number > reference_count):
            return match.group(0)
        occurrences[number] = occurrences.get(number, 0) + 1
        if number not in cited:
            cited.append(number)
        anchor = f"cite-{number}-{occurrences[number]}"
        return (
            f'<sup class="citation" id="{anchor}"><a href="#ref-{number}" '
            f'title="Reference {number}">[{number}]</a></sup>'
        )

    html = CITATION_RE.sub(cite, html)
    return RenderedBody(
        html=_put_figures(sanitise_html(html), library),
        toc=toc,
        cited=tuple(cited),
        images=tuple(library.figures),
        image_refs=tuple(library.refs),
        misplaced=tuple(library.misplaced),
    )


def html_to_text(html: str) -> str:
    """Plain text of sanitised HTML, for search and snippets (citation markers dropped)."""
    without_citations = re.sub(r'<sup class="citation"[^>]*>.*?</sup>', "", html)
    # Headings and list items become sentences of their own, so snippets read naturally.
    without_citations = re.sub(r"([^.?!:])</(h[2-6]|li)>", r"\1.</\2>", without_citations)
    without_citations = re.sub(r"</(h[2-6]|p|li|td|th)>", r"</\1> ", without_citations)
    text = nh3.clean(without_citations, tags=set(), attributes={})
    text = re.sub(r"\s+", " ", unescape(text)).strip()
    return re.sub(r"\s+([.,;:!?])", r"\1", text)
