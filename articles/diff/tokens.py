"""Word tokens of a text for the diff, and the numbers among them.

A number keeps its unit or percent sign in the same token ("75 mg", "26%"), and decimals,
thousands separators and ranges stay whole ("2.5", "1,000", "10-15"), so that a changed dose
shows as one changed token. Joining the tokens of a text always gives the text back.
"""

from __future__ import annotations

import re

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
_DIGIT_RE = re.compile(r"\d")


def tokenize(text: str) -> list[str]:
    # The pattern has a catch-all for every character class, so joining the
    # tokens reproduces the text exactly; the HTML diff relies on that.
    return _TOKEN_RE.findall(text)


def has_digit(token: str) -> bool:
    return _DIGIT_RE.search(token) is not None


def normalize_newlines(text: str) -> str:
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
    return [token for token in tokenize(text) if has_digit(token)]
