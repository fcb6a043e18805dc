"""The diff of two texts rendered for people (word-level HTML) and for tools (unified diff)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from .segments import segments
from .tokens import has_digit, normalize_newlines


def _mark_number(token: str) -> SafeString | str:
    # Plain strings are escaped later by format_html_join.
    if has_digit(token):
        return format_html('<mark class="diff-num">{}</mark>', token)
    return token


def _render_run(element: str, css_class: str, tokens: Sequence[str]) -> SafeString:
    """Wrap changed tokens in ``<del>``/``<ins>``, marking each numeric token.

    The run gets ``diff-num`` so styling/counting can target it, and each
    numeric token its own ``<mark class="diff-num">`` so the reviewer's eye
    lands on the exact number, not just the sentence around it.
    """
    classes = [css_class]
    if any(has_digit(token) for token in tokens):
        classes.append("diff-num")
    if all(token.isspace() for token in tokens):
        # Otherwise a whitespace-only change is an invisible highlight.
        classes.append("diff-ws")
    inner = format_html_join("", "{}", ((_mark_number(token),) for token in tokens))
    # ``element`` is one of two literals chosen below, never writer input.
    return format_html('<{} class="{}">{}</{}>', element, " ".join(classes), inner, element)


def diff_text_html(old: str, new: str) -> SafeString:
    """Return a word-level HTML diff of ``old`` -> ``new``.

    Removed text is wrapped in ``<del class="diff-del">`` and added text in
    ``<ins class="diff-ins">``; runs containing a number also get class
    ``diff-num`` and each numeric token a ``<mark class="diff-num">``.
    Whitespace and newlines are kept, so display the result inside an element
    styled ``white-space: pre-wrap``. All writer text is HTML-escaped.
    """
    if old == new:
        return escape(old)

    pieces: list[SafeString | str] = []
    for segment in segments(old, new):
        if segment.tag == "equal":
            pieces.extend(segment.old)
            continue
        if segment.old:
            pieces.append(_render_run("del", "diff-del", segment.old))
        if segment.new:
            pieces.append(_render_run("ins", "diff-ins", segment.new))
    # format_html_join escapes plain strings and keeps the already-built
    # SafeString runs, so no text can reach the page unescaped.
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def diff_text_unified(old: str, new: str, from_label: str, to_label: str, context: int = 3) -> str:
    """Return a line-based unified diff (``---``/``+++``/``@@`` format) as text.

    Empty when the texts have the same lines. Meant for API consumers and
    tooling rather than for people, who get :func:`diff_text_html`.
    """
    lines = difflib.unified_diff(
        normalize_newlines(old).splitlines(),
        normalize_newlines(new).splitlines(),
        fromfile=from_label,
        tofile=to_label,
        n=context,
        lineterm="",
    )
    text = "\n".join(lines)
    return f"{text}\n" if text else ""
