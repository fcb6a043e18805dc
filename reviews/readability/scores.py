"""Readability scores of a Markdown document and the editorial target for patient pages.

The scores follow the published formulas:

* Flesch-Kincaid grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
* Flesch reading ease = 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)
* for Spanish, Fernández-Huerta reading ease = 206.84 - 60 * (syllables / words)
  - 1.02 * (words / sentences), syllables counted by Spanish spelling (:mod:`.spanish`)

Each language is scored on one scale (``SCALES``): English on the Flesch-Kincaid grade (lower
is easier), Spanish on the Fernández-Huerta ease (higher is easier). ``Readability.score`` is
the score on the text's scale, the one stored with a published page and compared with the
target (``settings.READABILITY_MAX_GRADE``, ``settings.READABILITY_MIN_EASE_ES``).

Scores are not clamped: very simple text can legitimately score a negative grade or a
reading ease above 100, and clamping would hide differences between simple drafts.
"""

from __future__ import annotations

from dataclasses import dataclass

from .markdown import plain_text_from_markdown
from .sentences import WORD_RE, split_sentences
from .spanish import count_syllables_es, fernandez_huerta
from .syllables import count_syllables

#: The scale each language is scored on; any other language is scored as English.
FLESCH_KINCAID = "flesch_kincaid_grade"
FERNANDEZ_HUERTA = "fernandez_huerta"
SCALES = {"es": FERNANDEZ_HUERTA}
SCALE_NAMES = {
    FLESCH_KINCAID: "Flesch-Kincaid grade",
    FERNANDEZ_HUERTA: "Fernández-Huerta reading ease",
}
SYLLABLE_COUNTERS = {"es": count_syllables_es}


def scale_for(language: str | None) -> str:
    """The scale a text in ``language`` is scored on."""
    return SCALES.get(str(language or "").split("-")[0].lower(), FLESCH_KINCAID)


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
    #: Meaningful for Spanish text only (its syllables counted the Spanish way).
    fernandez_huerta: float = 0.0
    #: The scale this text is scored on (``scale_for`` its language).
    scale: str = FLESCH_KINCAID

    @property
    def score(self) -> float:
        """The score on the text's own scale: the grade for English, the ease for Spanish."""
        return getattr(self, self.scale)

    @property
    def scale_name(self) -> str:
        return SCALE_NAMES[self.scale]

    @property
    def summary(self) -> str:
        """ "Flesch-Kincaid grade 7.2", "Fernández-Huerta reading ease 68.4"."""
        return f"{self.scale_name} {self.score}"

    @classmethod
    def from_counts(
        cls, words: int, sentences: int, syllables: int, scale: str = FLESCH_KINCAID
    ) -> Readability:
        """Compute the scores from raw counts; zero words gives all-zero scores."""
        if words <= 0:
            return cls(0, 0, 0, 0.0, 0.0, 0.0, scale)
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
            fernandez_huerta=fernandez_huerta(words, sentences, syllables),
            scale=scale,
        )

    def is_above(self, grade: float) -> bool:
        """Return True when the Flesch-Kincaid grade is strictly above ``grade``."""
        return self.flesch_kincaid_grade > grade


def analyse(markdown_text: str, language: str = "en") -> Readability:
    """Score a Markdown document written in ``language`` (its syllables counted the way that
    language spells them); empty or whitespace-only text scores all zeros."""
    plain = plain_text_from_markdown(markdown_text or "")
    sentences = split_sentences(plain)
    words = [word for sentence in sentences for word in WORD_RE.findall(sentence)]
    counter = SYLLABLE_COUNTERS.get(str(language or "").split("-")[0].lower(), count_syllables)
    syllables = sum(counter(word) for word in words)
    return Readability.from_counts(len(words), len(sentences), syllables, scale_for(language))


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
