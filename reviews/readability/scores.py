"""Flesch scores of a Markdown document and the editorial target for patient pages.

The scores follow the published formulas:

* Flesch-Kincaid grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
* Flesch reading ease = 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)

Scores are not clamped: very simple text can legitimately score a negative grade or a
reading ease above 100, and clamping would hide differences between simple drafts.
"""

from __future__ import annotations

from dataclasses import dataclass

from .markdown import plain_text_from_markdown
from .sentences import WORD_RE, split_sentences
from .syllables import count_syllables

#: Highest acceptable Flesch-Kincaid grade for pages whose audience is "patient".
#: Grade 8 is the usual plain-language target for health information for the public.
PATIENT_MAX_GRADE = 8


@dataclass(frozen=True, slots=True)
class Readability:
    """Counts and Flesch scores for one text; build it with :func:`analyse`.

    Scores are rounded to one decimal place because reviewers compare them against whole
    grade targets, and more precision suggests an accuracy the formulas do not have.
    """

    words: int
    sentences: int
    syllables: int
    flesch_kincaid_grade: float
    flesch_reading_ease: float

    @classmethod
    def from_counts(cls, words: int, sentences: int, syllables: int) -> Readability:
        """Compute both Flesch scores from raw counts; zero words gives all-zero scores."""
        if words <= 0:
            return cls(0, 0, 0, 0.0, 0.0)
        # Any text with a word has at least one sentence; guard anyway so that hand-built
        # counts can never divide by zero.
        sentences = max(sentences, 1)
        words_per_sentence = words / sentences
        syllables_per_word = syllables / words
        grade = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59
        ease = 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word
        return cls(
            words=words,
            sentences=sentences,
            syllables=syllables,
            flesch_kincaid_grade=round(grade, 1),
            flesch_reading_ease=round(ease, 1),
        )

    def is_above(self, grade: float) -> bool:
        """Return True when the Flesch-Kincaid grade is strictly above ``grade``."""
        return self.flesch_kincaid_grade > grade


def analyse(markdown_text: str) -> Readability:
    """Score a Markdown document; empty or whitespace-only text scores all zeros."""
    plain = plain_text_from_markdown(markdown_text or "")
    sentences = split_sentences(plain)
    words = [word for sentence in sentences for word in WORD_RE.findall(sentence)]
    syllables = sum(count_syllables(word) for word in words)
    return Readability.from_counts(len(words), len(sentences), syllables)


def readability_warning(readability: Readability, audience: str) -> str | None:
    """Return an editor-facing warning when a patient page reads above the target grade.

    Only the "patient" audience has a target; professional pages are expected to use
    technical language, so they never get a warning.
    """
    if audience.strip().lower() != "patient":
        return None
    if not readability.is_above(PATIENT_MAX_GRADE):
        return None
    return (
        f"Reading grade {readability.flesch_kincaid_grade:.1f} is above the grade "
        f"{PATIENT_MAX_GRADE} target for patient pages: use shorter sentences and everyday "
        "words."
    )
