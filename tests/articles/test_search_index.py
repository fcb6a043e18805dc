"""Search on SQLite through its FTS5 index (``articles.search_index``): kept in step with
publications, unpublications and scheduled go-lives in the same transaction, accent-folded,
ranked, and safe against FTS5 query syntax typed by readers."""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from articles import public, search_index
from articles.models import PublishedArticle
from reviews import workflow
from tests.articles.test_spanish_site import (  # noqa: F401  (fixtures)
    spanish,
    spanish_reviewer,
    translate,
)
from tests.workflow_steps import approve_new_version

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's"),
]


def indexed(snapshot_id: int) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT title, summary FROM {search_index.TABLE} WHERE rowid = %s", [snapshot_id]
        )
        return cursor.fetchall()


def found(client, query: str, prefix: str = "") -> str:
    response = client.get(f"{prefix}/search/", {"q": query})
    assert response.status_code == 200, query
    return response.text


def publish(article, writer, reviewer, editor, **options):
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    workflow.publish(article=article, user=editor, **options)


def test_search_reads_the_fts_index(live_article):
    """The SQLite search joins the FTS5 table (no LIKE scan of every snapshot)."""
    sql = str(public.search_articles("bone").query)
    assert f"{search_index.TABLE} MATCH" in sql and "LIKE" not in sql


def test_publish_then_unpublish(client, make_article, writer, reviewer, editor):
    """A publication is found at once, in the index written by the same transaction; after
    the unpublication the page is gone from the results (and the API's)."""
    article = make_article(writer, title="Lymphoedema after surgery", body="Swelling [@1].")
    assert "Lymphoedema after surgery" not in found(client, "lymphoedema")
    publish(article, writer, reviewer, editor)
    snapshot = workflow.live_snapshot(article)
    assert indexed(snapshot.pk) == [(snapshot.title, snapshot.summary)]
    assert "Lymphoedema after surgery" in found(client, "lymphoedema")
    api = client.get("/api/v1/articles/", {"search": "lymphoedema"}).json()
    assert [item["slug"] for item in api["results"]] == [snapshot.slug]
    workflow.unpublish(article=article, user=editor, reason="Withdrawn for checking.")
    assert "Lymphoedema after surgery" not in found(client, "lymphoedema")
    assert client.get("/api/v1/articles/", {"search": "lymphoedema"}).json()["results"] == []


def test_a_new_version_replaces_the_old_one_in_results(
    client, live_article, writer, reviewer2, editor
):
    """Once the new version is live, its words are found and the old ones are not."""
    assert "Bone metastases explained" in found(client, "metastases")
    approve_new_version(live_article, writer, reviewer2, title="Spinal cord compression")
    workflow.publish(article=live_article, user=editor, change_note="Retitled.")
    assert "Spinal cord compression" in found(client, "spinal")
    assert "Spinal cord compression" not in found(client, "explained")


def test_scheduled_version_is_found_only_from_its_go_live(
    client, live_article, writer, reviewer2, editor, monkeypatch
):
    go_live = timezone.now() + datetime.timedelta(hours=2)
    approve_new_version(live_article, writer, reviewer2, title="Hypercalcaemia explained")
    workflow.publish(article=live_article, user=editor, publish_at=go_live, change_note="New.")
    assert "Hypercalcaemia explained" not in found(client, "hypercalcaemia")
    assert "Bone metastases explained" in found(client, "bone")
    later = go_live + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Hypercalcaemia explained" in found(client, "hypercalcaemia")
    assert "Bone metastases explained" not in found(client, "metastases")


def test_a_rolled_back_publication_leaves_no_entry(make_article, writer, reviewer, editor):
    """The index is written inside the publication's transaction: undone with it."""
    article = make_article(writer, title="Rolled back", body="Text [@1].")
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    before = PublishedArticle.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.publish(article=article, user=editor)
        assert public.search_articles("rolled").count() == 1
        raise RuntimeError
    assert PublishedArticle.objects.count() == before
    assert public.search_articles("rolled").count() == 0


def test_ranking_prefix_and_case(client, make_article, writer, reviewer, editor):
    """Title matches first; a word's beginning finds it; case is ignored."""
    body_only = make_article(writer, title="Living well", body="Some people notice FATIGUE [@1].")
    in_title = make_article(writer, title="Fatigue and tiredness", body="Rest helps [@1].")
    for article in (body_only, in_title):
        publish(article, writer, reviewer, editor)
    page = found(client, "Fatig")
    assert page.index("Fatigue and tiredness") < page.index("Living well")
    assert "2 results" in page


def test_spanish_with_and_without_accents(client, spanish):  # noqa: F811  (fixture)
    for query in ("metástasis ósea", "metastasis osea", "METÁSTASIS", "huesos"):
        assert spanish.title in found(client, query, "/es"), query
    assert spanish.title not in found(client, "metastasis osea")  # the English pages


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"bone',
        'bone"',
        "bone*",
        "*",
        "NEAR(bone pain)",
        "NEAR bone",
        "bone -pain",
        "-",
        "bone OR pain",
        "NOT bone",
        "bone AND",
        "title:bone",
        "{title summary}: bone",
        "^bone",
        "bone + pain",
        "(bone",
        "'; DROP TABLE articles_search; --",
        "\x00bone",
        "bone " * 200,
        "é" * 500,
    ],
)
def test_fts_syntax_is_never_an_error(client, live_article, query):
    """Quotes, operators, column filters and junk are read as words: never a 500, in the
    page or in the API's ``search`` filter, and the index is intact."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    # (the API refuses a NUL character in any parameter with a 400 naming it)
    assert client.get("/api/v1/articles/", {"search": query}).status_code in (200, 400)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {search_index.TABLE}")
        assert cursor.fetchone()[0] >= 1


def test_operator_words_are_searched_as_words(client, make_article, writer, reviewer, editor):
    """ "near" and "not" are ordinary words of a query."""
    article = make_article(writer, title="Not alone near home", body="Support [@1].")
    publish(article, writer, reviewer, editor)
    assert "Not alone near home" in found(client, "not near")
    assert "Not alone near home" in found(client, '"near')


def test_ensure_restores_triggers_dropped_by_a_table_rebuild(live_article, writer, reviewer):
    """Altering the snapshot table on SQLite rebuilds it, which drops its triggers: the
    ``post_migrate`` hook puts them back and refills the index."""
    snapshot = workflow.live_snapshot(live_article)
    with connection.cursor() as cursor:
        for name in search_index.TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(f"DELETE FROM {search_index.TABLE}")
    assert public.search_articles("bone").count() == 0
    assert search_index.ensure(connection) is True
    assert public.search_articles("bone").count() == 1
    assert search_index.ensure(connection) is False  # nothing to do any more
    PublishedArticle.objects.filter(pk=snapshot.pk).update(title="Renamed in place")
    assert indexed(snapshot.pk)[0][0] == "Renamed in place"
    PublishedArticle.objects.filter(pk=snapshot.pk).delete()
    assert indexed(snapshot.pk) == []
