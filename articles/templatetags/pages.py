"""What the head of every public page needs, for templates: ``{% load pages %}``.

- ``{{ moment|iso_datetime }}``: a ``<time datetime>`` value to the second
  (``articles.structured_data.iso_datetime``).
- ``{{ number|grouped_number }}``: 1,234 / 1.234, as the active language groups digits.
- ``{{ code|content_language }}``: the active language as a content code (``en-gb`` → ``en``).
- ``{{ language|og_locale }}``: an article's language code as an Open Graph locale (``en_GB``).
- ``{% capture name %}…{% endcapture %}``: render a part of the template (blocks that child
  templates fill in included) once, and use it several times: the page title and description
  go into ``<title>``, the description meta tag and the Open Graph tags.
- ``{% feedback_fields form %}``: the feedback form's fields, the empty form rendered once per
  language and process.
- ``{% constant %}…{% endconstant %}``: a part of a template that depends on the language and
  the settings only (text, ``{% translate %}``, ``{% url %}`` and ``{% static %}`` with literal
  arguments), rendered once per language and process and then reused: the header, the
  navigation and the footer of ``base.html`` that every page repeats.
"""

import weakref
from html import escape as escape_text

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import FilterExpression, TextNode, Variable
from django.template.defaulttags import URLNode
from django.template.loader import render_to_string
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix
from django.utils import formats, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, to_locale

from articles.forms import FeedbackForm
from articles.structured_data import iso_datetime
from mbc_cms import languages

register = template.Library()


def html_value(value) -> str:
    """``conditional_escape(value)`` without its wrappers for lazy strings, which cost ~2 µs
    a call where a page makes dozens: markup marked safe as it is, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape_text(str(value))


def format_markup(format_string: str, *args, **kwargs) -> SafeString:
    """``format_html(format_string, *args, **kwargs)``, each value through ``html_value``."""
    return mark_safe(
        format_string.format(
            *map(html_value, args), **{name: html_value(v) for name, v in kwargs.items()}
        )
    )


register.filter("iso_datetime", iso_datetime)


@register.filter
def grouped_number(value) -> str:
    """A whole number with the active language's digit grouping: 1,234 in English, 1.234 in
    Spanish."""
    return formats.number_format(value, force_grouping=True)


@register.filter
def content_language(code: str) -> str:
    """An active language code as the content code of ``<html lang>``: ``en-gb`` → ``en``."""
    return languages.site_language(languages.content_code(code))


@register.filter
def og_locale(language: str) -> str:
    """``en`` → ``en_GB`` (the site's own territory for its own language), ``es-mx`` →
    ``es_MX``; another bare language stays a bare language (``fr``)."""
    site = to_locale(settings.LANGUAGE_CODE)
    code = to_locale(str(language or settings.LANGUAGE_CODE).strip())
    if "_" not in code and code.lower() == site.split("_")[0].lower():
        return site
    return code


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> str:
        # What the nodes render is already escaped: kept as it is, with its whitespace
        # folded, and never escaped twice.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser: template.base.Parser, token: template.base.Token) -> CaptureNode:
    """``{% capture name %}…{% endcapture %}`` sets ``name`` in the context to what the
    enclosed template renders (blocks included), and outputs nothing."""
    bits = token.split_contents()
    if len(bits) != 2 or not bits[1].isidentifier():
        raise template.TemplateSyntaxError("Usage: {% capture name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


PAGE_LINKS = (
    '<link rel="canonical" href="{url}">\n'
    '  <meta property="og:site_name" content="MBC Info">\n'
    '  <meta property="og:type" content="{type}">\n'
    '  <meta property="og:title" content="{title}">\n'
    '  <meta property="og:description" content="{description}">\n'
    '  <meta property="og:url" content="{url}">\n'
    '  <meta property="og:locale" content="{locale}">'
)
ALTERNATE = '<link rel="alternate" hreflang="{}" href="{}">\n  '


@register.simple_tag
def head_links(canonical_url, title, description, language, og_type, page_languages) -> str:
    """The head's links of a page with a canonical address: the address, its Open Graph
    tags and its ``hreflang`` alternates (``articles.page_languages``; the default language's
    version is also ``x-default``). Every page has them, and written here they cost a page a
    fifth of what the template's conditions, loop and dozen variables did."""
    html = (
        PAGE_LINKS.format(
            url=html_value(canonical_url),
            type=html_value(og_type),
            title=html_value(title),
            description=html_value(description),
            locale=html_value(og_locale(language)),
        )
        if canonical_url
        else ""
    )
    alternates = [
        ALTERNATE.format(html_value(alternate.code), html_value(alternate.url))
        for alternate in (page_languages.alternates if page_languages else [])
    ]
    x_default = page_languages.x_default if page_languages else None
    if x_default:
        alternates.append(ALTERNATE.format("x-default", html_value(x_default)))
    return mark_safe("".join([html, "\n  ", *alternates]))


SWITCHER_LINK = '<li><a href="{}" lang="{}" hreflang="{}"{}>{}</a></li>'


@register.simple_tag
def language_switcher(page_languages) -> str:
    """The header's links to the page in the site's other languages (or to their home page
    when the article has no version in them: ``articles.page_languages``)."""
    others = page_languages.others if page_languages else []
    if not others:
        return ""
    links = "".join(
        [
            SWITCHER_LINK.format(
                html_value(language.url),
                html_value(language.code),
                html_value(language.code),
                ' rel="alternate"' if language.counterpart else "",
                html_value(language.label),
            )
            for language in others
        ]
    )
    return mark_safe(
        f'<nav class="language-switcher" aria-label="{html_value(gettext("Language"))}">'
        f'\n        <ul class="nav-list">{links}</ul>\n      </nav>'
    )


# The empty feedback form of each language, rendered once per process: every article page
# shows it, and building and rendering its four fields was ~8% of an article page's miss.
_empty_feedback_fields: dict[str, str] = {}


@register.simple_tag
def feedback_fields(form=None) -> str:
    """The fields of the feedback form (``articles/_feedback_fields.html``). The empty form
    (``form`` None or unbound) is the same markup on every page of a language, so it is
    built and rendered once and reused; a bound one (errors shown) is rendered each time."""
    if form is not None and form.is_bound:
        return render_to_string("articles/_feedback_fields.html", {"feedback_form": form})
    language = translation.get_language()
    html = _empty_feedback_fields.get(language)
    if html is None:
        context = {"feedback_form": form or FeedbackForm()}
        html = render_to_string("articles/_feedback_fields.html", context)
        _empty_feedback_fields[language] = html
    return html


def _literal(expression: FilterExpression | None) -> bool:
    """Whether ``expression`` is a quoted string or a number, with no filter: its value does
    not depend on the context."""
    if expression is None:
        return True
    var = expression.var
    return not expression.filters and (not isinstance(var, Variable) or var.lookups is None)


def _is_constant(node: template.Node) -> bool:
    """Whether ``node`` renders the same for every page of a language: plain text, or a
    translation, address or static file URL of literals that sets no variable."""
    if isinstance(node, TextNode):
        return True
    if isinstance(node, TranslateNode):
        return (
            node.asvar is None
            and _literal(node.filter_expression)
            and _literal(node.message_context)
        )
    if isinstance(node, URLNode):
        return (
            node.asvar is None
            and _literal(node.view_name)
            and all(_literal(arg) for arg in node.args)
            and all(_literal(arg) for arg in node.kwargs.values())
        )
    if isinstance(node, StaticNode):
        return node.varname is None and _literal(node.path)
    return False


# Every constant chunk parsed in this process, so that a change of settings (a test's
# override_settings of STATIC_URL, ROOT_URLCONF, LANGUAGES…) forgets what they rendered.
_constant_nodes: "weakref.WeakSet[ConstantNode]" = weakref.WeakSet()


class ConstantNode(template.Node):
    """Renders its nodes once per language, script prefix and autoescape mode, and then
    returns the same string. Its addresses are reversed without a ``current_app``: the
    reader pages' namespaces have one instance each, so the request cannot change them."""

    # Nothing inside is a block (``constant`` refuses them), so ``{% extends %}``, which
    # looks for blocks through every node list of the parent on each render, need not look.
    child_nodelists = ()

    def __init__(self, nodelist: template.NodeList, shares_key: bool = True) -> None:
        self.nodelist = nodelist
        self.shares_key = shares_key
        self.rendered: dict[tuple[str | None, str, bool], str] = {}
        _constant_nodes.add(self)

    def render(self, context: template.Context) -> str:
        # The language, script prefix and autoescape mode are asked for once per render of
        # the template, not by each of its chunks: each question costs a lookup in
        # asgiref's context-local storage (a lock and a context variable), and eight chunks
        # asking twice each cost an article page missing from the cache 3% of its time.
        # A chunk inside ``{% language %}`` or ``{% autoescape %}``, which change them
        # part-way through a template, asks for itself (``shares_key``).
        state = context.render_context
        key = state.get(_RENDER_KEY) if self.shares_key else None
        if key is None:
            key = (translation.get_language(), get_script_prefix(), context.autoescape)
            if self.shares_key:
                state[_RENDER_KEY] = key
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = self.nodelist.render(context)
        return html


# Where a template's render keeps its chunks' key (``ConstantNode.render``): the render
# context is the template's own (an ``{% include %}``d template has another).
_RENDER_KEY = object()
# Tags inside which the language or the autoescape mode differ from the template's.
_SWITCHING_TAGS = frozenset({"language", "autoescape"})


@register.tag
def constant(parser: template.base.Parser, token: template.base.Token) -> ConstantNode:
    """``{% constant %}…{% endconstant %}``: see the module's docstring. Anything inside that
    could depend on the page (a variable, a block, a tag that is not a translation, address
    or static URL of literals) is refused when the template is parsed, so a page can never
    show another page's value."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("Usage: {% constant %}…{% endconstant %}")
    # The tags open around this one while the template is parsed.
    inside = {command for command, _ in parser.command_stack}
    nodelist = parser.parse(("endconstant",))
    parser.delete_first_token()
    for node in nodelist:
        if not _is_constant(node):
            raise template.TemplateSyntaxError(
                f"{{% constant %}} can hold only text, and {{% translate %}}, {{% url %}} and "
                f"{{% static %}} of literals: not {node!r}."
            )
    return ConstantNode(nodelist, shares_key=not inside & _SWITCHING_TAGS)


@receiver(setting_changed)
def _forget_constants(**kwargs) -> None:
    """A chunk's addresses, static URLs and translations come from the settings."""
    for node in list(_constant_nodes):
        node.rendered.clear()
