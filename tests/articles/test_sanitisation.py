"""Nothing executable survives rendering: known XSS vectors and generated Markdown."""

import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.rendering import render_markdown, sanitise_html
from articles.structured_data import to_json_ld
from reviews import workflow

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<IMG SRC=javascript:alert('XSS')>",
    '<img src="jav&#x09;ascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "[click](&#106;avascript:alert(1))",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    "<p style=\"background:url('javascript:alert(1)')\">x</p>",
    '<div style="width: expression(alert(1))">x</div>',
    "<style>body{background:red}</style>",
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<form action="https://evil.example"><input name=x></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    "<body onload=alert(1)>",
    '<details open ontoggle="alert(1)">',
    '<video><source onerror="alert(1)"></video>',
    "<!--<script>alert(1)</script>-->",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    '<h2 id="x" onclick="alert(1)">Heading</h2>',
    "[@1]<script>alert(1)</script>",
]

DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "input",
    "img",
    "video",
    "audio",
    "source",
    "body",
    "details",
    "frame",
    "applet",
}
SAFE_URL_START = ("http://", "https://", "mailto:", "#", "/")
# A URL has a scheme when it starts with a letter, then letters, digits, "+", "-" or ".", then
# ":" (the URL standard's scheme state, after browsers strip whitespace and control
# characters): ":" or "1:x" are relative paths, which no browser runs.
URL_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:")


class ActiveContentFinder(HTMLParser):
    """Parses markup as a browser would and lists whatever could run or load active content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.problems.append(f"{tag}[{name}]")
            if name in {"href", "src", "action", "xlink:href"} and value is not None:
                url = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if URL_SCHEME.match(url) and not url.startswith(SAFE_URL_START):
                    self.problems.append(f"{tag}[{name}={value!r}]")


def executable_parts(markup: str) -> list[str]:
    """Everything in ``markup`` a browser could execute or that could load active content."""
    finder = ActiveContentFinder()
    finder.feed(markup)
    finder.close()
    return finder.problems


@pytest.mark.parametrize(
    ("href", "runs"),
    [(":", False), ("1:x", False), ("/a:b", False), ("javascript:x", True), ("java+s:x", True)],
)
def test_the_finder_knows_a_scheme_from_a_relative_path(href, runs):
    """Found by Hypothesis: ``[](:)`` renders ``<a href=":">``, a relative link (no browser
    reads a scheme that does not start with a letter); the finder must not call it active,
    and must still flag every real scheme that is not a safe one."""
    assert bool(executable_parts(f'<a href="{href}">x</a>')) is runs


def test_an_empty_scheme_link_renders_as_a_relative_link():
    assert not executable_parts(render_markdown("[](:)", 1).html)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_known_vectors_are_neutralised(vector):
    """Each known XSS vector renders to HTML with nothing executable in it."""
    markup = render_markdown(f"Text before.\n\n{vector}\n\nText after [@1].", 1).html
    assert not executable_parts(markup), markup


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_sanitiser_alone_neutralises_raw_html(vector):
    """The sanitiser is safe on raw HTML too, not only on Markdown output."""
    assert not executable_parts(sanitise_html(vector))


MARKDOWN_PIECES = st.sampled_from(
    [
        "# ",
        "## ",
        "- ",
        "1. ",
        "> ",
        "**",
        "_",
        "`",
        "```",
        "[",
        "](",
        ")",
        "![",
        "<",
        ">",
        '"',
        "'",
        "=",
        "&",
        "#",
        ";",
        ":",
        "/",
        "\n",
        "\n\n",
        " ",
        "javascript",
        "JaVaScRiPt",
        "data",
        "vbscript",
        "script",
        "img",
        "svg",
        "iframe",
        "onerror",
        "onload",
        "style",
        "href",
        "src",
        "alert(1)",
        "&#106;",
        "&#x6A;",
        "\t",
        "[@1]",
        "|",
        "---",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MARKDOWN_PIECES, st.text(max_size=8)), max_size=60).map("".join))
def test_generated_markdown_never_yields_executable_html(text):
    """Markdown assembled from attack fragments never renders anything executable."""
    assert not executable_parts(render_markdown(text, 1).html)


@pytest.mark.django_db
def test_published_page_and_api_carry_no_script(
    client, make_article, writer, reviewer, editor, monkeypatch
):
    """Through the whole pipeline, the public page and the API body hold no injected script.

    The quality gate refuses links that are not https at submit; the sanitiser must hold on
    its own too, so the gate is then switched off to publish the attack."""
    body = "\n\n".join(["## Safe heading", *XSS_VECTORS, "End [@1]."])
    article = make_article(writer, title="Injection attempt", body=body)
    with pytest.raises(workflow.InvalidInput, match="must use https") as refused:
        workflow.submit(article=article, user=writer)
    assert refused.value.field == "body"
    monkeypatch.setattr("reviews.quality.problems", lambda article: [])
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    workflow.publish(article=article, user=editor)
    page = client.get(f"/articles/{article.slug}/").text
    article_body = page.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]
    assert not executable_parts(article_body)
    assert page.count("<script") == 1  # the JSON-LD block, and nothing else
    api_html = client.get(f"/api/v1/articles/{article.slug}/").json()["body_html"]
    assert not executable_parts(api_html)


@pytest.mark.parametrize(
    "markup",
    [
        "<script>x</script>",
        '<a href="JaVa&#x53;cript:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<p onclick="x">y</p>',
        '<p style="color:red">y</p>',
        '<a href="data:text/html,x">x</a>',
    ],
)
def test_detector_catches_active_content(markup):
    """The checker used above does flag raw active content (so the tests can fail)."""
    assert executable_parts(markup)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_json_ld_text_can_neither_close_its_script_nor_change(text):
    """Any writer text in the structured data (titles, references, a reviewer's disclosure)
    is written with no "<", ">" or "&" that could end the script block, and reads back as
    the same text."""
    encoded = to_json_ld({"name": text, "citation": [{"name": f"</script>{text}&amp;"}]})
    assert not {"<", ">", "&"} & set(encoded)
    assert json.loads(encoded) == {"name": text, "citation": [{"name": f"</script>{text}&amp;"}]}
