"""Tests for the offline readability module (pure Python: no Django, no database)."""

import dataclasses

import pytest

from reviews.readability import (
    PATIENT_MAX_GRADE,
    Readability,
    analyse,
    count_syllables,
    plain_text_from_markdown,
    readability_warning,
)

# Dictionary syllable counts (Merriam-Webster / CMU Pronouncing Dictionary, British spellings
# where the site uses them). A few are deliberately hard for a spelling heuristic
# ("diarrhoea", "pneumonia", "dementia") so the threshold is meaningful.
REFERENCE_SYLLABLES = {
    "the": 1,
    "cancer": 2,
    "metastatic": 4,
    "chemotherapy": 5,
    "table": 2,
    "breathlessness": 3,
    "created": 3,
    "fire": 1,
    "doctor": 2,
    "nurse": 1,
    "hospital": 3,
    "people": 2,
    "because": 2,
    "little": 2,
    "water": 2,
    "before": 2,
    "together": 3,
    "information": 4,
    "important": 3,
    "understand": 3,
    "questions": 2,
    "feeling": 2,
    "worried": 2,
    "simple": 2,
    "family": 3,
    "sometimes": 2,
    "tumour": 2,
    "oncologist": 4,
    "biopsy": 3,
    "radiotherapy": 6,
    "mastectomy": 4,
    "hormone": 2,
    "receptor": 3,
    "patient": 2,
    "diagnosis": 4,
    "prognosis": 3,
    "palliative": 4,
    "fatigue": 2,
    "nausea": 3,
    "constipation": 4,
    "anaemia": 4,
    "infusion": 3,
    "immunotherapy": 6,
    "inhibitor": 4,
    "tamoxifen": 4,
    "osteoporosis": 6,
    "menopause": 3,
    "carcinoma": 4,
    "appointment": 3,
    "treatment": 2,
    "medicine": 3,
    "symptoms": 2,
    "clinical": 3,
    "survival": 3,
    "lymphoedema": 4,
    "diarrhoea": 4,
    "pneumonia": 3,
    "dementia": 4,
}

SIMPLE_TEXT = "The cat sat on the mat. The dog ran."

DENSE_PROFESSIONAL_TEXT = (
    "Patients with hormone receptor-positive, HER2-negative metastatic breast cancer whose "
    "disease has progressed following endocrine therapy in combination with a cyclin-dependent "
    "kinase inhibitor should be considered for subsequent treatment with everolimus plus "
    "exemestane, alpelisib plus fulvestrant in the presence of an activating PIK3CA mutation, "
    "or single-agent cytotoxic chemotherapy, according to individual comorbidities, "
    "performance status and cumulative anthracycline exposure."
)

# Wikipedia's "Flesch-Kincaid readability tests" article gives this sentence as grade 11.3:
# 13 words, 24 syllables, 1 sentence. 0.39 * 13 + 11.8 * 24 / 13 - 15.59 = 11.265.
PLATYPUS_TEXT = "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."

# Opening of the Gettysburg Address, counted by hand: 30 + 24 + 10 = 64 words
# ("battle-field" is one word), 48 + 36 + 12 = 96 syllables, 3 sentences.
# Grade 0.39 * 64 / 3 + 11.8 * 96 / 64 - 15.59 = 10.43; ease 206.835 - 1.015 * 64 / 3
# - 84.6 * 96 / 64 = 58.28.
GETTYSBURG_TEXT = (
    "Four score and seven years ago our fathers brought forth on this continent, a new nation, "
    "conceived in Liberty, and dedicated to the proposition that all men are created equal. "
    "Now we are engaged in a great civil war, testing whether that nation, or any nation so "
    "conceived and so dedicated, can long endure. We are met on a great battle-field of that war."
)


def _sentences(text: str) -> int:
    """Return the number of sentences analyse() finds in text."""
    return analyse(text).sentences


# --- syllables -------------------------------------------------------------------------


def test_syllable_heuristic_matches_dictionary_for_at_least_90_percent_of_words() -> None:
    """count_syllables agrees exactly with dictionary counts for at least 90% of a word list."""
    misses = {
        word: (count_syllables(word), expected)
        for word, expected in REFERENCE_SYLLABLES.items()
        if count_syllables(word) != expected
    }
    accuracy = 1 - len(misses) / len(REFERENCE_SYLLABLES)
    assert len(REFERENCE_SYLLABLES) >= 25
    assert accuracy >= 0.9, f"accuracy {accuracy:.0%}, misses (got, expected): {misses}"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cancer", 2),
        ("metastatic", 4),
        ("chemotherapy", 5),
        ("the", 1),
        ("table", 2),
        ("breathlessness", 3),
        ("created", 3),
        ("fire", 1),
    ],
)
def test_syllable_count_is_exact_for_key_words(word: str, expected: int) -> None:
    """Key everyday and medical words get their exact dictionary syllable count."""
    assert count_syllables(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("tables", 2),  # consonant + "-les" keeps its syllable
        ("little", 2),
        ("makes", 1),  # silent "-es"
        ("boxes", 2),  # "-es" after a sibilant is spoken
        ("changes", 2),
        ("walked", 1),  # silent "-ed"
        ("wanted", 2),  # "-ed" after t is spoken
        ("needed", 2),
        ("completely", 3),  # silent mid-word "e" before a suffix
        ("management", 3),
    ],
)
def test_syllable_rules_for_common_endings(word: str, expected: int) -> None:
    """The -le, -es, -ed and silent-e-before-suffix rules give dictionary counts."""
    assert count_syllables(word) == expected


def test_syllable_count_ignores_case_punctuation_and_handles_compounds() -> None:
    """Case and surrounding punctuation do not matter; hyphenated parts are summed."""
    assert count_syllables("Cancer") == count_syllables("cancer") == 2
    assert count_syllables("cancer,") == 2
    assert count_syllables("receptor-positive") == 6
    assert count_syllables("didn't") == 2


def test_every_word_counts_at_least_one_syllable() -> None:
    """Short or vowel-less words still count one syllable; non-words count none."""
    for word in ("a", "I", "by", "gym", "shh", "the"):
        assert count_syllables(word) >= 1
    assert count_syllables("") == 0
    assert count_syllables("--") == 0


@pytest.mark.parametrize(
    ("number", "expected"),
    [("5", 1), ("12", 1), ("2.5", 2), ("100", 2), ("2024", 2), ("1,000", 2)],
)
def test_numbers_count_one_or_two_syllables_per_digit_group(number: str, expected: int) -> None:
    """Digit groups of up to two digits count 1 syllable and longer groups count 2."""
    assert count_syllables(number) == expected


# --- scores on known texts -------------------------------------------------------------


def test_very_simple_text_scores_below_grade_3() -> None:
    """Short sentences of one-syllable words score a very low grade."""
    result = analyse(SIMPLE_TEXT)
    assert (result.words, result.sentences, result.syllables) == (9, 2, 9)
    assert result.flesch_kincaid_grade < 3
    assert result.flesch_reading_ease > 100


def test_dense_professional_paragraph_scores_above_grade_12() -> None:
    """A single long sentence of clinical jargon scores above grade 12."""
    result = analyse(DENSE_PROFESSIONAL_TEXT)
    assert result.sentences == 1
    assert result.flesch_kincaid_grade > 12
    assert result.flesch_reading_ease < 30


def test_published_reference_sentence_is_within_one_grade() -> None:
    """Wikipedia's platypus example (published grade 11.3) scores within one grade."""
    result = analyse(PLATYPUS_TEXT)
    assert result.words == 13
    assert result.sentences == 1
    assert abs(result.syllables - 24) <= 1
    assert abs(result.flesch_kincaid_grade - 11.3) <= 1.0


def test_hand_counted_passage_is_within_one_grade_of_reference() -> None:
    """The hand-counted Gettysburg opening scores within one grade of its reference 10.4."""
    reference = Readability.from_counts(words=64, sentences=3, syllables=96)
    assert reference.flesch_kincaid_grade == 10.4
    assert reference.flesch_reading_ease == 58.3

    result = analyse(GETTYSBURG_TEXT)
    assert result.words == 64
    assert result.sentences == 3
    assert abs(result.flesch_kincaid_grade - reference.flesch_kincaid_grade) <= 1.0
    assert abs(result.flesch_reading_ease - reference.flesch_reading_ease) <= 10.0


def test_from_counts_applies_the_published_formulas_and_rounds_to_one_decimal() -> None:
    """Scores equal the Flesch formulas evaluated on the counts, rounded to one decimal."""
    result = Readability.from_counts(words=100, sentences=5, syllables=150)
    assert result.flesch_kincaid_grade == round(0.39 * 20 + 11.8 * 1.5 - 15.59, 1) == 9.9
    assert result.flesch_reading_ease == round(206.835 - 1.015 * 20 - 84.6 * 1.5, 1) == 59.6


# --- Markdown stripping ----------------------------------------------------------------


def test_links_keep_their_text_and_drop_the_url() -> None:
    """Inline and reference links become their visible text, with no URL left."""
    plain = plain_text_from_markdown(
        'Read [our guide to scans](https://example.org/scans "Scans") or [this][1].\n\n'
        "[1]: https://example.org/other"
    )
    assert plain == "Read our guide to scans or this."


def test_emphasis_markers_are_removed() -> None:
    """Bold, italic and strikethrough markers disappear but their words stay."""
    plain = plain_text_from_markdown("This is **very** *important* and ~~not~~ __really__ _so_.")
    assert plain == "This is very important and not really so."


def test_citation_markers_are_removed_without_leaving_a_gap() -> None:
    """Citation markers such as [@3] and [@3; @4] are removed entirely."""
    plain = plain_text_from_markdown("Tamoxifen lowers the risk [@3]. It is a tablet [@4; @5].")
    assert plain == "Tamoxifen lowers the risk. It is a tablet."
    assert "@" not in plain


def test_list_items_and_headings_become_separate_sentences() -> None:
    """Unpunctuated headings and list items each get a full stop and count as sentences."""
    markdown = (
        "## Common side effects\n\n"
        "- Feeling tired\n"
        "- Hot flushes\n"
        "* Joint pain\n"
        "1. Call your nurse\n"
        "2. Rest when you can!\n"
    )
    plain = plain_text_from_markdown(markdown)
    assert plain.splitlines() == [
        "Common side effects.",
        "Feeling tired.",
        "Hot flushes.",
        "Joint pain.",
        "Call your nurse.",
        "Rest when you can!",
    ]
    assert analyse(markdown).sentences == 6


def test_code_blocks_inline_code_images_and_html_are_removed() -> None:
    """Code, images and HTML tags are not counted as prose."""
    markdown = (
        "Before the code.\n\n"
        "```python\nprint('This long sentence inside code must not count.')\n```\n\n"
        "Run `make test` now. ![A diagram of the breast](breast.png)\n\n"
        "<p>Some <strong>bold</strong> text.</p><!-- hidden note -->"
    )
    plain = plain_text_from_markdown(markdown)
    assert plain.splitlines() == ["Before the code.", "Run now.", "Some bold text."]
    assert analyse(markdown).words == 8


def test_tables_lose_their_pipes_and_each_row_is_a_sentence() -> None:
    """Table separators disappear and each row becomes one sentence of its cells."""
    markdown = "| Drug | Dose |\n|------|-----:|\n| Tamoxifen | 20 mg daily |\n"
    plain = plain_text_from_markdown(markdown)
    assert "|" not in plain
    assert "-" not in plain
    assert plain.splitlines() == ["Drug; Dose.", "Tamoxifen; 20 mg daily."]


def test_headings_blockquotes_and_escapes_are_cleaned() -> None:
    """Heading hashes and quote markers go, while escaped characters stay literal."""
    plain = plain_text_from_markdown("# What is cancer?\n\n> Ask your team.\n\nUse 2 \\* 3 tablets")
    assert plain.splitlines() == ["What is cancer?", "Ask your team.", "Use 2 * 3 tablets."]


# --- sentence splitting ----------------------------------------------------------------


def test_decimals_do_not_split_sentences() -> None:
    """A decimal point such as in "2.5 mg" is not a sentence boundary."""
    assert _sentences("Take 2.5 mg twice a day. Your dose may rise to 7.5 mg.") == 2


@pytest.mark.parametrize(
    "text",
    [
        "Eat soft foods, e.g. soup or yoghurt, when your mouth is sore.",
        "Some foods, i.e. those high in fibre, help with constipation.",
        "Dr. Patel will see you on Monday.",
        "Surgery vs. radiotherapy is a choice you make with your team.",
        "Bring your tablets, inhalers, creams etc. to every appointment.",
        "The study by J. K. Smith found this.",
    ],
)
def test_abbreviations_and_initials_do_not_split_sentences(text: str) -> None:
    """Common abbreviations (e.g., i.e., Dr., vs., etc.) and initials keep one sentence."""
    assert _sentences(text) == 1


def test_real_sentence_ends_are_still_found() -> None:
    """Question marks, exclamation marks, full stops and "etc." before a capital all split."""
    assert _sentences("Is it safe? Yes! Ask Dr. Jones. Bring pens, paper etc. Then rest.") == 5


# --- empty input -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n", "```\ncode only\n```", "![](image.png)"])
def test_empty_or_markup_only_text_scores_zero_without_raising(text: str) -> None:
    """Text with no readable words returns all zeros instead of dividing by zero."""
    result = analyse(text)
    assert result == Readability(0, 0, 0, 0.0, 0.0)
    assert not result.is_above(PATIENT_MAX_GRADE)


# --- result object and warning ---------------------------------------------------------


def test_readability_is_frozen_and_is_above_is_strict() -> None:
    """Readability is immutable and is_above compares strictly against the grade."""
    result = Readability(10, 1, 15, flesch_kincaid_grade=8.0, flesch_reading_ease=60.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.words = 11  # type: ignore[misc]
    assert not result.is_above(8)
    assert result.is_above(7.9)


def test_warning_for_patient_page_above_target_grade() -> None:
    """A patient page above grade 8 gets a warning that states its grade and the target."""
    result = Readability(120, 5, 200, flesch_kincaid_grade=11.2, flesch_reading_ease=45.0)
    assert PATIENT_MAX_GRADE == 8
    assert readability_warning(result, "patient") == (
        "Reading grade 11.2 is above the grade 8 target for patient pages: "
        "use shorter sentences and everyday words."
    )


def test_no_warning_at_or_below_target_or_for_other_audiences() -> None:
    """Patient pages at grade 8 or below, and professional pages at any grade, get no warning."""
    at_target = Readability(100, 6, 140, 8.0, 70.0)
    hard = analyse(DENSE_PROFESSIONAL_TEXT)
    assert readability_warning(at_target, "patient") is None
    assert readability_warning(analyse(SIMPLE_TEXT), "patient") is None
    assert readability_warning(hard, "professional") is None
    assert readability_warning(hard, "clinician") is None
    assert readability_warning(hard, "patient") is not None
