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

Modules: :mod:`.tokens` (words and numbers), :mod:`.segments` (the line, sentence
and word diff), :mod:`.rendering` (HTML and unified output), :mod:`.number_changes`
(numbers in changed runs) and :mod:`.fields` (comparing snapshots field by field).
"""

from .fields import FieldChange, compare_dicts
from .number_changes import changed_number_pairs, changed_numbers
from .rendering import diff_text_html, diff_text_unified
from .tokens import numeric_tokens

__all__ = [
    "FieldChange",
    "changed_number_pairs",
    "changed_numbers",
    "compare_dicts",
    "diff_text_html",
    "diff_text_unified",
    "numeric_tokens",
]
