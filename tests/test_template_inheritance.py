"""``{% extends %}`` worked out when a template is compiled (``mbc_cms.template_loaders``):
every page must render exactly as Django's own inheritance renders it."""

import pytest
from django.template import Context, Engine, engines
from django.template.loader_tags import ExtendsNode

TEMPLATES = {
    "base": "<{% block a %}A{% block b %}B{% endblock %}{% endblock %}|{% block c %}C{% endblock %}"
    "{% if flag %}{% block d %}D{% endblock %}{% endif %}|{{ value }}>",
    # Overrides a nested block and a top one; a block the parent lacks is never shown.
    "child": "{% extends 'base' %}{% block b %}b{{ value }}{% endblock %}"
    "{% block c %}c{% endblock %}{% block unused %}X{% endblock %}",
    "grandchild": "{% extends 'child' %}{% block b %}gb{% endblock %}",
    # Replaces a block of its parent with one holding a new block, which its child fills.
    "outer": "{% extends 'base' %}{% block a %}[{% block inner %}i{% endblock %}]{% endblock %}",
    "inner": "{% extends 'outer' %}{% block inner %}I{% endblock %}",
    # Left to Django: block.super, and a block inside {% if %}.
    "super": "{% extends 'child' %}{% block c %}({{ block.super }}){% endblock %}",
    "conditional": "{% extends 'base' %}{% block d %}d{% endblock %}",
    # A variable set inside a block is not seen after it.
    "scoped": "{% extends 'base' %}{% block c %}{% firstof 'set' as value %}{{ value }}"
    "{% endblock %}",
    "leading": "  {% extends 'base' %}{% block a %}a{% endblock %}",
    "by_variable": "{% extends parent %}{% block a %}v{% endblock %}",
}

INLINED = ["child", "grandchild", "outer", "inner", "scoped", "leading"]
LEFT_TO_DJANGO = ["super", "conditional", "by_variable"]


def _engine(loader: str | None) -> Engine:
    locmem = ("django.template.loaders.locmem.Loader", TEMPLATES)
    loaders = [(loader, [locmem])] if loader else [locmem]
    return Engine(loaders=loaders)


@pytest.mark.parametrize("name", INLINED + LEFT_TO_DJANGO)
@pytest.mark.parametrize("flag", [False, True])
def test_renders_as_django_inheritance_does(name, flag):
    context = {"value": "v", "flag": flag, "parent": "base"}
    expected = _engine(None).get_template(name).render(Context(context))
    engine = _engine("mbc_cms.template_loaders.Loader")
    template = engine.get_template(name)
    # Twice: the second render reuses what the first compiled.
    assert template.render(Context(context)) == expected
    assert engine.get_template(name).render(Context(context)) == expected


def test_only_literal_parents_without_block_variables_are_inlined():
    engine = _engine("mbc_cms.template_loaders.Loader")

    def extends(name):
        return any(isinstance(node, ExtendsNode) for node in engine.get_template(name).nodelist)

    assert not any(extends(name) for name in INLINED)
    assert all(extends(name) for name in LEFT_TO_DJANGO)


def test_a_missing_parent_is_reported_when_the_page_renders():
    engine = Engine(
        loaders=[
            (
                "mbc_cms.template_loaders.Loader",
                [("django.template.loaders.locmem.Loader", {"orphan": "{% extends 'gone' %}"})],
            )
        ]
    )
    template = engine.get_template("orphan")
    with pytest.raises(Exception, match="gone"):
        template.render(Context())


@pytest.mark.parametrize(
    "name", ["articles/article_detail.html", "articles/home.html", "articles/topic_detail.html"]
)
def test_the_reader_pages_are_inlined(name):
    template = engines["django"].get_template(name).template
    assert not any(isinstance(node, ExtendsNode) for node in template.nodelist)
