"""Offline readability scoring for Markdown article bodies.

Patient pages should be readable by most adults, so reviewers see a Flesch-Kincaid
reading grade next to every draft. This module is deliberately self-contained (standard
library only, no network, no Django) so that it can run inside request handlers, management
commands and tests without any setup.

Public API:

* :func:`count_syllables` - English syllable heuristic for one word or number.
* :func:`plain_text_from_markdown` - Markdown/HTML to the prose a reader actually reads.
* :func:`analyse` - word, sentence and syllable counts plus both Flesch scores.
* :class:`Readability` - the frozen result of :func:`analyse`.
* :data:`PATIENT_MAX_GRADE` and :func:`readability_warning` - the editorial target.

The scores follow the published formulas:

* Flesch-Kincaid grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
* Flesch reading ease = 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)

Scores are not clamped: very simple text can legitimately score a negative grade or a
reading ease above 100, and clamping would hide differences between simple drafts.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "PATIENT_MAX_GRADE",
    "Readability",
    "analyse",
    "count_syllables",
    "plain_text_from_markdown",
    "readability_warning",
]

#: Highest acceptable Flesch-Kincaid grade for pages whose audience is "patient".
#: Grade 8 is the usual plain-language target for health information for the public.
PATIENT_MAX_GRADE = 8

# ---------------------------------------------------------------------------
# Syllables
# ---------------------------------------------------------------------------

# Words that the rules below get wrong but that are common in everyday or cancer-care
# writing. Checking them first keeps the rules simple instead of piling on special cases.
_SYLLABLE_EXCEPTIONS: dict[str, int] = {
    "acne": 2,
    "algorithm": 4,
    "algorithms": 4,
    "anyone": 3,
    "area": 3,
    "areas": 3,
    "argue": 2,
    "argued": 2,
    "argues": 2,
    "behavior": 3,
    "behaviour": 3,
    "business": 2,
    "cafe": 2,
    "canyon": 2,
    "cement": 2,
    "cooperate": 4,
    "coordinate": 4,
    "coordinated": 5,
    "coordinator": 5,
    "diabetes": 4,
    "diastole": 4,
    "element": 3,
    "etc": 4,
    "elements": 3,
    "evening": 2,
    "every": 2,
    "everyone": 3,
    "everything": 3,
    "everywhere": 3,
    "eye": 1,
    "eyes": 1,
    "fluid": 2,
    "fluids": 2,
    "forever": 3,
    "friend": 1,
    "friendly": 2,
    "friends": 1,
    "hereby": 2,
    "herpes": 2,
    "hyperbole": 4,
    "logarithm": 4,
    "idea": 3,
    "ideas": 3,
    "lawyer": 2,
    "marriage": 2,
    "maybe": 2,
    "moreover": 3,
    "naive": 2,
    "nausea": 3,
    "people": 2,
    "poem": 2,
    "poet": 2,
    "quiet": 2,
    "real": 1,
    "really": 2,
    "recipe": 3,
    "rhythm": 2,
    "science": 2,
    "sciences": 3,
    "scientific": 4,
    "scientist": 3,
    "simile": 3,
    "someone": 2,
    "syncope": 3,
    "systole": 3,
    "thereof": 2,
    "wednesday": 2,
    "whatsoever": 4,
    "whereas": 2,
    "wherever": 3,
    "whoever": 3,
}

_VOWELS = "aeiou"
_VOWEL_GROUP_RE = re.compile(r"[aeiou]+|y")

# Vowel pairs that are normally pronounced as two syllables but form a single vowel group.
# Each pattern adds one syllable per match. Look-behinds exclude the spellings where the
# pair is one sound, e.g. the "-tion", "-cial" and "-sion" families.
_SPLIT_VOWEL_PATTERNS: tuple[re.Pattern[str], ...] = (
    # anaemia, trial, associate, palliative; not special, initial, Australian, familiar
    re.compile(r"(?<![tcsl])ia|[tc]iat|lia(?![nr]?s?$)"),
    re.compile(r"(?<![tscgxhn])io(?!ns?$)"),  # biopsy, radiotherapy, serious; not senior
    re.compile(r"(?<![tscgxhln])ions?$"),  # criterion, champion; not nation, million, union
    re.compile(r"(?<=[st])io(?![nu])"),  # physiotherapy, ratio, patio; not -tion, -tious
    re.compile(r"(?<![tcs])ie(?=[nt])"),  # client, diet, experience; not patient, ancient
    re.compile(r"(?<=..)ie(?=rs?$|st$)"),  # easier, earliest, carrier; not pier
    re.compile(r"iu"),  # sodium, calcium, medium
    re.compile(r"(?<!p)(?<!\Bg)eo"),  # video, osteoporosis, geography; not surgeon
    re.compile(r"(?<![qg])u[ao]"),  # usual, actual, situation, duodenum
    re.compile(r"(?<![qg])ue(?=[^aeiousd]|[sd].)"),  # fluent, cruel, influenza; not issues
    re.compile(r"crea(?=t(?!ur))|creas$"),  # create, pancreas, pancreatic; not increase
    re.compile(r"[^aeiou](?<!cr)eas?$"),  # urea, cornea; "area"/"idea" are exceptions
    re.compile(r"[aeiou]ings?$"),  # being, going, continuing
    re.compile(r"sms?$"),  # metabolism, spasm, neoplasm
    re.compile(r"(?<!q)uit(?=y|ies)|guou"),  # continuity, ambiguity, ambiguous
    re.compile(r"^re(?:i(?!gn)|u|a(?:ss|pp|ct|dm|li|llo|rr|wa))"),  # reuse, react, reassure
    re.compile(r"^pre(?=[aeio])(?!ach|en)"),  # preoperative, preexisting, preamble
)

# A silent "e" in the middle of a derived word, e.g. "completely", "management",
# "careless". The stem must end in vowel + consonant (or a common soft cluster) so that
# words such as "implement" or "supplement" are not touched.
_SILENT_SUFFIX_E_RE = re.compile(
    r"(?:[aeiouy][^aeiouy]|ng|dg|nc|rg|lv|rc|ns|rs|qw)e"
    r"(?:ly|ty|ment|ments|ful|fully|ness|less|lessness)$"
)

# Consonant + "le"/"re" endings keep their "e" as a syllable ("table", "centre") unless the
# consonant is itself l or r ("gazelle", "bizarre").
_SYLLABIC_LE_RE = re.compile(r"[^aeiouylr][lr]e[sd]?$")

# Compounds whose first part ends in a silent "e" ("sometimes", "therefore", "baseline").
# The second part must start with a consonant so that "homeopathy" or "career" stay whole.
_COMPOUND_RE = re.compile(
    r"^(some|there|where|else|more|home|life|like|time|care|house|whole|note|base|side|safe|"
    r"hope|love|name|spoke|state|tube|table|bone|nose|size|file|frame|gate|pipe)"
    r"([^aeiouy][a-z]+)$"
)

_DIGITS_RE = re.compile(r"\d+")
_LETTERS_RE = re.compile(r"[a-z]+")


def count_syllables(word: str) -> int:
    """Estimate the number of syllables in an English word.

    The estimate is built for readability formulas, where a small error per word averages
    out: vowel groups are counted, then common spelling patterns are corrected (silent
    trailing "e", "-le" endings, silent "-es"/"-ed", vowel pairs said as two syllables), and
    a small exception dictionary covers frequent words the rules get wrong.

    Hyphenated and apostrophised tokens are handled ("well-being", "didn't"). Numbers count
    one syllable per group of one or two digits and two syllables per longer group, so "12"
    is 1, "2.5" is 2 and "2024" is 2. Spoken numbers are longer ("two point five"), but the
    reading effort of a digit string is low and Flesch scores were calibrated on prose where
    numbers were rare, so a small fixed cost keeps dosage-heavy pages from scoring as dense.

    Every token that contains a letter or digit counts at least 1; anything else counts 0.
    """
    text = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii").lower()
    # Thousands separators would otherwise split "1,000" into two numbers.
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    total = 0
    for part in re.split(r"[-\u2010\u2011\u2012\u2013\u2014/]+", text):
        total += _count_part(part)
    if total == 0 and re.search(r"[a-z0-9]", text):
        total = 1
    return total


def _count_part(part: str) -> int:
    """Count syllables in one hyphen-free chunk, which may mix letters and digits."""
    # "didn't", "isn't": the contracted "not" is its own syllable after a consonant, and it
    # is lost once the apostrophe is stripped.
    contraction_bonus = 1 if re.search(r"[^aeiou\W]n['\u2019]t$", part) else 0
    part = re.sub(r"['\u2019]", "", part)
    # Ordinal and plural endings on numbers ("4th", "1960s") are part of the spoken number.
    part = re.sub(r"(?<=\d)(?:st|nd|rd|th|s)$", "", part)
    total = 0
    for digits in _DIGITS_RE.findall(part):
        total += 1 if len(digits) <= 2 else 2
    for letters in _LETTERS_RE.findall(part):
        total += _count_letters(letters)
    return total + contraction_bonus if total else 0


def _count_letters(word: str) -> int:
    """Count syllables in a lower-case word made only of the letters a-z."""
    if word in _SYLLABLE_EXCEPTIONS:
        return _SYLLABLE_EXCEPTIONS[word]
    # Plurals and possessives of exception words ("ideas" is listed, "recipes" is not).
    if word.endswith("s") and word[:-1] in _SYLLABLE_EXCEPTIONS:
        return _SYLLABLE_EXCEPTIONS[word[:-1]]
    if not re.search(r"[aeiouy]", word):
        # Unpronounceable letter strings are read letter by letter ("NHS", "mg", "pdf").
        return len(word)
    if len(word) <= 2:
        return 1
    compound = _COMPOUND_RE.match(word)
    if compound and re.search(r"[aeiouy]", compound.group(2)):
        # The silent "e" closing the first part of "sometimes" or "baseline" sits mid-word,
        # where the trailing-"e" rule cannot see it, so count the two parts separately.
        return _count_letters(compound.group(1)) + _count_letters(compound.group(2))

    # "qu" is a consonant sound; leaving the u as a vowel merges it with the next vowel.
    word = word.replace("qu", "qw")
    # A "y" at the start or after a vowel is a consonant ("yes", "beyond", "player");
    # elsewhere it is a vowel ("happy", "dying", "embryo").
    chars = list(word)
    for index, char in enumerate(chars):
        if char == "y" and (index == 0 or chars[index - 1] in _VOWELS):
            chars[index] = "j"
    word = "".join(chars)

    count = len(_VOWEL_GROUP_RE.findall(word))
    count += sum(len(pattern.findall(word)) for pattern in _SPLIT_VOWEL_PATTERNS)

    if _has_silent_ending(word):
        count -= 1

    if _SILENT_SUFFIX_E_RE.search(word):
        count -= 1
    # "-gue" is silent ("fatigue", "tongue", "catalogue").
    if re.search(r"gues?$", word):
        count -= 1
    return max(count, 1)


def _has_silent_ending(word: str) -> bool:
    """Return True when a final "-e", "-es" or "-ed" adds no syllable of its own."""
    if _SYLLABIC_LE_RE.search(word):
        return False
    # Silent trailing "e" ("fire", "make"), but only when it is its own vowel group.
    if word.endswith("e"):
        return word[-2] not in _VOWELS
    # "-es" is silent ("makes") except after sibilants ("boxes", "changes", "uses").
    if word.endswith("es"):
        return word[-3] not in _VOWELS + "ysxzgc" and not word.endswith(("ches", "shes"))
    # "-ed" is silent ("walked") except after t or d ("created", "needed").
    if word.endswith("ed"):
        return word[-3] not in _VOWELS + "ytd"
    return False


# ---------------------------------------------------------------------------
# Markdown to plain text
# ---------------------------------------------------------------------------

_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.M | re.S)
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_HTML_CODE_RE = re.compile(r"<(pre|code|script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_HTML_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|hr|li|ul|ol|h[1-6]|tr|td|th|table|thead|tbody|blockquote|section|"
    r"article|header|footer|dl|dt|dd|figure|figcaption)\b[^>]*>",
    re.I,
)
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~@])")

# Bracketed text excludes "[" as well as "]" so that an unclosed bracket costs one short scan
# instead of a scan to the end of the block from every later bracket.
_IMAGE_RE = re.compile(r"!\[[^\[\]]*\](?:\([^()]*\)|\[[^\[\]]*\])")
_CITATION_RE = re.compile(r"(?<![ \t])[ \t]*\[-?@[^\[\]]*\]")
_FOOTNOTE_REF_RE = re.compile(r"\[\^[^\[\]]+\](?!:)")
_INLINE_LINK_RE = re.compile(r"\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_REFERENCE_LINK_RE = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
# Trailing punctuation is left in place because it may be the end of the sentence.
_BARE_URL_RE = re.compile(
    r"\b(?:https?://|www\.)\S+?(?=[.,;:!?)]*(?:\s|$))|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_INLINE_CODE_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
# Spans are capped in length: markers are not words, so a very long emphasised passage that
# keeps its markers scores the same, and the cap keeps stray asterisks from going quadratic.
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.{1,500}?)(?<=\S)\1")
_EMPHASIS_RE = re.compile(r"(?<![\w*])([*_])(?=\S)(.{1,500}?)(?<=\S)\1(?![\w*])")
_STRIKE_RE = re.compile(r"~~(?=\S)(.{1,500}?)(?<=\S)~~")

_LINK_DEFINITION_RE = re.compile(r"^[ ]{0,3}\[[^\]^]+\]:\s*\S+.*$")
_HEADING_RE = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE_RE = re.compile(r"^[ ]{0,3}(?:=+|-+)[ \t]*$")
_RULE_RE = re.compile(r"^[ ]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST_ITEM_RE = re.compile(r"^[ \t]*(?:[-*+\u2022]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?(.*)$")
_FOOTNOTE_DEF_RE = re.compile(r"^[ ]{0,3}\[\^[^\]]+\]:[ \t]*(.*)$")
# Written so that no two whitespace runs are adjacent: "[ \t]*\|?[ \t]*" backtracks
# quadratically on a long run of spaces.
_TABLE_SEPARATOR_RE = re.compile(r"^[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*(?::?-+:?[ \t]*)?)*$")
_BLOCKQUOTE_RE = re.compile(r"^[ \t]*(?:>[ \t]?)+")

# Characters that already close a sentence, optionally followed by closing quotes/brackets.
_TERMINATED_RE = re.compile(r"[.!?\u2026][\"'\u2019\u201d)\]]*$")


def plain_text_from_markdown(markdown_text: str) -> str:
    """Return the readable prose of a Markdown (or light HTML) document.

    Markup that would distort word, sentence or syllable counts is removed: code blocks and
    inline code, images, HTML tags and comments, URLs, citation markers such as ``[@3]``,
    footnote references, emphasis markers, heading hashes, list bullets, blockquote markers
    and table pipes. Link text is kept and its URL dropped.

    Headings, list items, table rows and paragraphs each end up as separate lines, and any
    that lack terminal punctuation get a full stop. Without that, a bullet list of short
    fragments would be counted as one enormous sentence and inflate the grade.

    Indented (four-space) code blocks are deliberately left alone: nested list content uses
    the same indentation, and patient articles virtually never contain code.
    """
    text = markdown_text.replace("\r\n", "\n").replace("\r", "\n")
    # Escaped characters are swapped for private-use placeholders so that later patterns
    # cannot mistake "\*" for emphasis; they are restored at the end.
    escaped: list[str] = []
    # Private-use characters never carry prose, and removing them keeps the placeholders
    # unambiguous.
    text = re.sub("[\ue000-\uf8ff]", "", text)

    def _stash(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return chr(0xE000 + len(escaped) - 1)

    text = _ESCAPE_RE.sub(_stash, text)
    text = _FENCE_RE.sub("\n", text)
    text = _HTML_COMMENT_RE.sub(" ", text)
    text = _HTML_CODE_RE.sub(" ", text)
    # A <br> is a line break inside a paragraph; other block tags end the block.
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = _HTML_BLOCK_TAG_RE.sub("\n\n", text)
    # Autolinks ("<https://...>") look like tags; dropping them explicitly documents that a
    # URL is never prose, whichever way the generic tag pattern would have treated it.
    text = re.sub(r"<(?:https?://|mailto:|www\.)[^>\s]*>", " ", text)
    text = _HTML_TAG_RE.sub("", text)

    blocks = _split_blocks(text.split("\n"))
    sentences = [_finish_block(_strip_inline(block)) for block in blocks]
    text = "\n".join(sentence for sentence in sentences if sentence)

    text = re.sub("[\ue000-\uf8ff]", lambda m: escaped[ord(m.group()) - 0xE000], text)
    return html.unescape(text)


def _split_blocks(lines: list[str]) -> list[str]:
    """Group lines into blocks (paragraph, heading, list item, table row) of raw inline text."""
    blocks: list[str] = []
    current: list[str] = []
    in_table = False
    previous_quoted = False

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for index, raw_line in enumerate(lines):
        quoted = bool(_BLOCKQUOTE_RE.match(raw_line))
        line = _BLOCKQUOTE_RE.sub("", raw_line).rstrip()
        if quoted != previous_quoted:
            # Entering or leaving a blockquote starts a new block, as it does in Markdown.
            flush()
        previous_quoted = quoted
        if not line.strip():
            flush()
            in_table = False
            continue
        if _TABLE_SEPARATOR_RE.match(line) and "|" in line:
            flush()
            in_table = True
            continue
        if _SETEXT_UNDERLINE_RE.match(line) and current:
            # The underline turns the paragraph above into a heading; the block ends here.
            flush()
            continue
        if _RULE_RE.match(line) or _LINK_DEFINITION_RE.match(line):
            flush()
            continue
        heading = _HEADING_RE.match(line)
        if heading:
            flush()
            blocks.append(heading.group(1) or "")
            continue
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        is_header_row = (
            "|" in line and "|" in next_line and bool(_TABLE_SEPARATOR_RE.match(next_line))
        )
        if "|" in line and (in_table or is_header_row or line.lstrip().startswith("|")):
            flush()
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            # Cells are separate phrases; semicolons keep them in one sentence per row
            # without gluing the last word of one cell to the first of the next.
            blocks.append("; ".join(cell for cell in cells if cell))
            continue
        in_table = False
        item = _FOOTNOTE_DEF_RE.match(line) or _LIST_ITEM_RE.match(line)
        if item:
            flush()
            current.append(item.group(1))
            continue
        current.append(line.strip())
    flush()
    return blocks


def _strip_inline(text: str) -> str:
    """Remove inline Markdown from one block, keeping the words a reader sees."""
    text = _INLINE_CODE_RE.sub(" ", text)
    text = _IMAGE_RE.sub(" ", text)
    text = _CITATION_RE.sub("", text)
    text = _FOOTNOTE_REF_RE.sub("", text)
    text = _INLINE_LINK_RE.sub(r"\1", text)
    text = _REFERENCE_LINK_RE.sub(r"\1", text)
    text = _BARE_URL_RE.sub(" ", text)
    # Emphasis can nest ("***very***"), so repeat until nothing changes.
    previous = None
    while previous != text:
        previous = text
        text = _STRONG_RE.sub(r"\2", text)
        text = _EMPHASIS_RE.sub(r"\2", text)
        text = _STRIKE_RE.sub(r"\1", text)
    # A space before punctuation is usually left behind by a removed image or code span.
    text = re.sub(r"(?<![ \t])[ \t]+(?=[.,;:!?])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _finish_block(text: str) -> str:
    """Give a non-empty block terminal punctuation so that it counts as its own sentence."""
    if not text or not _WORD_RE.search(text):
        return ""
    if _TERMINATED_RE.search(text):
        return text
    return text.rstrip(":;,") + "."


# ---------------------------------------------------------------------------
# Words and sentences
# ---------------------------------------------------------------------------

# Letters/digits joined by apostrophes or hyphens form one word ("didn't", "well-being",
# "COVID-19"); "." and "," join digits only, so "2.5" and "1,000" stay single numbers.
_WORD_RE = re.compile(
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


def _split_sentences(text: str) -> list[str]:
    """Split plain text into sentences, keeping only pieces that contain a word."""
    pieces: list[str] = []
    start = 0
    for match in _TERMINATOR_RE.finditer(text):
        if _is_sentence_end(text, match):
            pieces.append(text[start : match.end()])
            start = match.end()
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if _WORD_RE.search(piece)]


# ---------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------


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
    sentences = _split_sentences(plain)
    words = [word for sentence in sentences for word in _WORD_RE.findall(sentence)]
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
