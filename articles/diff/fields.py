"""Field-by-field comparison of two version snapshots: one :class:`FieldChange` per field.

Values are normalised to text here; the text diff itself lives in the sibling modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.utils.safestring import SafeString

from .number_changes import changed_number_pairs
from .rendering import diff_text_html
from .tokens import normalize_newlines


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
        return normalize_newlines(value)
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
