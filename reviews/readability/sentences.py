"""Words and sentences of plain text, as the readability formulas count them.

:data:`WORD_RE` finds words (numbers such as "2.5" and "1,000" are one word);
:func:`split_sentences` splits plain text at sentence ends, telling a full stop that ends a
sentence from one after an abbreviation or an initial.
"""

from __future__ import annotations

import re

# Letters/digits joined by apostrophes or hyphens form one word ("didn't", "well-being",
# "COVID-19"); "." and "," join digits only, so "2.5" and "1,000" stay single numbers.
WORD_RE = re.compile(
    r"[^\W_]+(?:(?:['\u2019\-\u2010\u2011]|(?<=\d)[.,](?=\d))[^\W_]+)*",
)

# A run of sentence-ending punctuation, optionally followed by closing quotes/brackets, that
# is followed by whitespace or the end of the text. "2.5" never matches because the dot is
# followed by a digit.
_TERMINATOR_RE = re.compile(r"(?:[.!?\u2026]+)[\"'\u2019\u201d)\]]*(?=\s|$)")

# Abbreviations (lower case, dots removed) after which a full stop never ends a sentence,
# because in running text they are virtually always followed by more of the same sentence.
_NEVER_FINAL_ABBREVIATIONS = frozenset(
    {"eg", "ie", "dr", "mr", "mrs", "ms", "prof", "st", "vs", "approx", "fig", "figs", "cf"}
)
# Abbreviations that often do end a sentence ("... and so on, etc."): a following capital
# letter is taken as a new sentence.
_SOMETIMES_FINAL_ABBREVIATIONS = frozenset({"etc", "al", "inc", "ltd", "co", "jr", "sr"})


_NEXT_CHAR_RE = re.compile(r"\s*(\S)")


def _is_sentence_end(text: str, match: re.Match[str]) -> bool:
    """Decide whether a terminator match really ends a sentence."""
    punctuation = match.group().rstrip("\"'\u2019\u201d)]")
    if "!" in punctuation or "?" in punctuation:
        return True
    # Only look at the neighbouring characters: slicing the whole remaining text for every
    # full stop would make long documents quadratic.
    following = _NEXT_CHAR_RE.match(text, match.end())
    starts_lower = bool(following) and following.group(1).islower()
    if punctuation != ".":
        # An ellipsis inside a sentence is followed by lower case ("well... maybe").
        return not starts_lower
    token_start = match.start()
    while token_start > 0 and not text[token_start - 1].isspace():
        token_start -= 1
    token = text[token_start : match.start()].lstrip("\"'\u2018\u201c([").lower()
    if not token:
        return True
    bare = token.replace(".", "")
    if bare in _NEVER_FINAL_ABBREVIATIONS:
        return False
    if bare in _SOMETIMES_FINAL_ABBREVIATIONS:
        return not starts_lower
    # Initials ("J. Smith") and dotted abbreviations ("a.m.", "U.K.").
    if len(token) == 1 and token.isalpha():
        return False
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
        return not starts_lower
    return True


def split_sentences(text: str) -> list[str]:
    """Split plain text into sentences, keeping only pieces that contain a word."""
    pieces: list[str] = []
    start = 0
    for match in _TERMINATOR_RE.finditer(text):
        if _is_sentence_end(text, match):
            pieces.append(text[start : match.end()])
            start = match.end()
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if WORD_RE.search(piece)]
