"""Markdown (or light HTML) to the plain prose a reader actually reads.

:func:`plain_text_from_markdown` removes the markup that would distort word, sentence or
syllable counts and puts each block (paragraph, heading, list item, table row) on its own line
with terminal punctuation, so that every block counts as at least one sentence.
"""

from __future__ import annotations

import html
import re

from .blocks import split_blocks
from .sentences import WORD_RE

_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.M | re.S)
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_HTML_CODE_RE = re.compile(r"<(pre|code|script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_HTML_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|hr|li|ul|ol|h[1-6]|tr|td|th|table|thead|tbody|blockquote|section|"
    r"article|header|footer|dl|dt|dd|figure|figcaption)\b[^>]*>",
    re.I,
)
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~@])")
_PLACEHOLDER_RE = re.compile("[\ue000-\uf8ff]")

# Bracketed text excludes "[" as well as "]" so that an unclosed bracket costs one short scan
# instead of a scan to the end of the block from every later bracket.
_IMAGE_RE = re.compile(r"!\[[^\[\]]*\](?:\([^()]*\)|\[[^\[\]]*\])")
_CITATION_RE = re.compile(r"(?<![ \t])[ \t]*\[-?@[^\[\]]*\]")
_FOOTNOTE_REF_RE = re.compile(r"\[\^[^\[\]]+\](?!:)")
_INLINE_LINK_RE = re.compile(r"\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_REFERENCE_LINK_RE = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
# Trailing punctuation is left in place because it may be the end of the sentence.
_BARE_URL_RE = re.compile(
    r"\b(?:https?://|www\.)\S+?(?=[.,;:!?)]*(?:\s|$))|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_INLINE_CODE_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
# Spans are capped in length: markers are not words, so a very long emphasised passage that
# keeps its markers scores the same, and the cap keeps stray asterisks from going quadratic.
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.{1,500}?)(?<=\S)\1")
_EMPHASIS_RE = re.compile(r"(?<![\w*])([*_])(?=\S)(.{1,500}?)(?<=\S)\1(?![\w*])")
_STRIKE_RE = re.compile(r"~~(?=\S)(.{1,500}?)(?<=\S)~~")

# Characters that already close a sentence, optionally followed by closing quotes/brackets.
_TERMINATED_RE = re.compile(r"[.!?\u2026][\"'\u2019\u201d)\]]*$")


def plain_text_from_markdown(markdown_text: str) -> str:
    """Return the readable prose of a Markdown (or light HTML) document.

    Markup that would distort word, sentence or syllable counts is removed: code blocks and
    inline code, images, HTML tags and comments, URLs, citation markers such as ``[@3]``,
    footnote references, emphasis markers, heading hashes, list bullets, blockquote markers
    and table pipes. Link text is kept and its URL dropped.

    Headings, list items, table rows and paragraphs each end up as separate lines, and any
    that lack terminal punctuation get a full stop. Without that, a bullet list of short
    fragments would be counted as one enormous sentence and inflate the grade.

    Indented (four-space) code blocks are deliberately left alone: nested list content uses
    the same indentation, and patient articles virtually never contain code.
    """
    text = markdown_text.replace("\r\n", "\n").replace("\r", "\n")
    text, escaped = _stash_escapes(text)
    text = _drop_code_and_tags(text)
    blocks = split_blocks(text.split("\n"))
    sentences = [_finish_block(_strip_inline(block)) for block in blocks]
    text = "\n".join(sentence for sentence in sentences if sentence)
    return html.unescape(_restore_escapes(text, escaped))


def _stash_escapes(text: str) -> tuple[str, list[str]]:
    """Swap escaped characters for private-use placeholders; return the text and the characters.

    Later patterns then cannot mistake "\\*" for emphasis; :func:`_restore_escapes` puts the
    characters back at the end.
    """
    escaped: list[str] = []
    # Private-use characters never carry prose, and removing them keeps the placeholders
    # unambiguous.
    text = _PLACEHOLDER_RE.sub("", text)

    def _stash(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return chr(0xE000 + len(escaped) - 1)

    return _ESCAPE_RE.sub(_stash, text), escaped


def _restore_escapes(text: str, escaped: list[str]) -> str:
    return _PLACEHOLDER_RE.sub(lambda m: escaped[ord(m.group()) - 0xE000], text)


def _drop_code_and_tags(text: str) -> str:
    """Remove fenced code, HTML comments, code and tags; block-level tags become blank lines."""
    text = _FENCE_RE.sub("\n", text)
    text = _HTML_COMMENT_RE.sub(" ", text)
    text = _HTML_CODE_RE.sub(" ", text)
    # A <br> is a line break inside a paragraph; other block tags end the block.
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = _HTML_BLOCK_TAG_RE.sub("\n\n", text)
    # Autolinks ("<https://...>") look like tags; dropping them explicitly documents that a
    # URL is never prose, whichever way the generic tag pattern would have treated it.
    text = re.sub(r"<(?:https?://|mailto:|www\.)[^>\s]*>", " ", text)
    return _HTML_TAG_RE.sub("", text)


def _strip_inline(text: str) -> str:
    """Remove inline Markdown from one block, keeping the words a reader sees."""
    text = _INLINE_CODE_RE.sub(" ", text)
    text = _IMAGE_RE.sub(" ", text)
    text = _CITATION_RE.sub("", text)
    text = _FOOTNOTE_REF_RE.sub("", text)
    text = _INLINE_LINK_RE.sub(r"\1", text)
    text = _REFERENCE_LINK_RE.sub(r"\1", text)
    text = _BARE_URL_RE.sub(" ", text)
    # Emphasis can nest ("***very***"), so repeat until nothing changes.
    previous = None
    while previous != text:
        previous = text
        text = _STRONG_RE.sub(r"\2", text)
        text = _EMPHASIS_RE.sub(r"\2", text)
        text = _STRIKE_RE.sub(r"\1", text)
    # A space before punctuation is usually left behind by a removed image or code span.
    text = re.sub(r"(?<![ \t])[ \t]+(?=[.,;:!?])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _finish_block(text: str) -> str:
    """Give a non-empty block terminal punctuation so that it counts as its own sentence."""
    if not text or not WORD_RE.search(text):
        return ""
    if _TERMINATED_RE.search(text):
        return text
    return text.rstrip(":;,") + "."
