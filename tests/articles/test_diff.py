"""Tests for articles.diff: readable version comparison for clinical review.

Pure functions only: no database and no Django settings are needed, because
the module uses nothing but Django's HTML escaping helpers.
"""

import html
import re

import pytest

from articles.diff import (
    FieldChange,
    changed_number_pairs,
    changed_numbers,
    compare_dicts,
    diff_text_html,
    diff_text_unified,
    numeric_tokens,
)

DEL_RE = re.compile(r"<del [^>]*>(.*?)</del>", re.DOTALL)
INS_RE = re.compile(r"<ins [^>]*>(.*?)</ins>", re.DOTALL)


def _side(markup: str, keep: str) -> str:
    """Rebuild one side of the diff: drop the other side's runs and all tags."""
    drop = "ins" if keep == "old" else "del"
    text = re.sub(rf"<{drop} [^>]*>.*?</{drop}>", "", markup, flags=re.DOTALL)
    return html.unescape(re.sub(r"</?(?:ins|del|mark)\b[^>]*>", "", text))


def test_identical_text_has_no_markup() -> None:
    """Identical texts come back unchanged, without any ins/del/mark element."""
    text = "Metastatic breast cancer.\n\nTreatment is ongoing."
    result = diff_text_html(text, text)
    assert result == text
    assert "<" not in result


def test_identical_text_is_still_escaped() -> None:
    """Identical texts are HTML-escaped too."""
    assert diff_text_html("a < b & c", "a < b & c") == "a &lt; b &amp; c"


def test_changed_word_yields_one_del_and_one_ins() -> None:
    """Changing one word gives exactly one del and one ins around that word only."""
    result = diff_text_html("The tumour shrank quickly.", "The tumour shrank slowly.")
    assert DEL_RE.findall(result) == ["quickly"]
    assert INS_RE.findall(result) == ["slowly"]
    assert 'class="diff-del"' in result
    assert 'class="diff-ins"' in result
    assert "diff-num" not in result


def test_adjacent_changed_words_form_one_run() -> None:
    """Several changed words separated only by spaces form one del and one ins run."""
    result = diff_text_html("a quick brown fox", "a slow red fox")
    assert DEL_RE.findall(result) == ["quick brown"]
    assert INS_RE.findall(result) == ["slow red"]


def test_changed_dose_is_marked_as_number() -> None:
    """A dose change "75 mg" -> "100 mg" is flagged diff-num and keeps its unit."""
    result = diff_text_html("Give 75 mg daily.", "Give 100 mg daily.")
    assert '<del class="diff-del diff-num"><mark class="diff-num">75 mg</mark></del>' in result
    assert '<ins class="diff-ins diff-num"><mark class="diff-num">100 mg</mark></ins>' in result
    assert changed_numbers("Give 75 mg daily.", "Give 100 mg daily.") == (["75 mg"], ["100 mg"])


def test_changed_percentage_is_marked_and_reported() -> None:
    """A percentage change "26%" -> "30%" is flagged diff-num and reported by changed_numbers."""
    old = "About 26% of patients responded."
    new = "About 30% of patients responded."
    result = diff_text_html(old, new)
    assert '<mark class="diff-num">26%</mark>' in result
    assert '<mark class="diff-num">30%</mark>' in result
    assert changed_numbers(old, new) == (["26%"], ["30%"])


def test_changed_number_pairs_for_summary_line() -> None:
    """changed_number_pairs pairs each old number with its replacement, in order."""
    old = "Give 75 mg every 3 weeks; 26% responded."
    new = "Give 100 mg every 2 weeks; 30% responded."
    pairs = changed_number_pairs(old, new)
    assert pairs == [("75 mg", "100 mg"), ("3 weeks", "2 weeks"), ("26%", "30%")]
    summary = ", ".join(f"{before} → {after}" for before, after in pairs)
    assert summary == "75 mg → 100 mg, 3 weeks → 2 weeks, 26% → 30%"


def test_added_number_is_paired_with_empty_string() -> None:
    """A number that was only added is reported with an empty old side."""
    assert changed_number_pairs("Rest.", "Rest for 2 days.") == [("", "2 days")]
    assert changed_numbers("Rest.", "Rest for 2 days.") == ([], ["2 days"])


def test_unchanged_numbers_are_not_reported() -> None:
    """Numbers outside changed runs are not reported or marked."""
    old = "In 2019, 75 mg was the standard dose."
    new = "In 2019, 75 mg was the usual dose."
    assert changed_numbers(old, new) == ([], [])
    assert "diff-num" not in diff_text_html(old, new)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Take 2.5 mg", ["2.5 mg"]),
        ("Take 2.5mg", ["2.5mg"]),
        ("1,000 patients", ["1,000"]),
        ("26% responded", ["26%"]),
        ("grade 10-15 range", ["10-15"]),
        ("every 3 weeks", ["3 weeks"]),
        ("published in 2019.", ["2019"]),
        ("HER2-positive disease", ["HER2"]),
        ("no numbers here", []),
    ],
)
def test_numeric_tokens_keep_numbers_whole(text: str, expected: list[str]) -> None:
    """Decimals, thousands, percentages, ranges and units are single numeric tokens."""
    assert numeric_tokens(text) == expected


def test_decimal_change_stays_one_token() -> None:
    """Changing "2.5" to "2.0" shows the whole decimal as changed, not just one digit."""
    result = diff_text_html("Take 2.5 tablets", "Take 2.0 tablets")
    assert DEL_RE.findall(result) == ['<mark class="diff-num">2.5</mark>']
    assert INS_RE.findall(result) == ['<mark class="diff-num">2.0</mark>']


def test_added_paragraph_is_one_insertion() -> None:
    """A paragraph appended after the last one is one ins; the old last line stays unmarked."""
    old = "First paragraph.\n\nSecond paragraph."
    new = "First paragraph.\n\nSecond paragraph.\n\nNew third paragraph."
    result = diff_text_html(old, new)
    assert DEL_RE.findall(result) == []
    assert INS_RE.findall(result) == ["\n\nNew third paragraph."]
    assert result.startswith("First paragraph.\n\nSecond paragraph.<ins")


def test_moved_paragraph_is_deleted_and_inserted_whole() -> None:
    """A moved paragraph appears whole in one del and one ins; untouched paragraphs stay plain."""
    old = "Alpha text here.\n\nBeta text here.\n\nGamma text here."
    new = "Beta text here.\n\nAlpha text here.\n\nGamma text here."
    result = diff_text_html(old, new)
    deleted = "".join(DEL_RE.findall(result))
    inserted = "".join(INS_RE.findall(result))
    assert deleted.strip() == inserted.strip()
    assert deleted.strip() in {"Alpha text here.", "Beta text here."}
    assert "Gamma" not in deleted + inserted
    assert _side(result, "old") == old
    assert _side(result, "new") == new


def test_html_in_input_is_escaped() -> None:
    """Writer HTML is escaped everywhere, including inside del and ins runs."""
    old = "Intro <b>gone</b>. Middle & end."
    new = "Intro. Middle & end <script>alert('x')</script>."
    result = diff_text_html(old, new)
    assert "<script>" not in result
    assert "<b>" not in result
    assert DEL_RE.findall(result) == [" &lt;b&gt;gone&lt;/b&gt;"]
    assert INS_RE.findall(result) == [" &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"]
    assert "Middle &amp; end" in result
    tags = set(re.findall(r"</?([a-z]+)", result))
    assert tags <= {"del", "ins", "mark"}


def test_html_escaped_inside_number_mark() -> None:
    """Escaping also applies to text next to numbers inside marked runs."""
    result = diff_text_html("<i>5 mg</i>", "<i>10 mg</i>")
    assert "<i>" not in result
    assert '<mark class="diff-num">10 mg</mark>' in result


def test_whitespace_and_newlines_preserved() -> None:
    """Both sides of the diff rebuild exactly, keeping spaces, blank lines and newlines."""
    old = "Line one\n\n  Indented line two\nLine three ends."
    new = "Line one\n\n  Indented line 2\nLine three ends here."
    result = diff_text_html(old, new)
    assert "\n\n  Indented line " in result
    assert _side(result, "old") == old
    assert _side(result, "new") == new


def test_whitespace_only_change_is_visible() -> None:
    """A whitespace-only change is marked diff-ws so a stylesheet can make it visible."""
    result = diff_text_html("end.", "end.\n")
    assert INS_RE.findall(result) == ["\n"]
    assert "diff-ws" in result


def test_line_ending_style_is_not_a_change() -> None:
    """CRLF versus LF line endings produce no ins/del."""
    result = diff_text_html("One.\r\nTwo.", "One.\nTwo.")
    assert "<" not in result
    assert diff_text_unified("One.\r\nTwo.", "One.\nTwo.", "v1", "v2") == ""


def test_unified_diff_has_labels_and_changed_lines() -> None:
    """The unified diff names both versions and shows -old/+new lines with context."""
    old = "Intro.\nDose: 75 mg.\nOutro."
    new = "Intro.\nDose: 100 mg.\nOutro."
    result = diff_text_unified(old, new, "version 3", "version 4")
    lines = result.splitlines()
    assert lines[0] == "--- version 3"
    assert lines[1] == "+++ version 4"
    assert lines[2].startswith("@@")
    assert "-Dose: 75 mg." in lines
    assert "+Dose: 100 mg." in lines
    assert " Intro." in lines
    assert result.endswith("\n")


def test_unified_diff_of_identical_text_is_empty() -> None:
    """Identical texts give an empty unified diff."""
    assert diff_text_unified("Same.\nText.", "Same.\nText.", "a", "b") == ""


def test_compare_dicts_lists_and_none() -> None:
    """compare_dicts normalises None and lists and returns one change per field, in order."""
    old = {"title": "MBC basics", "summary": None, "topics": ["HER2", "Staging"], "version": 3}
    new = {"title": "MBC basics", "summary": "New summary", "topics": ["HER2", "Treatment"]}
    fields = [("topics", "Topics"), ("title", "Title"), ("summary", "Summary"), ("version", "V")]
    changes = compare_dicts(old, new, fields)

    assert [change.name for change in changes] == ["topics", "title", "summary", "version"]
    topics, title, summary, version = changes
    assert topics == FieldChange("topics", "Topics", "HER2\nStaging", "HER2\nTreatment", True)
    assert not title.changed
    assert title.html == "MBC basics"
    assert summary.old == ""
    assert summary.changed
    assert INS_RE.findall(summary.html) == ["New summary"]
    assert (version.old, version.new, version.changed) == ("3", "", True)
    assert version.numbers_changed == [("3", "")]


def test_compare_dicts_does_not_sort_lists() -> None:
    """List order is the caller's: reordering items counts as a change."""
    (change,) = compare_dicts({"refs": ["B", "A"]}, {"refs": ["A", "B"]}, [("refs", "Refs")])
    assert change.old == "B\nA"
    assert change.changed


def test_field_change_numbers_changed() -> None:
    """FieldChange.numbers_changed lists (old, new) numeric tokens of the field."""
    (change,) = compare_dicts(
        {"body": "Give 75 mg every 3 weeks."},
        {"body": "Give 100 mg every 3 weeks."},
        [("body", "Body")],
    )
    assert change.numbers_changed == [("75 mg", "100 mg")]
    assert "diff-num" in change.html


def test_compare_dicts_rejects_sets() -> None:
    """Sets are refused because their arbitrary order would show fake changes."""
    with pytest.raises(TypeError):
        compare_dicts({"topics": {"a", "b"}}, {"topics": ["a"]}, [("topics", "Topics")])


def test_long_rewritten_paragraph_rebuilds_both_sides() -> None:
    """A long single-paragraph rewrite still produces a diff that rebuilds both texts."""
    sentences = [f"Sentence {i} mentions 75 mg and {i}% of patients." for i in range(400)]
    old = " ".join(sentences)
    new = " ".join(s.replace("75 mg", "100 mg") if i % 3 else s for i, s in enumerate(sentences))
    result = diff_text_html(old, new)
    assert _side(result, "old") == old
    assert _side(result, "new") == new
    removed, added = changed_numbers(old, new)
    assert set(removed) == {"75 mg"}
    assert set(added) == {"100 mg"}
