"""Cheaper renders of what every page repeats must give the same bytes: ``{% constant %}``
(parts of a template rendered once per language and process, which follow the settings), the
article cards and the addresses built from patterns (``articles/templatetags/cards.py``)."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.template import TemplateSyntaxError, engines
from django.test import Client, RequestFactory, override_settings
from django.urls import NoReverseMatch

from articles import caching, public
from articles.models import ClinicalTrial, PublishedArticle, Topic
from articles.templatetags import cards
from articles.templatetags.pages import ConstantNode
from mbc_cms import languages
from tests import demo_data

CONSTANT_TAGS = re.compile(r"{% (end)?constant %}")
STATIC_CHUNK = "{% load pages static %}{% constant %}{% static 'site.css' %}{% endconstant %}"


def from_string(text: str):
    return engines["django"].from_string(text)


def base_template_text() -> str:
    return (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()


def render_in(code: str, template, **context) -> str:
    request = RequestFactory().get(languages.path_in(code, "/"))
    with languages.override(code):
        return template.render({"query": "", **context}, request)


@pytest.mark.parametrize("code", ["en", "es"])
def test_base_template_renders_the_same_bytes_as_without_constant_chunks(code):
    """base.html gives, twice over, exactly what it gives with the constant tags taken out."""
    text = base_template_text()
    assert "{% constant %}" in text
    plain = from_string(CONSTANT_TAGS.sub("", text))
    chunked = from_string(text)
    context = {"query": 'bone "pain" <b>', "canonical_url": "http://testserver/"}
    expected = render_in(code, plain, **context)
    assert render_in(code, chunked, **context) == expected
    assert render_in(code, chunked, **context) == expected
    assert render_in(code, chunked, **{**context, "query": "other"}) == render_in(
        code, plain, **{**context, "query": "other"}
    )


def test_each_language_gets_its_own_chunk():
    """A chunk rendered in English is not reused for a Spanish page, or the reverse."""
    template = from_string(
        "{% load i18n pages %}{% constant %}{% translate 'Search' %} "
        "{% url 'articles:trials' %}{% endconstant %}"
    )
    assert render_in("en", template) == "Search /trials/"
    assert render_in("es", template) == "Buscar /es/trials/"
    assert render_in("en", template) == "Search /trials/"


def test_a_chunk_inside_a_language_or_autoescape_tag_follows_it():
    """The chunks of one template share the language and autoescape mode they are rendered
    in, except inside the tags that change them part-way through."""
    template = from_string(
        "{% load i18n pages %}{% constant %}{% translate 'Search' %}{% endconstant %} "
        "{% language other %}{% constant %}{% translate 'Search' %}{% endconstant %}"
        "{% endlanguage %} {% constant %}{% translate 'Search' %}{% endconstant %} "
        "{% autoescape off %}{% constant %}{% translate 'Search' %}{% endconstant %}"
        "{% endautoescape %}"
    )
    assert render_in("en", template, other="es") == "Search Buscar Search Search"
    assert render_in("en", template, other="en") == "Search Search Search Search"
    assert render_in("es", template, other="en") == "Buscar Search Buscar Buscar"
    nodes = template.template.nodelist.get_nodes_by_type(ConstantNode)
    assert [node.shares_key for node in nodes] == [True, False, True, False]
    # The chunk inside {% autoescape off %} is stored apart from escaped ones.
    assert {key[2] for key in nodes[3].rendered} == {False}


def test_a_chunk_is_rendered_once_and_reused():
    """The second page of a language takes the stored string: the nodes are not rendered."""
    template = from_string(STATIC_CHUNK)
    first = render_in("en", template)
    node = next(n for n in template.template.nodelist if isinstance(n, ConstantNode))
    node.nodelist = from_string("changed").template.nodelist
    assert render_in("en", template) == first


def test_a_change_of_settings_forgets_the_chunks():
    """Static URLs (and addresses, translations) follow the settings of the moment."""
    template = from_string(STATIC_CHUNK)
    before = render_in("en", template)
    with override_settings(
        STATIC_URL="/assets/",
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        assert render_in("en", template) == "/assets/site.css"
    assert render_in("en", template) == before


@pytest.mark.parametrize(
    "inside",
    [
        "{{ query }}",
        "{% url view_name %}",
        "{% url 'articles:topic' slug=topic.slug %}",
        "{% static path %}",
        "{% translate message %}",
        "{% translate 'Search' as label %}",
        "{% if query %}x{% endif %}",
        "{% block head %}{% endblock %}",
        "{% url 'articles:home' as home %}",
    ],
)
def test_anything_that_depends_on_the_page_is_refused(inside):
    """A variable, a block or another tag inside a chunk fails when the template is parsed."""
    with pytest.raises(TemplateSyntaxError):
        from_string(f"{{% load i18n pages static %}}{{% constant %}}{inside}{{% endconstant %}}")


# The card's markup as ``_article_card.html`` rendered it, before ``{% article_card %}``.
OLD_CARD = (
    '{% load i18n %}{% for item in items %}<li class="card">\n'
    '  <h3 class="card-title"><a href="{{ item.get_absolute_url }}">{{ item.title }}</a></h3>\n'
    "  {% if item.summary %}<p>{{ item.summary }}</p>{% endif %}\n"
    '  {% if item.audience == "professional" %}<p class="badge">'
    '{% translate "For health professionals" %}</p>{% endif %}\n'
    "</li>\n{% endfor %}"
)


@pytest.mark.parametrize("code", ["en", "es"])
def test_article_cards_are_the_markup_of_the_old_template(code):
    """``{% article_card %}`` writes what the included template wrote, escaping included."""
    items = [
        PublishedArticle(slug="bone-pain", title="Bone <pain> & you", summary="", language="en"),
        PublishedArticle(
            slug="dolor-oseo",
            title="Dolor óseo",
            summary='"Qué" hacer',
            audience="professional",
            language="es",
        ),
        PublishedArticle(slug="x", title="X", summary="S", audience="patient", language="fr"),
    ]
    new = from_string("{% load cards %}{% for item in items %}{% article_card item %}{% endfor %}")
    assert render_in(code, new, items=items) == render_in(code, from_string(OLD_CARD), items=items)


@pytest.mark.parametrize("code", ["en", "es"])
def test_addresses_from_patterns_are_those_reverse_gives(code):
    """Topic, trial and article addresses equal ``get_absolute_url``'s, in each language."""
    topic = Topic(slug="bone-metastases")
    trial = ClinicalTrial(nct_id="NCT01234567")
    with languages.override(code):
        for _ in range(2):
            assert cards.topic_url(topic) == topic.get_absolute_url()
            assert cards.trial_url(trial) == trial.get_absolute_url()
            for language in ("en", "es"):
                snapshot = PublishedArticle(slug="bone-pain", language=language)
                assert cards.article_url(snapshot) == snapshot.get_absolute_url()


def test_a_value_that_is_not_a_slug_is_left_to_reverse():
    """An address whose value the URL would not accept fails as ``reverse`` fails."""
    with pytest.raises(NoReverseMatch):
        cards.topic_url(Topic(slug="not a slug/"))


@pytest.fixture
def seeded(db, request):
    demo_data.seed_demo(request, "--extra", "60")


# A miss once the generation is known: the home page reads the latest, the recently reviewed
# and the trials; a topic page its page (the topic tree and the page's count are remembered
# per generation).
LIST_MISSES = [
    ("/", 3),
    ("/es/", 3),
    ("/topics/metastasis/", 1),
    ("/topics/metastasis/?page=2", 1),
    ("/es/topics/metastasis/", 1),
]


@pytest.mark.parametrize("walk", [False, True], ids=["sorted", "title walk"])
def test_list_page_misses_run_prepared_reads(
    seeded, monkeypatch, settings, walk, django_assert_max_num_queries
):
    """A miss of the home or a topic page reads only its lists, through SQL prepared once per
    process, and shows what the first miss showed."""
    monkeypatch.setattr(public, "TITLE_WALK_FROM", 1 if walk else 10**9)
    # Nothing kept, so the second request is a miss too; emptying the cache instead would
    # also drop the generation when it lives in the shared cache (Redis).
    settings.PUBLIC_CACHE_SECONDS = 0
    client = Client()
    for path, budget in LIST_MISSES:
        first = client.get(path)
        assert first.status_code == 200, path
        with django_assert_max_num_queries(budget, info=path):
            again = client.get(path)
        assert again.content == first.content, path
    # Only SQLite walks the title index (INDEXED BY); PostgreSQL's planner sorts or walks.
    walked = walk and connection.vendor == "sqlite"
    page = public._topic_page_walked if walked else public._topic_page_sorted
    for read in (public._every_topic, public._latest_prepared, public._home_trials, page):
        assert read._compiled and all(read._compiled.values()), read.build


def test_topic_tree_follows_topic_changes(seeded):
    """A renamed or moved topic shows on the next miss: the tree is read again."""
    client = Client()
    assert client.get("/topics/metastasis/").status_code == 200
    bone = Topic.objects.get(slug="bone-metastases")
    bone.name = "Bones, renamed"
    bone.parent = Topic.objects.get(slug="treatments")
    bone.save()
    cache.clear()
    caching.forget_state()
    metastasis = client.get("/topics/metastasis/").text
    treatments = client.get("/topics/treatments/").text
    assert "Bones, renamed" not in metastasis and "Bones, renamed" in treatments
    assert client.get("/topics/no-such-topic/").status_code == 404
    Topic.objects.create(name="Empty", slug="empty")
    caching.forget_state()
    assert "No articles in this topic yet." in client.get("/topics/empty/").text


@pytest.mark.django_db
def test_the_tree_matches_the_orm():
    """``topic_tree`` gives each topic its parent and its sub-topics in the model's order."""
    parent = Topic.objects.create(name="Treatments", slug="treatments", position=2)
    first = Topic.objects.create(name="A first", slug="first", position=1)
    children = [
        Topic.objects.create(name=name, slug=name.lower(), parent=parent, position=position)
        for name, position in [("Zeta", 1), ("Alpha", 1), ("Beta", 0)]
    ]
    tree = {topic.slug: topic for topic in public.topic_tree()}
    assert [t.slug for t in public.topic_tree() if t.parent_id is None] == ["first", "treatments"]
    assert tree["treatments"].subtopics == list(parent.children.all()) != []
    assert [t.slug for t in tree["treatments"].subtopics] == ["beta", "alpha", "zeta"]
    assert tree["beta"].parent == parent and tree["first"].subtopics == []
    assert len(children) == 3 and first.parent is None


# The home page's items as its template wrote them, before the tags of ``cards``.
OLD_HOME_ITEMS = {
    "topic": (
        "{% for topic in items %}\n"
        '    <li class="topic">\n'
        '      <h3><a href="{{ topic.get_absolute_url }}">{{ topic.name }}</a></h3>\n'
        "      {% if topic.description %}<p>{{ topic.description }}</p>{% endif %}\n"
        '      {% if topic.subtopics %}<ul class="subtopics">{% for child in topic.subtopics %}'
        '<li><a href="{{ child.get_absolute_url }}">{{ child.name }}</a></li>{% endfor %}</ul>'
        "{% endif %}\n"
        "    </li>\n"
        "    {% endfor %}"
    ),
    "reviewed": (
        '{% for item in items %}<li><a href="{{ item.get_absolute_url }}">{{ item.title }}</a> '
        '<span class="muted">{% blocktranslate with date=item.last_reviewed|date:_("j M Y") %}'
        "reviewed {{ date }}{% endblocktranslate %}</span></li>{% endfor %}"
    ),
    "trial": (
        '{% for trial in items %}<li><a href="{{ trial.get_absolute_url }}" lang="en">'
        '{{ trial.brief_title }}</a> <span class="muted">{{ trial.nct_id }} · '
        "{{ trial.overall_status|status_label }}</span></li>{% endfor %}"
    ),
}


def home_items(kind: str) -> list:
    if kind == "topic":
        parent = Topic(pk=1, slug="bones", name="Bones & <joints>", description='"Pain"')
        parent.subtopics = [Topic(pk=2, slug="hips", name="Hips <1>"), Topic(pk=3, slug="x")]
        plain = Topic(pk=4, slug="plain", name="Plain", description="")
        plain.subtopics = []
        return [parent, plain]
    if kind == "reviewed":
        return [
            PublishedArticle(
                slug=slug, title="A <b> & c", language=language, last_reviewed=reviewed
            )
            for slug, language, reviewed in [
                ("a", "en", datetime.date(2026, 12, 1)),
                ("b", "es", datetime.date(2025, 5, 31)),
            ]
        ]
    return [
        ClinicalTrial(nct_id="NCT01234567", brief_title="A <trial> & more", overall_status=code)
        for code in ("RECRUITING", "COMPLETED", "NO_SUCH_STATUS", "")
    ]


@pytest.mark.parametrize("code", ["en", "es"])
@pytest.mark.parametrize("kind", ["topic", "reviewed", "trial"])
def test_home_items_are_the_markup_of_the_old_template(kind, code):
    """Topics, recently reviewed articles and trials of the home page: the same bytes."""
    tag = f"{kind}_item"
    new = from_string(f"{{% load cards %}}{{% for x in items %}}{{% {tag} x %}}{{% endfor %}}")
    old = from_string("{% load i18n trials %}" + OLD_HOME_ITEMS[kind])
    items = home_items(kind)
    assert render_in(code, new, items=items) == render_in(code, old, items=items)


LIST_TAGS = {"card": "article_cards", "topic": "topic_items", "reviewed": "reviewed_items"}
LIST_TAGS["trial"] = "trial_items"


def list_items(kind: str) -> list:
    if kind != "card":
        return home_items(kind)
    return [
        PublishedArticle(slug="bone-pain", title="Bone <pain> & you", summary="", language="en"),
        PublishedArticle(
            slug="dolor-oseo",
            title="Dolor",
            summary='"Qué"',
            audience="professional",
            language="es",
        ),
        PublishedArticle(slug="not a slug", title="Odd", summary="S", language="en"),
        PublishedArticle(slug="x", title="X", summary="S", audience="patient", language="fr"),
    ]


@pytest.mark.parametrize("kind", sorted(LIST_TAGS))
def test_a_list_tag_writes_what_the_old_template_wrote_in_each_language(kind):
    """A whole list's tag (one string for every item) gives the bytes the old template gave,
    in one language and then the other in the same process (the review dates' words are
    remembered per language), and the empty list writes nothing."""
    old_text = OLD_CARD if kind == "card" else OLD_HOME_ITEMS[kind]
    old = from_string("{% load i18n trials %}" + old_text)
    new = from_string(f"{{% load cards %}}{{% {LIST_TAGS[kind]} items %}}")
    items = [item for item in list_items(kind) if getattr(item, "slug", "") != "not a slug"]
    for code in ("en", "es", "en"):
        assert render_in(code, new, items=items) == render_in(code, old, items=items), code
        assert render_in(code, new, items=[]) == ""


def test_an_address_a_pattern_cannot_give_is_left_to_reverse():
    """In a list, a slug the URL would not accept fails as ``reverse`` fails, as alone."""
    odd = [item for item in list_items("card") if item.slug == "not a slug"]
    with pytest.raises(NoReverseMatch):
        cards.article_cards(odd)


def test_the_tree_is_read_once_per_generation_and_again_after_a_topic_change(
    seeded, settings, django_assert_num_queries
):
    """The topic tree is read once per generation; a topic's save, move or deletion starts a
    new one, so the next miss shows it without anything else emptied."""
    settings.PUBLIC_CACHE_SECONDS = 0
    client = Client()
    assert client.get("/topics/metastasis/").status_code == 200
    with django_assert_num_queries(3):  # its two lists and the trials: the tree is known
        client.get("/")
    bone = Topic.objects.get(slug="bone-metastases")
    bone.name = "Bones, renamed"
    bone.save()
    assert "Bones, renamed" in client.get("/topics/metastasis/").text
    assert "Bones, renamed" in client.get("/").text
    bone.parent = Topic.objects.get(slug="treatments")
    bone.save()
    assert "Bones, renamed" not in client.get("/topics/metastasis/").text
    assert "Bones, renamed" in client.get("/topics/treatments/").text
    bone.delete()
    assert client.get("/topics/bone-metastases/").status_code == 404
    assert "Bones, renamed" not in client.get("/").text


OLD_TOPIC_HEADING = (
    '{% load cards %}{% if topic.parent %} › <a href="{{ topic.parent.get_absolute_url }}">'
    "{{ topic.parent.name }}</a>{% endif %} › "
    '<span aria-current="page">{{ topic.name }}</span></nav>\n<h1>{{ topic.name }}</h1>\n'
    '{% if topic.description %}<p class="lead">{{ topic.description }}</p>{% endif %}\n'
    "{% for child in topic.subtopics %}"
    '<li><a href="{{ child.get_absolute_url }}">{{ child.name }}</a></li>{% endfor %}'
)


@pytest.mark.parametrize("code", ["en", "es"])
def test_a_topic_pages_heading_and_subtopics_are_the_markup_of_the_old_template(code):
    """``{% topic_heading %}`` and ``{% topic_links %}`` write what the topic page's template
    wrote, for a topic with a parent or none, with a description or none, escaped."""
    parent = Topic(pk=1, slug="bones", name="Bones & <joints>", description='"Pain"')
    child = Topic(pk=2, slug="hips", name="Hips <1>", description="", parent=parent)
    parent.subtopics, child.subtopics = [child, Topic(pk=3, slug="x", name="X")], []
    new = from_string("{% load cards %}{% topic_heading topic %}{% topic_links topic.subtopics %}")
    for topic in (parent, child):
        old = render_in(code, from_string(OLD_TOPIC_HEADING), topic=topic)
        assert render_in(code, new, topic=topic) == old


@pytest.mark.parametrize("walk", [False, True], ids=["sorted", "title walk"])
def test_a_topic_pages_articles_are_what_the_orm_lists(seeded, monkeypatch, walk):
    """A page of a topic's articles, read as values, holds the fields of the snapshots the ORM
    lists for that page, in both languages, for the topic and one of its sub-topics."""
    monkeypatch.setattr(public, "TITLE_WALK_FROM", 1 if walk else 10**9)
    fields = public.ListedArticle.__slots__
    for slug in ("metastasis", "bone-metastases"):
        topic = next(topic for topic in public.topic_tree() if topic.slug == slug)
        for language in ("en", "es"):
            listed = public.topic_articles(topic, language).order_by("title", "pk")
            count = listed.count()
            for start in (0, 20):
                page = public.topic_listing(topic, language, count)[start : start + 20]
                expected = list(listed.values_list(*fields)[start : start + 20])
                assert [tuple(getattr(a, f) for f in fields) for a in page] == expected
                assert start or expected, (slug, language)


def test_the_home_pages_lists_are_what_the_orm_lists(seeded):
    """The home page's latest and recently reviewed articles and its trials, read as values,
    hold the fields of what the ORM lists, in both languages."""
    fields = public.ListedArticle.__slots__
    for language in ("en", "es"):
        live = public.live_articles_in(language)
        latest = live.order_by("-go_live_at", "-pk").values_list(*fields)[:6]
        assert [tuple(getattr(a, f) for f in fields) for a in public.latest_articles(language)] == (
            list(latest)
        )
        reviewed = live.filter(last_reviewed__isnull=False).order_by("-last_reviewed", "-pk")
        with_day = (*fields, "last_reviewed")
        shown = public.recently_reviewed_articles(language)
        assert [tuple(getattr(a, f) for f in with_day) for a in shown] == list(
            reviewed.values_list(*with_day)[:6]
        )
        assert shown and isinstance(shown[0].last_reviewed, datetime.date)
    trial_fields = ("pk", "nct_id", "brief_title", "overall_status")
    assert [tuple(getattr(t, f) for f in trial_fields) for t in public.home_trials()] == list(
        ClinicalTrial.objects.values_list(*trial_fields)[:6]
    )


@pytest.mark.parametrize("code", ["en", "es"])
def test_a_topic_pages_pagination_is_what_the_included_template_wrote(code):
    """``{% page_links %}`` writes what ``_pagination.html`` wrote with no search query: the
    only page, the first, one between, the last, and page numbers in the thousands."""
    old = from_string('{% include "_pagination.html" %}')
    new = from_string("{% load cards %}{% page_links page %}")
    for count, number in [(3, 1), (300, 1), (300, 7), (300, 15), (50_000, 2_000), (50_000, 2_500)]:
        page = Paginator(range(count), 20).page(number)
        assert render_in(code, new, page=page) == render_in(code, old, page=page), (count, number)
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert render_in(code, new, page=page) == render_in(code, old, page=page)
