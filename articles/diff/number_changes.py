"""The numbers in the changed runs of a diff, for summaries such as "75 mg → 100 mg".

These are exactly the tokens that :func:`~articles.diff.diff_text_html` highlights.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import zip_longest

from .segments import segments
from .tokens import has_digit


def _changed_runs_numbers(old: str, new: str) -> Iterator[tuple[list[str], list[str]]]:
    """``(removed, added)`` numeric tokens of each changed run, in order."""
    for segment in segments(old, new):
        if segment.tag != "equal":
            removed = [token for token in segment.old if has_digit(token)]
            added = [token for token in segment.new if has_digit(token)]
            yield removed, added


def changed_numbers(old: str, new: str) -> tuple[list[str], list[str]]:
    """Return ``(removed, added)`` numeric tokens found in changed runs.

    These are exactly the tokens highlighted with ``diff-num`` by
    :func:`diff_text_html`. Numbers in a moved paragraph are listed on both
    sides: the diff cannot tell a move from a delete plus an insert, and
    over-reporting a number is safer than hiding one.
    """
    removed: list[str] = []
    added: list[str] = []
    for run_removed, run_added in _changed_runs_numbers(old, new):
        removed.extend(run_removed)
        added.extend(run_added)
    return removed, added


def changed_number_pairs(old: str, new: str) -> list[tuple[str, str]]:
    """Return ``(old, new)`` pairs of changed numeric tokens, e.g. ``("75 mg", "100 mg")``.

    Numbers are paired in order within each changed run; a number that was
    only removed or only added is paired with ``""``.
    """
    pairs: list[tuple[str, str]] = []
    for removed, added in _changed_runs_numbers(old, new):
        pairs.extend(zip_longest(removed, added, fillvalue=""))
    return pairs
