"""Synthetic published articles for benchmarks (``seed_demo --extra N``), bulk-inserted with
the same records the workflow writes: version 1 in django-reversion, the writer's submission,
a demo clinical reviewer's approval of the exact content (its digest) and the editor's
publication in the audit trail, and a snapshot serving that content. So ``verify_signoff``
holds on a benchmark database, and 10,000 articles load in well under a minute."""

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.utils import timezone
from reversion.models import Revision, Version

from reviews.models import AuditEntry, Review
from reviews.states import State
from reviews.workflow import add_months

from .models import ARTICLE_VERSIONED_FIELDS, Article, ArticleRevision, PublishedArticle, Topic
from .rendering import html_to_text, render_markdown
from .snapshots import content_digest, new_snapshot, person_name


class SyntheticBatch:
    """One transaction's worth of synthetic published articles, written with bulk inserts."""

    def __init__(self, users: dict, leaf_topics: list[Topic]) -> None:
        self.writer, self.reviewer, self.editor = (
            users["writer"],
            users["reviewer"],
            users["editor"],
        )
        self.byline = self.reviewer.reviewer_profile.as_byline()
        self.leaf_topics = leaf_topics
        self.bodies = [render_markdown(body) for body in SYNTHETIC_BODIES]
        self.article_type = ContentType.objects.get_for_model(Article)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.review_due = add_months(self.today, 12)

    def content(self, n: int, article: Article) -> dict:
        """What readers are shown of synthetic article ``n``: the canonical sign-off content."""
        body = self.bodies[n % len(self.bodies)]
        return {
            "title": article.title,
            "summary": article.summary,
            "audience": article.audience,
            "language": article.language,
            "body_html": body.html,
            "body_text": html_to_text(body.html),
            "toc": body.toc,
            "references": [],
            "counterpart_id": None,
            "authors": [person_name(self.writer)],
            "related_trials": [],
            "images": [],
            "lead_image": None,
            "translation_of_id": None,
            "source_version": None,
        }

    def insert(self, numbers: range) -> None:
        articles = Article.objects.bulk_create([self.article(n) for n in numbers])
        contents = {
            article.pk: self.content(n, article)
            for n, article in zip(numbers, articles, strict=True)
        }
        chosen = {
            a.pk: self.leaf_topics[i % len(self.leaf_topics)]
            for i, a in zip(numbers, articles, strict=True)
        }
        self.link(articles, chosen)
        self.version(articles)
        self.review(articles, contents)
        self.publish(articles, contents, chosen)

    def article(self, n: int) -> Article:
        return Article(
            title=f"Synthetic article {n}: living well with treatment",
            slug=f"synthetic-article-{n}",
            summary=f"Synthetic demo article number {n}, for load testing.",
            body=SYNTHETIC_BODIES[n % len(SYNTHETIC_BODIES)],
            audience="patient" if n % 3 else "professional",
            version=1,
            state=State.APPROVED,
            last_reviewed=self.today,
            next_review_due=self.review_due,
            created_by=self.writer,
        )

    def publish(self, articles: list[Article], contents: dict, chosen: dict) -> None:
        """The live snapshot of each article, serving exactly the content approved."""
        snapshots = PublishedArticle.objects.bulk_create(
            [
                new_snapshot(
                    article=article,
                    content=contents[article.pk],
                    byline=self.byline,
                    approved_at=self.now,
                    user=self.editor,
                    go_live_at=self.now,
                    first_published_at=self.now,
                    change_note="First published.",
                )
                for article in articles
            ]
        )
        snapshot_links = PublishedArticle.topics.through
        snapshot_links.objects.bulk_create(
            [
                snapshot_links(publishedarticle_id=s.pk, topic_id=chosen[s.article_id].pk)
                for s in snapshots
            ]
        )

    def link(self, articles: list[Article], chosen: dict) -> None:
        topic_links = Article.topics.through
        author_links = Article.authors.through
        topic_links.objects.bulk_create(
            [topic_links(article_id=a.pk, topic_id=chosen[a.pk].pk) for a in articles]
        )
        author_links.objects.bulk_create(
            [author_links(article_id=a.pk, user_id=self.writer.pk) for a in articles]
        )

    def version(self, articles: list[Article]) -> None:
        """Version 1 of each article, as django-reversion and ArticleRevision record it."""
        revisions = Revision.objects.bulk_create(
            [
                Revision(date_created=self.now, user=self.writer, comment="Synthetic article.")
                for _ in articles
            ]
        )
        Version.objects.bulk_create(
            [
                Version(
                    revision=revision,
                    object_id=str(article.pk),
                    content_type=self.article_type,
                    db="default",
                    format="json",
                    serialized_data=serializers.serialize(
                        "json", [article], fields=ARTICLE_VERSIONED_FIELDS
                    ),
                    object_repr=article.title[:191],
                )
                for article, revision in zip(articles, revisions, strict=True)
            ]
        )
        ArticleRevision.objects.bulk_create(
            [
                ArticleRevision(revision=revision, article=article, version=1)
                for article, revision in zip(articles, revisions, strict=True)
            ]
        )

    def review(self, articles: list[Article], contents: dict) -> None:
        """The writer's submission, the demo reviewer's approval of the exact content, and the
        editor's publication, each with its audit entry."""
        digests = {pk: content_digest(content) for pk, content in contents.items()}
        Review.objects.bulk_create(
            [
                Review(
                    article=article,
                    version=1,
                    status=Review.Status.PUBLISHED,
                    submitted_by=self.writer,
                    submitted_at=self.now,
                    reviewer=self.reviewer,
                    reviewer_byline=self.byline,
                    reviewer_languages=list(self.reviewer.reviewer_profile.languages or []),
                    decided_at=self.now,
                    comment="Synthetic approval.",
                    digest=digests[article.pk],
                )
                for article in articles
            ]
        )
        steps = [
            ("submit", self.writer, "draft", "in_review", False),
            ("approve", self.reviewer, "in_review", "approved", True),
            ("publish", self.editor, "approved", "approved", True),
        ]
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    article=article,
                    action=action,
                    user=user,
                    at=self.now,
                    version=1,
                    from_state=from_state,
                    to_state=to_state,
                    comment="Synthetic article.",
                    digest=digests[article.pk] if signed else "",
                )
                for article in articles
                for action, user, from_state, to_state, signed in steps
            ]
        )


SYNTHETIC_BODIES = [
    "## What this covers\n\nThis synthetic page stands in for a real article during load "
    "tests. It has a few headings and paragraphs of ordinary length.\n\n## Living with "
    "treatment\n\nMany people keep working and doing the things they enjoy while they have "
    "treatment. Tell your care team about side effects early.\n\n## Getting support\n\n"
    "Support groups, counselling and palliative care teams can help at any stage.",
    "## Overview\n\nThis is filler text for performance testing, written to resemble a patient "
    "page.\n\n- Short sentences.\n- Plain words.\n- Clear headings.\n\n## Next steps\n\n"
    "Write down your questions before each appointment and bring someone with you if you can.",
]
