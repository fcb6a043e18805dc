"""The diff of two texts as a sequence of segments: equal, deleted, inserted or replaced runs.

Lines are compared first, then words inside changed lines; very large changed blocks are
narrowed to paired lines or sentences before the word diff, to keep the time bounded. The
HTML diff and the number summary both read these segments, so they can never disagree.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from .tokens import normalize_newlines, tokenize

# Lines keep their newline so that joining them reproduces the text exactly.
_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+")

# A sentence ends at ., ! or ? followed by whitespace, so "2.5 mg" is not split.
# Every character belongs to some sentence, so joining them gives the text back.
_SENTENCE_RE = re.compile(r".+?(?:[.!?]+\s+|\Z)", re.DOTALL)

# Above this many tokens (both sides together) a changed block is first split
# into smaller units (paired lines, then sentences) before the word diff:
# SequenceMatcher without autojunk is roughly quadratic in the number of
# repeated tokens (every space is the same token), and a rewritten 4,000-word
# paragraph would otherwise take seconds to render.
_MAX_BLOCK_TOKENS = 3000


class Segment(NamedTuple):
    """A run of the diff: ``tag`` as in difflib opcodes, tokens of each side."""

    tag: str  # "equal", "replace", "delete" or "insert"
    old: Sequence[str]
    new: Sequence[str]


def _merge_whitespace_gaps(
    opcodes: list[tuple[str, int, int, int, int]], old_tokens: Sequence[str]
) -> list[tuple[str, int, int, int, int]]:
    """Fold whitespace-only "equal" runs between two changes into one change.

    Otherwise replacing "quick brown" with "slow red" renders as
    del/ins/space/del/ins, which is much harder to read than one del and one
    ins. Runs are only merged when the result has real content on both sides,
    so two separate deletions are not turned into a deletion plus an insertion
    of a lone space.
    """
    merged: list[tuple[str, int, int, int, int]] = []
    for opcode in opcodes:
        tag = opcode[0]
        if (
            tag != "equal"
            and len(merged) >= 2
            and merged[-1][0] == "equal"
            and merged[-2][0] != "equal"
            and all(token.isspace() for token in old_tokens[merged[-1][1] : merged[-1][2]])
            and {merged[-2][0], tag} not in ({"delete"}, {"insert"})
        ):
            merged.pop()
            previous = merged.pop()
            merged.append(("replace", previous[1], opcode[2], previous[3], opcode[4]))
        else:
            merged.append(opcode)
    return merged


def _word_segments(
    old_units: Sequence[str], new_units: Sequence[str], *, split_sentences: bool = True
) -> Iterator[Segment]:
    """Word-level segments for a block of lines (or sentences) that differ.

    Small blocks go straight to the word diff. Large ones are narrowed first,
    trading a possibly less minimal diff for bounded time; what is marked as
    removed or added stays correct either way.
    """
    old_tokens = tokenize("".join(old_units))
    new_tokens = tokenize("".join(new_units))
    if len(old_tokens) + len(new_tokens) > _MAX_BLOCK_TOKENS:
        if len(old_units) == len(new_units) > 1:
            # Same count: most likely each paragraph/sentence was edited in
            # place, so pair them up.
            for old_unit, new_unit in zip(old_units, new_units, strict=True):
                yield from _word_segments([old_unit], [new_unit])
            return
        if split_sentences:
            yield from _sentence_segments("".join(old_units), "".join(new_units))
            return

    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in _merge_whitespace_gaps(matcher.get_opcodes(), old_tokens):
        yield Segment(tag, old_tokens[i1:i2], new_tokens[j1:j2])


def _sentence_segments(old: str, new: str) -> Iterator[Segment]:
    """Match unchanged sentences whole, then word-diff only the ones that differ."""
    old_sentences = _SENTENCE_RE.findall(old)
    new_sentences = _SENTENCE_RE.findall(new)
    matcher = difflib.SequenceMatcher(None, old_sentences, new_sentences, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            text = "".join(old_sentences[i1:i2])
            yield Segment(tag, [text], [text])
        else:
            yield from _word_segments(
                old_sentences[i1:i2], new_sentences[j1:j2], split_sentences=False
            )


def _line_keys(lines: list[str]) -> list[str]:
    # Only the last line can lack its newline; compare it as if it had one,
    # otherwise appending a paragraph would make the unchanged last line look
    # rewritten.
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n"]
    return lines


def _is_blank_line(line: str) -> bool:
    # Blank lines separate paragraphs and occur everywhere; as junk they can
    # still be part of a match but cannot anchor one, which would otherwise
    # pair unrelated paragraphs around a matching blank line.
    return not line.strip()


def _raw_segments(old: str, new: str) -> Iterator[Segment]:
    old_lines = _LINE_RE.findall(normalize_newlines(old))
    new_lines = _LINE_RE.findall(normalize_newlines(new))
    matcher = difflib.SequenceMatcher(
        _is_blank_line, _line_keys(old_lines), _line_keys(new_lines), autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            # Unchanged text is never inspected token by token.
            old_text = "".join(old_lines[i1:i2])
            new_text = "".join(new_lines[j1:j2])
            common = min(old_text, new_text, key=len)
            yield Segment(tag, [common], [common])
            # Equal keys can still differ by the final newline (see _line_keys).
            if len(old_text) > len(common):
                yield Segment("delete", [old_text[len(common) :]], [])
            elif len(new_text) > len(common):
                yield Segment("insert", [], [new_text[len(common) :]])
        elif tag == "replace":
            yield from _word_segments(old_lines[i1:i2], new_lines[j1:j2])
        else:
            old_tokens = tokenize("".join(old_lines[i1:i2]))
            new_tokens = tokenize("".join(new_lines[j1:j2]))
            yield Segment(tag, old_tokens, new_tokens)


def segments(old: str, new: str) -> Iterator[Segment]:
    """Diff two texts, lines first and then words inside changed lines.

    The line pass keeps long, mostly unchanged articles fast and shows a moved
    or added paragraph as a whole; the word pass makes edits inside a
    paragraph readable. Adjacent changes from the two passes are merged into
    one run so the reader sees one deletion and one insertion, not a stutter.
    The HTML diff and the number summary both consume these segments so that
    they can never disagree.
    """
    pending: Segment | None = None
    for segment in _raw_segments(old, new):
        if segment.tag == "equal":
            if pending is not None:
                yield pending
                pending = None
            yield segment
        elif pending is None:
            pending = segment
        else:
            old_tokens = [*pending.old, *segment.old]
            new_tokens = [*pending.new, *segment.new]
            tag = "replace" if old_tokens and new_tokens else segment.tag
            pending = Segment(tag, old_tokens, new_tokens)
    if pending is not None:
        yield pending
