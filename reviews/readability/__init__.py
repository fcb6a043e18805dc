"""Offline readability scoring for Markdown article bodies.

Patient pages should be readable by most adults, so reviewers see a Flesch-Kincaid
reading grade next to every English draft, and a Fernández-Huerta reading ease next to every
Spanish one (:mod:`.spanish`). This package is deliberately self-contained (standard
library only, no network, no Django) so that it can run inside request handlers, management
commands and tests without any setup.

Public API:

* :func:`count_syllables` - English syllable heuristic for one word or number.
* :func:`plain_text_from_markdown` - Markdown/HTML to the prose a reader actually reads.
* :func:`analyse` - word, sentence and syllable counts plus the scores, for a language.
* :func:`count_syllables_es`, :func:`fernandez_huerta` - Spanish syllables and reading ease.
* :class:`Readability` - the frozen result of :func:`analyse`.
* :data:`PATIENT_MAX_GRADE` and :func:`readability_warning` - the editorial target.

Modules, in the order the text goes through them: :mod:`.markdown` (Markdown to plain prose,
with :mod:`.blocks` grouping its lines into paragraphs, headings, list items and table rows),
:mod:`.sentences` (words and sentences), :mod:`.syllables` (syllables per word) and
:mod:`.scores` (the Flesch formulas and the warning).
"""

from .markdown import plain_text_from_markdown
from .scores import (
    FERNANDEZ_HUERTA,
    FLESCH_KINCAID,
    PATIENT_MAX_GRADE,
    SCALE_NAMES,
    Readability,
    analyse,
    readability_warning,
    scale_for,
)
from .spanish import count_syllables_es, fernandez_huerta
from .syllables import count_syllables

__all__ = [
    "FERNANDEZ_HUERTA",
    "FLESCH_KINCAID",
    "PATIENT_MAX_GRADE",
    "SCALE_NAMES",
    "Readability",
    "analyse",
    "count_syllables",
    "count_syllables_es",
    "fernandez_huerta",
    "plain_text_from_markdown",
    "readability_warning",
    "scale_for",
]
