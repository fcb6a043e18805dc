"""The editorial admin: list, search and filters, preview, stale saves, history and restore."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.selectors import article_versions
from reviews import workflow
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer_client(client, writer):
    client.login(username=writer.username, password=PASSWORD)
    return client


def change_form_data(article: Article, **overrides) -> dict:
    """The POST data of the article change form as the browser would send it."""
    references = list(article.references.all())
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "audience": article.audience,
        "language": article.language,
        "topics": [t.pk for t in article.topics.all()],
        "authors": [a.pk for a in article.authors.all()],
        "related_trials": [],
        "counterpart": "",
        "review_interval_months": article.review_interval_months,
        "expected_version": article.version,
        "references-TOTAL_FORMS": len(references),
        "references-INITIAL_FORMS": len(references),
        "references-MIN_NUM_FORMS": 0,
        "references-MAX_NUM_FORMS": 1000,
    }
    for index, ref in enumerate(references):
        for name in (
            "position",
            "authors",
            "title",
            "journal",
            "year",
            "volume",
            "issue",
            "pages",
            "pmid",
            "doi",
            "nct_id",
            "url",
            "evidence_level",
        ):
            value = getattr(ref, name)
            data[f"references-{index}-{name}"] = "" if value is None else value
        data[f"references-{index}-id"] = ref.pk
        data[f"references-{index}-article"] = article.pk
    data.update(overrides)
    return data


def test_article_list_search_and_filters(writer_client, make_article, writer, topic):
    """Writers can list, search and filter articles by topic, audience and workflow state."""
    make_article(writer, title="Liver metastases and jaundice")
    make_article(writer, title="Brain metastases", audience="professional")
    url = reverse("admin:articles_article_changelist")
    assert "Liver metastases" in writer_client.get(url, {"q": "jaundice"}).text
    by_audience = writer_client.get(url, {"audience__exact": "professional"}).text
    assert "Brain metastases" in by_audience and "Liver metastases" not in by_audience
    assert writer_client.get(url, {"state__exact": "draft"}).status_code == 200
    assert writer_client.get(url, {"topics__id__exact": topic.pk}).status_code == 200


def test_add_article_in_admin_creates_version_one(writer_client, writer, topic):
    """Adding an article in the admin saves version 1 with the writer as its user."""
    response = writer_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Metástasis óseas",
            "slug": "",
            "summary": "Resumen.",
            "body": "## Dolor\n\nTexto [@1].",
            "audience": "patient",
            "language": "es",
            "topics": [topic.pk],
            "review_interval_months": 12,
            "references-TOTAL_FORMS": 1,
            "references-INITIAL_FORMS": 0,
            "references-MIN_NUM_FORMS": 0,
            "references-MAX_NUM_FORMS": 1000,
            "references-0-position": 1,
            "references-0-title": "A trial",
            "references-0-doi": "https://doi.org/10.1056/NEJMoa2115022",
            "references-0-pmid": "35320644",
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    article = Article.objects.get(slug="metastasis-oseas")
    assert article.version == 1
    assert article.references.get().doi == "10.1056/NEJMoa2115022"
    assert list(article.authors.all()) == [writer]
    (version,) = article_versions(article)
    assert version.user == "writer"


def test_invalid_reference_shows_field_error(writer_client, make_article, writer):
    """A bad PMID in the inline is shown next to the field; nothing is saved."""
    article = make_article(writer)
    data = change_form_data(article, **{"references-0-pmid": "0123"})
    response = writer_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert "not a valid PubMed ID" in response.text
    assert Article.objects.get(pk=article.pk).version == 1


def test_edit_in_admin_creates_new_version(writer_client, make_article, writer):
    """Saving the change form stores a new version with the admin's change message."""
    article = make_article(writer)
    data = change_form_data(article, body="## Symptoms\n\nBone pain and fractures [@1].")
    response = writer_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.version == 2
    assert "Changed" in article_versions(article)[-1].comment


def test_stale_admin_save_refused_and_text_kept(writer_client, make_article, writer, writer2):
    """A save from a form opened before someone else's save is refused, showing the text."""
    article = make_article(writer)
    stale = change_form_data(article, body="My careful rewrite that must not be lost.")
    article.body = "A colleague's edit."
    workflow.save_working_copy(article=article, user=writer2)
    response = writer_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), stale
    )
    assert response.status_code == 200
    assert "Someone else saved this article" in response.text
    assert "My careful rewrite that must not be lost." in response.text
    assert Article.objects.get(pk=article.pk).body == "A colleague's edit."


def test_change_form_shows_rendered_preview(writer_client, make_article, writer):
    """The change form shows the body rendered and sanitised."""
    article = make_article(writer, body="## Pain relief\n\n<script>x</script>")
    response = writer_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert '<h2 id="pain-relief">Pain relief</h2>' in response.text
    assert "<script>x</script>" not in response.text


def test_preview_endpoint_renders_unsaved_markdown(writer_client):
    """The live preview renders posted Markdown through the sanitiser."""
    response = writer_client.post(
        reverse("admin:articles_article_preview"), {"body": "**Bold** <script>x</script>"}
    )
    assert "<strong>Bold</strong>" in response.json()["html"]
    assert "<script>" not in response.json()["html"]


def test_history_lists_versions_and_compares(writer_client, make_article, writer):
    """History lists every version; the comparison page highlights changed numbers."""
    article = make_article(writer, body="Give 75 mg every 3 weeks.")
    article.body = "Give 100 mg every 3 weeks."
    workflow.save_working_copy(article=article, user=writer, comment="Dose corrected.")
    history = writer_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "Dose corrected." in history.text and "v2" in history.text
    compare = writer_client.get(
        reverse("admin:articles_article_compare", args=[article.pk]), {"from": 1, "to": 2}
    )
    assert compare.status_code == 200
    assert "diff-num" in compare.text and "100 mg" in compare.text
    missing = writer_client.get(
        reverse("admin:articles_article_compare", args=[article.pk]), {"from": 1, "to": 9}
    )
    assert missing.status_code == 404


def test_restore_from_admin(writer_client, make_article, writer):
    """Restoring an old version from the history creates a new version with its content."""
    article = make_article(writer, body="First text.")
    article.body = "Second text."
    workflow.save_working_copy(article=article, user=writer)
    url = reverse("admin:articles_article_restore", args=[article.pk, 1])
    assert '<ins class="diff-ins">First</ins>' in writer_client.get(url).text
    response = writer_client.post(url, {"expected_version": 2})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.version, article.body) == (3, "First text.")


def test_articles_cannot_be_deleted_in_admin(writer_client, make_article, writer):
    """Nobody hard-deletes articles from the admin."""
    article = make_article(writer)
    response = writer_client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize("object_id", ["abc", "3/change/widgets.css"])
def test_change_page_of_a_malformed_id_is_not_a_server_error(writer_client, object_id):
    """A change page address whose id is not a number (a crafted link, or a style sheet's
    relative import) answers as for an unknown article, never a 500."""
    response = writer_client.get(f"/admin/articles/article/{object_id}/change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_language_the_site_does_not_have_is_refused(writer_client, topic):
    """Content is written in the site's languages (settings.LANGUAGES) only."""
    response = writer_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Métastases osseuses",
            "summary": "Résumé.",
            "body": "Texte.",
            "audience": "patient",
            "language": "fr",
            "topics": [topic.pk],
            "review_interval_months": 12,
            "references-TOTAL_FORMS": 0,
            "references-INITIAL_FORMS": 0,
            "references-MIN_NUM_FORMS": 0,
            "references-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["language"]
    assert errors == ["“fr” is not one of the site's languages (en, es)."]
    assert not Article.objects.filter(title="Métastases osseuses").exists()
