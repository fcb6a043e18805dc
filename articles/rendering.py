"""Markdown to safe HTML: render with Python-Markdown, then sanitise with nh3.

Writers type Markdown; nothing they type is trusted. The rendered HTML passes an allow-list
sanitiser before anyone sees it, so script, event handlers, ``javascript:`` URLs, iframes and
inline styles never survive, whatever the Markdown contained.
"""

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

import markdown
import nh3

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


@dataclass(frozen=True)
class RenderedBody:
    """Sanitised HTML and the table of contents built from its headings."""

    html: str
    toc: list[dict] = field(default_factory=list)
    cited: tuple[int, ...] = ()


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


def _markdown_html(text: str) -> tuple[str, list[dict]]:
    """Markdown to HTML, not yet sanitised, and its table of contents."""
    md = markdown.Markdown(
        extensions=["extra", "sane_lists", "toc"],
        extension_configs={"toc": {"toc_depth": "2-3", "permalink": False}},
        output_format="html",
    )
    # Raw HTML in the Markdown is escaped, not passed through: writers format with Markdown.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(_shift_headings(text or ""))
    return html, _flatten_toc(getattr(md, "toc_tokens", []))


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
    would silently drop the ones it does not allow)."""
    collector = _LinkCollector()
    collector.feed(_markdown_html(text)[0])
    collector.close()
    return collector.targets


def render_markdown(text: str, reference_count: int | None = None) -> RenderedBody:
    """Render article Markdown to sanitised HTML with a table of contents.

    ``[@N]`` markers become superscript links to reference N (``#ref-N``). When
    ``reference_count`` is given, markers beyond it stay as plain text so a reader never
    follows a link to nowhere.
    """
    html, toc = _markdown_html(text)

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
    return RenderedBody(html=sanitise_html(html), toc=toc, cited=tuple(cited))


def html_to_text(html: str) -> str:
    """Plain text of sanitised HTML, for search and snippets (citation markers dropped)."""
    without_citations = re.sub(r'<sup class="citation"[^>]*>.*?</sup>', "", html)
    # Headings and list items become sentences of their own, so snippets read naturally.
    without_citations = re.sub(r"([^.?!:])</(h[2-6]|li)>", r"\1.</\2>", without_citations)
    without_citations = re.sub(r"</(h[2-6]|p|li|td|th)>", r"</\1> ", without_citations)
    text = nh3.clean(without_citations, tags=set(), attributes={})
    text = re.sub(r"\s+", " ", unescape(text)).strip()
    return re.sub(r"\s+([.,;:!?])", r"\1", text)
