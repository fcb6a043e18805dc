"""The public site in Spanish under /es/: routing and 404s, a cache and ETags per language,
<html lang>, hreflang alternates and the language switcher, the sitemap's alternates, the
interface text and dates in Spanish, search in the page's language, and the notice on a
translation whose source has moved on."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from articles import public
from articles.models import Article, ClinicalTrial, Feedback, PublishedArticle
from reviews import workflow
from tests.feedback_steps import SAME_ORIGIN
from tests.workflow_steps import publish_new_version

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SPANISH_MONTHS = [
    *("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto"),
    *("septiembre", "octubre", "noviembre", "diciembre"),
]

SPANISH_BODY = (
    "## Qué es\n\nLa metástasis ósea aparece cuando el cáncer llega a los huesos [@1]. "
    "Puede causar dolor. Hay tratamientos que ayudan."
)


def publish(article, writer, reviewer, editor):
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer, comment="Correcto.")
    workflow.publish(article=article, user=editor)
    article.refresh_from_db()
    return article


@pytest.fixture
def spanish_reviewer(reviewer):
    """The clinical reviewer, who reviews in English and Spanish."""
    profile = reviewer.reviewer_profile
    profile.languages = ["en", "es"]
    profile.save()
    return reviewer


@pytest.fixture
def translate(make_article, writer, spanish_reviewer, editor):
    """Publish a Spanish translation of the live article ``source``, made from its live
    version."""

    def make(source, title="Metástasis ósea", body=SPANISH_BODY, **fields):
        live = workflow.live_snapshot(source)
        article = make_article(
            writer,
            title=title,
            body=body,
            summary="Qué pasa cuando el cáncer de mama llega a los huesos.",
            language="es",
            translation_of=source,
            source_version=live.version,
            **fields,
        )
        publish(article, writer, spanish_reviewer, editor)
        snapshot = workflow.live_snapshot(article)
        # Publishing records the source and its version in the snapshot (the workflow part of
        # #17); where it does not yet, the test records them as it would.
        if snapshot.translation_of_id is None:
            PublishedArticle.objects.filter(pk=snapshot.pk).update(
                translation_of=source, source_version=live.version
            )
        return article

    return make


@pytest.fixture
def spanish(live_article, translate):
    return translate(live_article)


def head_links(html: str, rel: str = "alternate") -> dict[str, str]:
    """The ``hreflang`` → ``href`` of the <link rel=alternate> tags in the head."""
    head = html.split("</head>")[0]
    pattern = rf'<link rel="{rel}" hreflang="([^"]+)" href="([^"]+)"'
    return dict(re.findall(pattern, head))


def switcher(html: str) -> list[tuple[str, str, str, str]]:
    """The links of the language switcher: (href, lang, hreflang, text)."""
    nav = re.search(r'<nav class="language-switcher"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no language switcher"
    return re.findall(
        r'<a href="([^"]+)" lang="([^"]+)" hreflang="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1)
    )


# --- Routing ------------------------------------------------------------------------------


def test_every_public_page_has_a_spanish_address(client, spanish, topic):
    """Home, topics, trials, a trial, search, the editorial policy and the feed answer under
    /es/, in Spanish: <html lang="es">, Content-Language: es."""
    ClinicalTrial.objects.create(nct_id="NCT03529110", brief_title="DESTINY-Breast03")
    for path in (
        "/es/",
        f"/es/topics/{topic.slug}/",
        "/es/trials/",
        "/es/trials/NCT03529110/",
        "/es/search/?q=huesos",
        "/es/about/editorial-policy/",
        f"/es/articles/{spanish.slug}/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="es">' in response.text, path
        assert response["Content-Language"] == "es", path
    feed = client.get("/es/feed/")
    assert feed.status_code == 200
    assert ET.fromstring(feed.content).get("{http://www.w3.org/XML/1998/namespace}lang") == "es"


def test_english_pages_stay_unprefixed_and_english(client, live_article):
    """The English pages keep their addresses, <html lang="en"> and Content-Language: en."""
    for path in ("/", "/trials/", f"/articles/{live_article.slug}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="en">' in response.text, path
        assert response["Content-Language"] == "en", path


@pytest.mark.parametrize(
    "path",
    [
        "/en/",  # the default language has no prefix
        "/en/trials/",
        "/es/admin/",
        "/es/api/v1/articles/",
        "/es/healthz",
        "/es/sitemap.xml",
        "/es/robots.txt",
        "/es/media/x.png",
        "/fr/",
        "/es/nothing-here/",
    ],
)
def test_only_reader_pages_are_in_spanish(client, path):
    """The admin, the API, health, sitemap, robots and media have one address, unprefixed;
    /en/ and unknown languages are not addresses at all."""
    assert client.get(path).status_code == 404


def test_the_404_page_speaks_the_language_of_its_address(client):
    """A missing Spanish page answers in Spanish, a missing English one in English."""
    spanish = client.get("/es/no-existe/")
    assert spanish.status_code == 404 and "No encontramos esa página" in spanish.text
    english = client.get("/missing/")
    assert english.status_code == 404 and "We cannot find that page" in english.text


def test_an_article_answers_at_its_own_language_address(client, live_article, spanish):
    """/es/articles/<english slug>/ leads to its Spanish translation and
    /articles/<spanish slug>/ to its English source (302); each page lives at one address."""
    english = client.get(f"/es/articles/{live_article.slug}/")
    assert english.status_code == 302 and english["Location"] == f"/es/articles/{spanish.slug}/"
    back = client.get(f"/articles/{spanish.slug}/")
    assert back.status_code == 302 and back["Location"] == f"/articles/{live_article.slug}/"
    assert spanish.get_absolute_url() == f"/es/articles/{spanish.slug}/"
    assert workflow.live_snapshot(spanish).get_absolute_url() == f"/es/articles/{spanish.slug}/"


def test_an_article_with_no_version_in_a_language_is_404_there(
    client, live_article, make_article, writer, spanish_reviewer, editor
):
    """An English article without a Spanish translation is not found under /es/, nor is an
    untranslated Spanish article under the English prefix."""
    assert client.get(f"/es/articles/{live_article.slug}/").status_code == 404
    alone = publish(
        make_article(writer, title="Solo en español", language="es"),
        writer,
        spanish_reviewer,
        editor,
    )
    assert client.get(f"/articles/{alone.slug}/").status_code == 404
    assert client.get(f"/es/articles/{alone.slug}/").status_code == 200


def test_feedback_is_taken_at_the_article_address_only(client, live_article, spanish):
    """Feedback posted to an article under the other language's prefix changes nothing."""
    response = client.post(
        f"/es/articles/{live_article.slug}/feedback/", {"helpful": "yes"}, **SAME_ORIGIN
    )
    assert response.status_code == 404
    assert not Feedback.objects.exists()
    posted = client.post(
        f"/es/articles/{spanish.slug}/feedback/", {"helpful": "yes"}, **SAME_ORIGIN
    )
    assert posted.status_code == 302
    assert posted["Location"].startswith(f"/es/articles/{spanish.slug}/")
    assert Feedback.objects.get().article_id == spanish.pk


# --- What each language lists ------------------------------------------------------------------


def test_lists_show_the_articles_of_their_language(client, live_article, spanish, topic):
    """Home, topic, search and feed list Spanish articles under /es/ and English ones
    unprefixed, never the other language's."""
    english_title, spanish_title = live_article.title, spanish.title
    for english_path, spanish_path in (
        ("/", "/es/"),
        (f"/topics/{topic.slug}/", f"/es/topics/{topic.slug}/"),
        ("/feed/", "/es/feed/"),
    ):
        english_page = client.get(english_path).content.decode()
        spanish_page = client.get(spanish_path).content.decode()
        assert english_title in english_page and spanish_title not in english_page, english_path
        assert spanish_title in spanish_page and english_title not in spanish_page, spanish_path
    assert spanish_title in client.get("/es/search/?q=cáncer").text
    assert spanish_title not in client.get("/search/?q=cáncer").text


# --- Cache and validators per language ---------------------------------------------------------


def test_english_and_spanish_never_share_a_cached_page(client, spanish, django_assert_num_queries):
    """Each language's page is rendered and cached apart; its ETag answers 304 only at its
    own address; Accept-Language never changes what an address shows."""
    english = client.get("/")
    assert '<html lang="en">' in client.get("/").text  # from the cache
    spanish_page = client.get("/es/")
    assert '<html lang="es">' in spanish_page.text and "Temas" in spanish_page.text
    assert english["ETag"] != spanish_page["ETag"]
    assert client.get("/es/", HTTP_IF_NONE_MATCH=spanish_page["ETag"]).status_code == 304
    assert client.get("/es/", HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200
    assert client.get("/", HTTP_IF_NONE_MATCH=spanish_page["ETag"]).status_code == 200
    asked = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en">' in asked.text and asked["ETag"] == english["ETag"]
    assert "Accept-Language" not in asked.get("Vary", "")
    fresh = Client(HTTP_ACCEPT_LANGUAGE="es", cookies={settings.LANGUAGE_COOKIE_NAME: "es"})
    assert '<html lang="en">' in fresh.get("/trials/").text
    assert '<html lang="es">' in fresh.get("/es/trials/").text


def test_a_spanish_request_leaves_english_active_for_the_rest_of_the_process(client):
    """The language of a request is undone after it: what runs next reverses English
    addresses."""
    client.get("/es/")
    assert translation.get_language() == settings.LANGUAGE_CODE


# --- Alternates and the switcher ---------------------------------------------------------------


def test_list_pages_name_their_other_language(client, topic):
    """Every list page has hreflang alternates for each language and x-default (the English
    one), and a switcher to the same page in the other language, marked with lang and
    hreflang."""
    for english, spanish in (
        ("/", "/es/"),
        ("/trials/", "/es/trials/"),
        (f"/topics/{topic.slug}/", f"/es/topics/{topic.slug}/"),
        ("/about/editorial-policy/", "/es/about/editorial-policy/"),
    ):
        for path in (english, spanish):
            links = head_links(client.get(path).text)
            assert links == {
                "en": f"http://testserver{english}",
                "es": f"http://testserver{spanish}",
                "x-default": f"http://testserver{english}",
            }, path
        assert switcher(client.get(english).text) == [
            (f"http://testserver{spanish}", "es", "es", "Español")
        ]
        assert switcher(client.get(spanish).text) == [
            (f"http://testserver{english}", "en", "en", "English")
        ]


def test_search_alternates_keep_the_query(client):
    """The search page in the other language searches the same words."""
    links = head_links(client.get("/search/?q=bone+pain&utm_source=x").text)
    assert links["es"] == "http://testserver/es/search/?q=bone+pain"


def test_an_article_names_its_translation(client, live_article, spanish):
    """An article and its translation point at each other (alternates, x-default on the
    English one, the switcher)."""
    english_url = f"http://testserver/articles/{live_article.slug}/"
    spanish_url = f"http://testserver/es/articles/{spanish.slug}/"
    expected = {"en": english_url, "es": spanish_url, "x-default": english_url}
    english_page = client.get(f"/articles/{live_article.slug}/").text
    spanish_page = client.get(f"/es/articles/{spanish.slug}/").text
    assert head_links(english_page) == head_links(spanish_page) == expected
    assert switcher(english_page) == [(spanish_url, "es", "es", "Español")]
    assert switcher(spanish_page) == [(english_url, "en", "en", "English")]


def test_an_untranslated_article_has_no_alternates(client, live_article):
    """With no translation, an article has no hreflang alternates; its switcher offers the
    Spanish home page, saying so in Spanish."""
    page = client.get(f"/articles/{live_article.slug}/").text
    assert head_links(page) == {}
    assert switcher(page) == [("http://testserver/es/", "es", "es", "Español (página de inicio)")]


def test_a_translation_published_or_withdrawn_shows_on_its_source_at_once(
    client, live_article, translate, editor, settings
):
    """An untranslated page reads no language versions (the articles with a live translation
    are known per generation of public content); a published translation starts a new one,
    so the source's page and API answer name it on the next read, and stop at its
    withdrawal."""
    settings.PUBLIC_CACHE_SECONDS = 0  # every read below builds its answer
    page, answer = f"/articles/{live_article.slug}/", f"/api/v1/articles/{live_article.slug}/"
    assert head_links(client.get(page).text) == {}
    assert client.get(answer).json()["translations"] == []
    spanish = translate(live_article)
    assert set(head_links(client.get(page).text)) == {"en", "es", "x-default"}
    assert [t["slug"] for t in client.get(answer).json()["translations"]] == [spanish.slug]
    workflow.unpublish(article=Article.objects.get(pk=spanish.pk), user=editor, reason="Old.")
    assert head_links(client.get(page).text) == {}
    assert client.get(answer).json()["translations"] == []


def test_the_sitemap_lists_each_language_with_its_alternates(client, live_article, spanish, topic):
    """sitemap.xml lists the Spanish pages too; every entry of a page that exists in both
    languages names both and x-default."""
    root = ET.fromstring(client.get("/sitemap.xml").content)
    entries = {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in root.findall(f"{SITEMAP}url")
    }
    site = "http://testserver"
    pairs = [
        ("/", "/es/"),
        (f"/topics/{topic.slug}/", f"/es/topics/{topic.slug}/"),
        ("/trials/", "/es/trials/"),
        (f"/articles/{live_article.slug}/", f"/es/articles/{spanish.slug}/"),
    ]
    for english, spanish_path in pairs:
        expected = {"en": site + english, "es": site + spanish_path, "x-default": site + english}
        assert entries[site + english] == expected, english
        assert entries[site + spanish_path] == expected, spanish_path


def test_an_untranslated_article_is_in_the_sitemap_alone(client, live_article):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    for url in root.findall(f"{SITEMAP}url"):
        if url.findtext(f"{SITEMAP}loc").endswith(f"/articles/{live_article.slug}/"):
            assert url.findall(f"{XHTML}link") == []
            return
    pytest.fail("the article is not in the sitemap")


# --- Interface text, dates and numbers ---------------------------------------------------------


def test_interface_text_is_spanish_on_spanish_pages(client, spanish):
    """The header, footer, article trust box, feedback form and trial labels are in
    Spanish under /es/."""
    ClinicalTrial.objects.create(
        nct_id="NCT03529110",
        brief_title="DESTINY-Breast03",
        overall_status="RECRUITING",
        phases=["PHASE2", "PHASE3"],
        minimum_age="18 Years",
        start_date="2024-03",
        enrollment=1234,
        enrollment_type="ESTIMATED",
    )
    home = client.get("/es/").text
    for text in ("Saltar al contenido principal", "Ensayos clínicos", "Aviso médico:", "Temas"):
        assert text in home
    assert "Skip to main content" not in home
    article = client.get(f"/es/articles/{spanish.slug}/").text
    for text in ("¿Le ha sido útil esta página?", "Enviar opinión", "Revisado por", "Publicado"):
        assert text in article
    trial = client.get("/es/trials/NCT03529110/").text
    for text in (
        "Reclutando participantes",
        "Fase 2/3",
        "18 años o más",
        "marzo de 2024",
        "1\xa0234 personas (estimación)",
    ):
        assert text in trial, text
    trials = client.get("/es/trials/?status=NOPE").text
    assert "Código de estado desconocido: NOPE" in trials


def test_dates_are_spanish_and_machine_dates_stay_iso(client, spanish):
    """Dates read "5 de marzo de 2026" on Spanish pages; <time datetime> stays ISO to the
    second."""
    snapshot = workflow.live_snapshot(spanish)
    page = client.get(f"/es/articles/{spanish.slug}/").text
    local = snapshot.go_live_at.astimezone()
    month = SPANISH_MONTHS[local.month - 1]
    assert f"{local.day} de {month} de {local.year}" in page
    stamps = re.findall(r'<time datetime="([^"]+)">', page)
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", s) for s in stamps)


def test_the_message_catalogue_is_complete_and_compiled():
    """Every entry of locale/es/LC_MESSAGES/django.po is translated (none fuzzy), and the
    compiled catalogue the site reads gives each one (make messages compiles it)."""
    po = Path(settings.BASE_DIR, "locale", "es", "LC_MESSAGES", "django.po")
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = re.findall(r'^(?:msgctxt "(.+)"\n)?msgid "(.+)"\nmsgstr "(.*)"$', text, re.M)
    assert len(entries) > 150
    with translation.override("es"):
        for context, msgid, msgstr in entries:
            assert msgstr, f"untranslated: {msgid}"
            original, expected = (
                part.replace('\\"', '"').replace("\\\\", "\\") for part in (msgid, msgstr)
            )
            found = (
                translation.pgettext(context, original)
                if context
                else translation.gettext(original)
            )
            assert found == expected, original


# --- Search ------------------------------------------------------------------------------------


def test_spanish_search_ignores_accents(client, spanish):
    """On /es/, "metastasis" finds "metástasis" and "OSEA" finds "ósea"; the snippet marks the
    accented word."""
    page = client.get("/es/search/?q=metastasis+OSEA").text
    assert spanish.title in page
    assert "<mark>metástasis</mark>" in page.lower() and "<mark>ósea</mark>" in page.lower()


def test_search_stays_within_the_language(spanish, live_article):
    """Each language searches its own articles, with its own rules."""
    found = public.search_articles("metástasis", public.live_articles_in("es"), "es")
    assert [s.article_id for s in found] == [spanish.pk]
    english = public.search_articles("bone", public.live_articles_in("en"), "en")
    assert [s.article_id for s in english] == [live_article.pk]
    assert not public.search_articles("bone", public.live_articles_in("es"), "es").exists()


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="Spanish stemming is PostgreSQL's (the spanish text-search configuration)",
)
def test_postgres_searches_spanish_with_spanish_stemming(spanish):
    """On PostgreSQL, the spanish configuration finds "hueso" in "huesos" and drops Spanish
    stop words."""
    assert public.search_config("es") == "spanish"
    for query in ("hueso", "tratamiento", "metastasis", "el dolor"):
        found = public.search_articles(query, public.live_articles_in("es"), "es")
        assert [s.article_id for s in found] == [spanish.pk], query


# --- A translation whose source moved on --------------------------------------------------------


def test_an_outdated_translation_says_when_its_source_changed(
    client, live_article, spanish, writer, reviewer, editor
):
    """Once the English source publishes a new version, the Spanish page says "La versión en
    inglés se actualizó el …" and links the English page; before, it says nothing."""
    path = f"/es/articles/{spanish.slug}/"
    assert "source-updated-notice" not in client.get(path).text
    publish_new_version(live_article, writer, reviewer, editor, body="## Symptoms\n\nNew [@1].")
    page = client.get(path).text
    notice = re.search(r'<p class="source-updated-notice" role="note">(.*?)</p>', page, re.S)
    assert notice, "no notice"
    source = workflow.live_snapshot(live_article)
    local = source.go_live_at.astimezone()
    assert "La versión en inglés se actualizó el" in notice.group(1)
    assert f"{local.day} de {SPANISH_MONTHS[local.month - 1]} de {local.year}" in notice.group(1)
    assert f'href="/articles/{live_article.slug}/" hreflang="en"' in notice.group(1)


def test_a_translation_whose_source_is_withdrawn_says_so(client, live_article, spanish, editor):
    workflow.unpublish(article=Article.objects.get(pk=live_article.pk), user=editor, reason="Old.")
    page = client.get(f"/es/articles/{spanish.slug}/").text
    assert "Puede que esta traducción no esté al día" in page


def test_feedback_form_is_in_the_language_of_each_page_and_keeps_no_errors(
    client, live_article, spanish
):
    """The empty feedback form, rendered once per language, is English on English pages and
    Spanish on Spanish ones whichever page came first; a refused post's errors are shown on
    its answer only, never on the pages served after it."""
    refused = client.post(
        f"/articles/{live_article.slug}/feedback/", {"comment": "?"}, **SAME_ORIGIN
    )
    assert refused.status_code == 400 and "Choose yes or no." in refused.text
    spanish_page = client.get(f"/es/articles/{spanish.slug}/").text
    english_page = client.get(f"/articles/{live_article.slug}/").text
    assert "¿Le ha sido útil esta página?" in spanish_page
    assert "Was this page helpful?" not in spanish_page
    assert "Was this page helpful?" in english_page
    assert "¿Le ha sido útil esta página?" not in english_page
    for page in (spanish_page, english_page):
        assert "form-errors" not in page and 'name="helpful"' in page
