"""Markdown rendering: sanitised HTML, a table of contents and citation links."""

from articles.rendering import render_markdown


def test_headings_build_table_of_contents():
    """Level-2 and level-3 headings get ids and appear in the table of contents."""
    rendered = render_markdown("## Symptoms\n\ntext\n\n### Pain\n\nmore\n\n## Treatment\n\nx")
    assert [entry["name"] for entry in rendered.toc] == ["Symptoms", "Pain", "Treatment"]
    assert '<h2 id="symptoms">Symptoms</h2>' in rendered.html


def test_level_one_heading_demoted():
    """The page title is the only h1, so a # heading in the body becomes h2."""
    assert "<h1" not in render_markdown("# Title in body").html


def test_citation_markers_link_to_references():
    """[@N] becomes a superscript link to reference N; out-of-range markers stay text."""
    rendered = render_markdown("Pain is common [@1]. Also [@1] and [@7].", reference_count=2)
    assert rendered.html.count('href="#ref-1"') == 2
    assert "[@7]" in rendered.html
    assert rendered.cited == (1,)


def test_script_and_event_handlers_removed():
    """Raw HTML, scripts, event handlers and javascript: links do not survive."""
    html = render_markdown(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1)) <a href='javascript:alert(1)'>x</a>"
    ).html
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html.lower()
