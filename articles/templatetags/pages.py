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
"""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.safestring import mark_safe
from django.utils.translation import to_locale

from articles.structured_data import iso_datetime
from mbc_cms import languages

register = template.Library()

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


# The empty feedback form of each language, rendered once per process: every article page
# shows it, and building and rendering its four fields was ~8% of an article page's miss.
_empty_feedback_fields: dict[str, str] = {}


@register.simple_tag
def feedback_fields(form) -> str:
    """The fields of the feedback form (``articles/_feedback_fields.html``). An unbound form
    is the same markup on every page of a language, so it is rendered once and reused; a
    bound one (errors shown) is rendered each time."""
    if form.is_bound:
        return render_to_string("articles/_feedback_fields.html", {"feedback_form": form})
    language = translation.get_language()
    html = _empty_feedback_fields.get(language)
    if html is None:
        html = render_to_string("articles/_feedback_fields.html", {"feedback_form": form})
        _empty_feedback_fields[language] = html
    return html
