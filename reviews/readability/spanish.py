"""Spanish syllables and the Fernández-Huerta reading ease, the Spanish counterpart of the
Flesch reading ease.

Fernández-Huerta (1959) adapted Flesch's reading ease to Spanish. As published, the formula
mixed up its sentence term; the form in use, and the one here, is

    L = 206.84 − 0.60 × P − 1.02 × F

with P the syllables per 100 words and F the words per sentence. Like Flesch's, it reads on a
0-100 scale where higher is easier: 90-100 very easy, 80-90 easy, 70-80 fairly easy, 60-70
standard (plain language for the public), 50-60 fairly difficult, 30-50 difficult, below 30
very difficult. Scores are not clamped.

:func:`count_syllables_es` follows Spanish spelling, which says how a word is pronounced: each
vowel group is one syllable (a diphthong or triphthong: a weak vowel, i u ü, unstressed, beside
any other vowel), except that two strong vowels (a e o, or a stressed í ú) are a hiatus, two
syllables ("ra-íz", "le-er", "dí-a"). The "u" of "que", "qui", "gue", "gui" is silent; "y"
is a vowel only at the end of a word after a vowel ("hoy", "muy") and alone ("y"), where it
joins the vowel before it or counts as one.
"""

from __future__ import annotations

import re
import unicodedata

_STRONG = set("aeoáéóíú")
_WEAK = set("iuü")
_VOWELS = _STRONG | _WEAK
_SILENT_U = re.compile(r"(?<=[qg])u(?=[eiéí])")


def _lower(word: str) -> str:
    # Keep the accents (they mark stress, which decides a hiatus); drop other marks.
    composed = unicodedata.normalize("NFC", word.lower())
    return "".join(char for char in composed if char.isalnum() or char in "-'")


def _syllables_in_group(group: str) -> int:
    """A run of vowels: one syllable per strong vowel, a weak-only run being one."""
    return max(1, sum(1 for char in group if char in _STRONG))


def _count_part(part: str) -> int:
    if not part:
        return 0
    if part.isdigit() or re.fullmatch(r"[\d.,]+", part):
        return sum(1 if len(digits) <= 2 else 2 for digits in re.findall(r"\d+", part))
    word = _SILENT_U.sub("", part)
    if word == "y":
        return 1
    word = re.sub(r"(?<=[aeiouáéíóú])y$", "i", word)
    total = 0
    group = ""
    for char in word:
        if char in _VOWELS:
            group += char
        elif group:
            total += _syllables_in_group(group)
            group = ""
    if group:
        total += _syllables_in_group(group)
    return total


def count_syllables_es(word: str) -> int:
    """The syllables of a Spanish word ("metástasis" 4, "tratamiento" 4, "día" 2, "hoy" 1);
    numbers as the English counter counts them; at least 1 for any word with a letter or a
    digit, 0 otherwise."""
    text = re.sub(r"(?<=\d)[.,](?=\d{3})", "", _lower(word))
    total = sum(_count_part(part) for part in re.split(r"[-/']+", text))
    if total == 0 and re.search(r"\w", text):
        total = 1
    return total


def fernandez_huerta(words: int, sentences: int, syllables: int) -> float:
    """The Fernández-Huerta reading ease of counts (0.0 for no words), to one decimal."""
    if words <= 0:
        return 0.0
    sentences = max(sentences, 1)
    ease = 206.84 - 60 * (syllables / words) - 1.02 * (words / sentences)
    return round(ease, 1)
