"""Readable comparison of two article versions for clinical review.

Oncologists sign off on exact versions, so the reviewer must see every change
and must never overlook a changed number (a dose, percentage, interval or
year). Built only on :mod:`difflib` from the standard library (no GPL or other
third-party diff engines); Django is used solely for HTML escaping, which needs
no configured settings.

Public API:

* :func:`diff_text_html` - word-level HTML diff with numbers flagged.
* :func:`diff_text_unified` - line-based unified diff text for the API.
* :func:`compare_dicts` - one :class:`FieldChange` per field of two snapshots.
* :func:`numeric_tokens` / :func:`changed_numbers` - number extraction for
  highlighting and for summaries such as "Numbers changed: 75 mg → 100 mg".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import zip_longest
from typing import NamedTuple

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

__all__ = [
    "FieldChange",
    "changed_number_pairs",
    "changed_numbers",
    "compare_dicts",
    "diff_text_html",
    "diff_text_unified",
    "numeric_tokens",
]

# --- Tokenisation -----------------------------------------------------------

# A unit that directly follows a number (optionally after one space) is kept in
# the same token, so "75 mg" -> "75 mcg" or "3 weeks" -> "3 days" shows up as a
# changed *dose/interval* rather than an unflagged change of a plain word.
_UNIT = (
    r"(?i:mg|mcg|µg|μg|ng|kg|g|ml|mmol|iu|units?|cgy|gy|mm|cm"
    r"|hours?|hrs?|h|minutes?|mins?|days?|weeks?|wks?|months?|years?|yrs?"
    r"|cycles?|doses?|times)"
)
# Thousands separators, decimals ("1,000", "2.5", "2,5") and ranges ("10-15",
# also with an en dash) stay one token: split, "2.5" -> "2.0" would be shown as
# "5" -> "0" next to an unchanged "2.", which is easy to misread.
_NUMBER = r"\d+(?:[.,]\d+)*(?:[-\u2013]\d+(?:[.,]\d+)*)?"
_NUMBER_TOKEN = (
    rf"{_NUMBER}"
    r"(?:[ \u00a0]?%"  # "26%", "26 %"
    rf"|[ \u00a0]?{_UNIT}(?:/[^\W_]+)?(?![\w/])"  # "75 mg", "2.5mg/m²", "5 mg/day"
    r"|[^\W\d_]\w*)?"  # other attached letters: "5th", "3x"
)
_TOKEN_RE = re.compile(rf"{_NUMBER_TOKEN}|\w+|\s+|[^\w\s]")
# Lines keep their newline so that joining them reproduces the text exactly.
_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+")
_DIGIT_RE = re.compile(r"\d")

# A sentence ends at ., ! or ? followed by whitespace, so "2.5 mg" is not split.
# Every character belongs to some sentence, so joining them gives the text back.
_SENTENCE_RE = re.compile(r".+?(?:[.!?]+\s+|\Z)", re.DOTALL)

# Above this many tokens (both sides together) a changed block is first split
# into smaller units (paired lines, then sentences) before the word diff:
# SequenceMatcher without autojunk is roughly quadratic in the number of
# repeated tokens (every space is the same token), and a rewritten 4,000-word
# paragraph would otherwise take seconds to render.
_MAX_BLOCK_TOKENS = 3000


def _tokenize(text: str) -> list[str]:
    # The pattern has a catch-all for every character class, so joining the
    # tokens reproduces the text exactly; the HTML diff relies on that.
    return _TOKEN_RE.findall(text)


def _has_digit(token: str) -> bool:
    return _DIGIT_RE.search(token) is not None


def _normalize_newlines(text: str) -> str:
    # Browsers submit textareas with CRLF while imports/fixtures use LF; an
    # invisible line-ending change must not mark a whole field as rewritten.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def numeric_tokens(text: str) -> list[str]:
    """Return the tokens of ``text`` that contain a digit, in order.

    Units and percent signs stay attached ("75 mg", "26%", "3 weeks"), and
    decimals, thousands separators and ranges are single tokens ("2.5",
    "1,000", "10-15"). Identifiers such as "HER2" count too: a changed digit
    anywhere is something a reviewer must look at.
    """
    return [token for token in _tokenize(text) if _has_digit(token)]


# --- Diff segments ----------------------------------------------------------


class _Segment(NamedTuple):
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
) -> Iterator[_Segment]:
    """Word-level segments for a block of lines (or sentences) that differ.

    Small blocks go straight to the word diff. Large ones are narrowed first,
    trading a possibly less minimal diff for bounded time; what is marked as
    removed or added stays correct either way.
    """
    old_tokens = _tokenize("".join(old_units))
    new_tokens = _tokenize("".join(new_units))
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
        yield _Segment(tag, old_tokens[i1:i2], new_tokens[j1:j2])


def _sentence_segments(old: str, new: str) -> Iterator[_Segment]:
    """Match unchanged sentences whole, then word-diff only the ones that differ."""
    old_sentences = _SENTENCE_RE.findall(old)
    new_sentences = _SENTENCE_RE.findall(new)
    matcher = difflib.SequenceMatcher(None, old_sentences, new_sentences, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            text = "".join(old_sentences[i1:i2])
            yield _Segment(tag, [text], [text])
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


def _raw_segments(old: str, new: str) -> Iterator[_Segment]:
    old_lines = _LINE_RE.findall(_normalize_newlines(old))
    new_lines = _LINE_RE.findall(_normalize_newlines(new))
    matcher = difflib.SequenceMatcher(
        _is_blank_line, _line_keys(old_lines), _line_keys(new_lines), autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            # Unchanged text is never inspected token by token.
            old_text = "".join(old_lines[i1:i2])
            new_text = "".join(new_lines[j1:j2])
            common = min(old_text, new_text, key=len)
            yield _Segment(tag, [common], [common])
            # Equal keys can still differ by the final newline (see _line_keys).
            if len(old_text) > len(common):
                yield _Segment("delete", [old_text[len(common) :]], [])
            elif len(new_text) > len(common):
                yield _Segment("insert", [], [new_text[len(common) :]])
        elif tag == "replace":
            yield from _word_segments(old_lines[i1:i2], new_lines[j1:j2])
        else:
            old_tokens = _tokenize("".join(old_lines[i1:i2]))
            new_tokens = _tokenize("".join(new_lines[j1:j2]))
            yield _Segment(tag, old_tokens, new_tokens)


def _segments(old: str, new: str) -> Iterator[_Segment]:
    """Diff two texts, lines first and then words inside changed lines.

    The line pass keeps long, mostly unchanged articles fast and shows a moved
    or added paragraph as a whole; the word pass makes edits inside a
    paragraph readable. Adjacent changes from the two passes are merged into
    one run so the reader sees one deletion and one insertion, not a stutter.
    The HTML diff and the number summary both consume these segments so that
    they can never disagree.
    """
    pending: _Segment | None = None
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
            pending = _Segment(tag, old_tokens, new_tokens)
    if pending is not None:
        yield pending


# --- HTML rendering -----------------------------------------------------------


def _mark_number(token: str) -> SafeString | str:
    # Plain strings are escaped later by format_html_join.
    if _has_digit(token):
        return format_html('<mark class="diff-num">{}</mark>', token)
    return token


def _render_run(element: str, css_class: str, tokens: Sequence[str]) -> SafeString:
    """Wrap changed tokens in ``<del>``/``<ins>``, marking each numeric token.

    The run gets ``diff-num`` so styling/counting can target it, and each
    numeric token its own ``<mark class="diff-num">`` so the reviewer's eye
    lands on the exact number, not just the sentence around it.
    """
    classes = [css_class]
    if any(_has_digit(token) for token in tokens):
        classes.append("diff-num")
    if all(token.isspace() for token in tokens):
        # Otherwise a whitespace-only change is an invisible highlight.
        classes.append("diff-ws")
    inner = format_html_join("", "{}", ((_mark_number(token),) for token in tokens))
    # ``element`` is one of two literals chosen below, never writer input.
    return format_html('<{} class="{}">{}</{}>', element, " ".join(classes), inner, element)


def diff_text_html(old: str, new: str) -> SafeString:
    """Return a word-level HTML diff of ``old`` -> ``new``.

    Removed text is wrapped in ``<del class="diff-del">`` and added text in
    ``<ins class="diff-ins">``; runs containing a number also get class
    ``diff-num`` and each numeric token a ``<mark class="diff-num">``.
    Whitespace and newlines are kept, so display the result inside an element
    styled ``white-space: pre-wrap``. All writer text is HTML-escaped.
    """
    if old == new:
        return escape(old)

    pieces: list[SafeString | str] = []
    for segment in _segments(old, new):
        if segment.tag == "equal":
            pieces.extend(segment.old)
            continue
        if segment.old:
            pieces.append(_render_run("del", "diff-del", segment.old))
        if segment.new:
            pieces.append(_render_run("ins", "diff-ins", segment.new))
    # format_html_join escapes plain strings and keeps the already-built
    # SafeString runs, so no text can reach the page unescaped.
    return format_html_join("", "{}", ((piece,) for piece in pieces))


# --- Number summary -----------------------------------------------------------


def changed_numbers(old: str, new: str) -> tuple[list[str], list[str]]:
    """Return ``(removed, added)`` numeric tokens found in changed runs.

    These are exactly the tokens highlighted with ``diff-num`` by
    :func:`diff_text_html`. Numbers in a moved paragraph are listed on both
    sides: the diff cannot tell a move from a delete plus an insert, and
    over-reporting a number is safer than hiding one.
    """
    removed: list[str] = []
    added: list[str] = []
    for segment in _segments(old, new):
        if segment.tag != "equal":
            removed.extend(token for token in segment.old if _has_digit(token))
            added.extend(token for token in segment.new if _has_digit(token))
    return removed, added


def changed_number_pairs(old: str, new: str) -> list[tuple[str, str]]:
    """Return ``(old, new)`` pairs of changed numeric tokens, e.g. ``("75 mg", "100 mg")``.

    Numbers are paired in order within each changed run; a number that was
    only removed or only added is paired with ``""``.
    """
    pairs: list[tuple[str, str]] = []
    for segment in _segments(old, new):
        if segment.tag != "equal":
            removed = [token for token in segment.old if _has_digit(token)]
            added = [token for token in segment.new if _has_digit(token)]
            pairs.extend(zip_longest(removed, added, fillvalue=""))
    return pairs


# --- Unified diff -------------------------------------------------------------


def diff_text_unified(old: str, new: str, from_label: str, to_label: str, context: int = 3) -> str:
    """Return a line-based unified diff (``---``/``+++``/``@@`` format) as text.

    Empty when the texts have the same lines. Meant for API consumers and
    tooling rather than for people, who get :func:`diff_text_html`.
    """
    lines = difflib.unified_diff(
        _normalize_newlines(old).splitlines(),
        _normalize_newlines(new).splitlines(),
        fromfile=from_label,
        tofile=to_label,
        n=context,
        lineterm="",
    )
    text = "\n".join(lines)
    return f"{text}\n" if text else ""


# --- Field comparison ---------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """Old and new text of one field of two versions, with diff helpers.

    ``html`` and ``numbers_changed`` are computed on first access and cached,
    because templates typically read them more than once.
    """

    name: str
    label: str
    old: str
    new: str
    changed: bool

    @cached_property
    def html(self) -> SafeString:
        """Word-level HTML diff of the field (see :func:`diff_text_html`)."""
        return diff_text_html(self.old, self.new)

    @cached_property
    def numbers_changed(self) -> list[tuple[str, str]]:
        """``(old, new)`` numeric tokens that changed (see :func:`changed_number_pairs`)."""
        if not self.changed:
            return []
        return changed_number_pairs(self.old, self.new)


def _to_text(value: object) -> str:
    """Normalise a snapshot value to the text that is compared and displayed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _normalize_newlines(value)
    if isinstance(value, set | frozenset):
        # A set's iteration order is arbitrary, which would show reordering
        # that never happened; the caller must decide on an order.
        raise TypeError("pass a list in a stable order instead of a set")
    if isinstance(value, list | tuple):
        # One item per line, in the caller's order: the order of e.g. a
        # reference list is itself content a reviewer needs to see.
        return "\n".join(_to_text(item) for item in value)
    return str(value)


def compare_dicts(
    old: dict[str, object], new: dict[str, object], fields: Iterable[tuple[str, str]]
) -> list[FieldChange]:
    """Compare two version snapshots field by field.

    ``fields`` lists ``(field_name, human_label)`` pairs; one
    :class:`FieldChange` is returned per pair, in that order. Missing keys
    count as ``None`` (a field added after the old version was saved). Values
    are normalised to text: ``None`` -> ``""``, lists/tuples -> one item per
    line (not sorted here), anything else -> ``str(value)``.
    """
    changes: list[FieldChange] = []
    for name, label in fields:
        old_text = _to_text(old.get(name))
        new_text = _to_text(new.get(name))
        changes.append(
            FieldChange(
                name=name, label=label, old=old_text, new=new_text, changed=old_text != new_text
            )
        )
    return changes
