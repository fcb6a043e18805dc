"""Give snapshots and approvals recorded before sign-off digests existed their digests.

A snapshot's digest is computed from what it serves. An approval that was published takes the
digest of the snapshot of its version; one approved but not yet published takes the digest of
the working copy, which cannot have changed since (any edit withdraws an approval). Approval
audit entries take their review's digest. On a new database there is nothing to fill.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    # The sign-off rules live in articles.snapshots and read the current models; on a new
    # database (the usual case for running this later) no row exists and nothing runs.
    PublishedArticle = apps.get_model("articles", "PublishedArticle")
    Review = apps.get_model("reviews", "Review")
    AuditEntry = apps.get_model("reviews", "AuditEntry")
    if not (PublishedArticle.objects.exists() or Review.objects.exists()):
        return
    from articles import models as current
    from articles import snapshots

    for snapshot in current.PublishedArticle.objects.filter(digest="").prefetch_related(
        "related_trials"
    ):
        snapshot.digest = snapshots.content_digest(snapshots.snapshot_content(snapshot))
        snapshot.save(update_fields=["digest"])
    digests = {
        (article_id, version): digest
        for article_id, version, digest in PublishedArticle.objects.values_list(
            "article_id", "version", "digest"
        )
    }
    for review in Review.objects.filter(digest="", status__in=["approved", "published"]):
        digest = digests.get((review.article_id, review.version))
        if digest is None and review.status == "approved":
            article = current.Article.objects.get(pk=review.article_id)
            if article.version == review.version:
                digest = snapshots.article_digest(article)
        if digest:
            review.digest = digest
            review.save(update_fields=["digest"])
            AuditEntry.objects.filter(
                article_id=review.article_id,
                version=review.version,
                action__in=["approve", "publish"],
                digest="",
            ).update(digest=digest)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0006_signoff_digest"),
        ("articles", "0008_signoff_digest"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
