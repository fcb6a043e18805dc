"""Markdown lines grouped into blocks: paragraphs, headings, list items and table rows.

:func:`split_blocks` reads the lines of a document once (after code and HTML are gone) and
returns each block's raw inline text. Lines that carry no prose (blank lines, rules, link
definitions, table separators, setext underlines) only end the block before them.
"""

from __future__ import annotations

import re

_LINK_DEFINITION_RE = re.compile(r"^[ ]{0,3}\[[^\]^]+\]:\s*\S+.*$")
_HEADING_RE = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE_RE = re.compile(r"^[ ]{0,3}(?:=+|-+)[ \t]*$")
_RULE_RE = re.compile(r"^[ ]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST_ITEM_RE = re.compile(r"^[ \t]*(?:[-*+\u2022]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?(.*)$")
_FOOTNOTE_DEF_RE = re.compile(r"^[ ]{0,3}\[\^[^\]]+\]:[ \t]*(.*)$")
# Written so that no two whitespace runs are adjacent: "[ \t]*\|?[ \t]*" backtracks
# quadratically on a long run of spaces.
_TABLE_SEPARATOR_RE = re.compile(r"^[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*(?::?-+:?[ \t]*)?)*$")
_BLOCKQUOTE_RE = re.compile(r"^[ \t]*(?:>[ \t]?)+")


def split_blocks(lines: list[str]) -> list[str]:
    """Group lines into blocks (paragraph, heading, list item, table row) of raw inline text."""
    splitter = _BlockSplitter()
    for index, raw_line in enumerate(lines):
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        splitter.feed(raw_line, next_line)
    return splitter.finish()


def _is_table_separator(line: str) -> bool:
    return "|" in line and bool(_TABLE_SEPARATOR_RE.match(line))


def _table_row_text(line: str) -> str:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    # Cells are separate phrases; semicolons keep them in one sentence per row
    # without gluing the last word of one cell to the first of the next.
    return "; ".join(cell for cell in cells if cell)


class _BlockSplitter:
    """The state of one pass over a document's lines: finished blocks and the open one."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.in_table = False
        self.previous_quoted = False

    def feed(self, raw_line: str, next_line: str) -> None:
        """Take one line; ``next_line`` (raw) tells whether this one heads a table."""
        line = self._unquote(raw_line)
        if not line.strip():
            self.flush()
            self.in_table = False
        elif _is_table_separator(line):
            self.flush()
            self.in_table = True
        elif self._is_closing_markup(line):
            self.flush()
        else:
            self._add_prose(line, next_line)

    def finish(self) -> list[str]:
        self.flush()
        return self.blocks

    def flush(self) -> None:
        if self.current:
            self.blocks.append(" ".join(self.current))
            self.current.clear()

    def _unquote(self, raw_line: str) -> str:
        """Strip blockquote markers; entering or leaving a blockquote ends the block."""
        quoted = bool(_BLOCKQUOTE_RE.match(raw_line))
        if quoted != self.previous_quoted:
            self.flush()
        self.previous_quoted = quoted
        return _BLOCKQUOTE_RE.sub("", raw_line).rstrip()

    def _is_closing_markup(self, line: str) -> bool:
        """A rule, a link definition or a setext underline: it ends the block, adds no prose."""
        # The underline turns the paragraph above into a heading; the block ends here.
        underline = bool(_SETEXT_UNDERLINE_RE.match(line)) and bool(self.current)
        return underline or bool(_RULE_RE.match(line) or _LINK_DEFINITION_RE.match(line))

    def _add_prose(self, line: str, next_line: str) -> None:
        """A heading or table row is a block of its own; other lines join paragraphs."""
        heading = _HEADING_RE.match(line)
        heads_table = "|" in line and _is_table_separator(next_line)
        if heading:
            self._add_block(heading.group(1) or "")
        elif "|" in line and (self.in_table or heads_table or line.lstrip().startswith("|")):
            self._add_block(_table_row_text(line))
        else:
            self.in_table = False
            self._add_paragraph_line(line)

    def _add_block(self, text: str) -> None:
        self.flush()
        self.blocks.append(text)

    def _add_paragraph_line(self, line: str) -> None:
        """A list item or footnote definition starts a new block; other lines continue one."""
        item = _FOOTNOTE_DEF_RE.match(line) or _LIST_ITEM_RE.match(line)
        if item:
            self.flush()
            self.current.append(item.group(1))
        else:
            self.current.append(line.strip())
