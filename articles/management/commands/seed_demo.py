"""``python manage.py seed_demo [--extra N]``: demo users, topics, trials and articles.

Idempotent: running it again changes nothing that is already there. Demo articles go through
the real workflow (a writer writes, a clinical reviewer approves, an editor publishes); two
published articles are then revised and left in review, so the demo shows a live version
alongside a pending update. ``--extra N`` bulk-loads N synthetic published articles for
benchmarks.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from reversion.models import Revision, Version
from tqdm import tqdm

from articles import demo_content
from articles.models import (
    ARTICLE_VERSIONED_FIELDS,
    Article,
    ArticleRevision,
    ClinicalTrial,
    PublishedArticle,
    Reference,
    Topic,
)
from articles.rendering import html_to_text, render_markdown
from articles.services import save_topic, save_trial
from articles.snapshots import content_digest, person_name, snapshot_fields
from reviews import workflow
from reviews.models import AuditEntry, Review, ReviewerProfile

DEMO_USERS = [
    # username, first name, last name, group
    ("writer", "Nadia", "Haddad", settings.WRITERS_GROUP),
    ("writer2", "Tom", "Okonjo", settings.WRITERS_GROUP),
    ("reviewer", "Amara", "Okafor", settings.REVIEWERS_GROUP),
    ("reviewer2", "Lukas", "Brenner", settings.REVIEWERS_GROUP),
    ("editor", "Sofia", "Marchetti", settings.EDITORS_GROUP),
]
REVIEWER_PROFILES = {
    "reviewer": {
        "display_name": "Dr Amara Okafor",
        "credentials": "MD, FRCP",
        "specialty": "Medical oncology",
        "institution": "Riverside Cancer Centre",
        "disclosure": "Has received speaker fees from two pharmaceutical companies that make "
        "breast cancer medicines (2024). No other interests declared.",
    },
    "reviewer2": {
        "display_name": "Dr Lukas Brenner",
        "credentials": "MD, PhD",
        "specialty": "Clinical oncology and radiotherapy",
        "institution": "Northgate University Hospital",
        "disclosure": "None declared.",
    },
}
REVISED_IN_REVIEW = 2
REVISION_NOTE = (
    "\n\n## Questions to ask your care team\n\n"
    "- What is the goal of this treatment for me?\n"
    "- Which side effects should I report straight away?\n"
    "- How will we know if the treatment is working?\n"
)


class Command(BaseCommand):
    help = "Create demo users, topics, trials and published articles (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--extra",
            type=int,
            default=0,
            metavar="N",
            help="Also add N synthetic published articles (for benchmarks).",
        )

    def handle(self, *args, extra: int = 0, **options) -> None:
        if extra < 0:
            self.stderr.write("--extra must be zero or more.")
            return
        users = self.seed_users()
        topics = self.seed_topics(users["admin"])
        trials = self.seed_trials(users["admin"])
        # The demo's own reviews would otherwise print a screenful of notification e-mails.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            created = self.seed_articles(users, topics, trials)
        self.stdout.write(
            f"Demo content: {len(topics)} topics, {len(trials)} trials, "
            f"{Article.objects.count()} articles ({created} new)."
        )
        if extra:
            self.seed_extra(extra, users, topics)
        self.stdout.write(self.style.SUCCESS(self.logins()))

    def logins(self) -> str:
        names = ", ".join([name for name, *_ in DEMO_USERS] + ["admin"])
        return f"Demo logins ({names}); password: {settings.DEMO_PASSWORD}"

    # Users ---------------------------------------------------------------------------------

    def seed_users(self) -> dict:
        User = get_user_model()
        users = {}
        for username, first, last, group_name in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                    "is_staff": True,
                },
            )
            if created:
                user.set_password(settings.DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=group_name))
            users[username] = user
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={
                "email": "admin@example.org",
                "is_staff": True,
                "is_superuser": True,
                "first_name": "Site",
                "last_name": "Administrator",
            },
        )
        if created:
            admin.set_password(settings.DEMO_PASSWORD)
            admin.save()
        users["admin"] = admin
        for username, profile in REVIEWER_PROFILES.items():
            ReviewerProfile.objects.get_or_create(user=users[username], defaults=profile)
        return users

    # Topics and trials ---------------------------------------------------------------------

    def seed_topics(self, user) -> dict[str, Topic]:
        topics: dict[str, Topic] = {}

        def ensure(data: dict, parent: Topic | None, position: int) -> Topic:
            topic = Topic.objects.filter(slug=data["slug"]).first()
            if topic is None:
                topic = save_topic(
                    topic=Topic(
                        slug=data["slug"],
                        name=data["name"],
                        description=data.get("description", ""),
                        parent=parent,
                        position=position,
                    ),
                    user=user,
                    comment="Created by seed_demo.",
                )
            return topic

        for position, data in enumerate(demo_content.TOPICS):
            parent = ensure(data, None, position)
            topics[parent.slug] = parent
            for child_position, child in enumerate(data.get("children", [])):
                topics[child["slug"]] = ensure(child, parent, child_position)
        return topics

    def seed_trials(self, user) -> dict[str, ClinicalTrial]:
        trials: dict[str, ClinicalTrial] = {}
        for data in demo_content.TRIALS:
            trial = ClinicalTrial.objects.filter(nct_id=data["nct_id"]).first()
            if trial is None:
                values = dict(data)
                values["last_verified"] = date.fromisoformat(values["last_verified"])
                trial = save_trial(
                    trial=ClinicalTrial(**values), user=user, comment="Created by seed_demo."
                )
            trials[trial.nct_id] = trial
        return trials

    # Articles ------------------------------------------------------------------------------

    def seed_articles(self, users: dict, topics: dict, trials: dict) -> int:
        reviewers = [users["reviewer"], users["reviewer2"]]
        new: list[tuple[Article, dict]] = []
        for data in demo_content.ARTICLES:
            if Article.objects.filter(slug=data["slug"]).exists():
                continue
            new.append((self.write_article(data, users, topics, trials), data))
        by_slug = {article.slug: article for article, _ in new}
        for article, data in new:
            counterpart = data.get("counterpart")
            if counterpart and counterpart in by_slug:
                article.counterpart = by_slug[counterpart]
                workflow.save_working_copy(
                    article=article,
                    user=users[data["author"]],
                    comment="Linked the version for the other audience.",
                )
        for index, (article, _data) in enumerate(new):
            self.publish_through_workflow(article, users, reviewers[index % 2])
        for article, _data in new[-REVISED_IN_REVIEW:] if new else []:
            self.revise_and_submit(article, users["writer2"])
        return len(new)

    def write_article(self, data: dict, users: dict, topics: dict, trials: dict) -> Article:
        author = users[data["author"]]
        article = Article(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            body=data["body"],
            audience=data["audience"],
            review_interval_months=data.get("review_interval_months", 12),
        )

        def save_related(saved: Article) -> None:
            saved.topics.set([topics[slug] for slug in data["topics"]])
            saved.authors.set([author])
            saved.related_trials.set([trials[nct] for nct in data.get("related_trials", [])])
            for position, ref in enumerate(data["references"], start=1):
                reference = Reference(article=saved, position=position, **ref)
                reference.full_clean()
                reference.save()

        return workflow.save_working_copy(
            article=article, user=author, comment="First draft.", save_related=save_related
        )

    def publish_through_workflow(self, article: Article, users: dict, reviewer) -> None:
        if reviewer.pk in workflow.contributors_since_last_live(article):
            reviewer = users["reviewer2"] if reviewer == users["reviewer"] else users["reviewer"]
        author = article.authors.first() or users["writer"]
        workflow.submit(article=article, user=author)
        workflow.approve(
            article=article, user=reviewer, comment="Accurate and clear; approved for patients."
        )
        workflow.publish(article=article, user=users["editor"])

    def revise_and_submit(self, article: Article, writer) -> None:
        article.refresh_from_db()
        article.body = article.body.rstrip() + REVISION_NOTE
        workflow.save_working_copy(
            article=article, user=writer, comment="Added questions to ask the care team."
        )
        workflow.submit(article=article, user=writer, comment="Small addition for patients.")

    # Synthetic articles for benchmarks -----------------------------------------------------

    def seed_extra(self, count: int, users: dict, topics: dict) -> None:
        """Bulk-insert ``count`` published articles, each with one version, its review,
        approval and publication in the audit trail, and a snapshot carrying the approved
        digest: the same records the workflow writes, so ``verify_signoff`` holds."""
        leaf_topics = [topic for topic in topics.values() if topic.parent_id]
        start = Article.objects.filter(slug__startswith="synthetic-article-").count() + 1
        batch_size = 500
        with tqdm(total=count, desc="Synthetic articles", unit="article") as progress:
            for offset in range(0, count, batch_size):
                size = min(batch_size, count - offset)
                numbers = range(start + offset, start + offset + size)
                with transaction.atomic():
                    SyntheticBatch(users, leaf_topics).insert(numbers)
                progress.update(size)


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
        self.review_due = workflow.add_months(self.today, 12)

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
        }

    def insert(self, numbers: range) -> None:
        articles = Article.objects.bulk_create(
            [
                Article(
                    title=f"Synthetic article {n}: living well with treatment",
                    slug=f"synthetic-article-{n}",
                    summary=f"Synthetic demo article number {n}, for load testing.",
                    body=SYNTHETIC_BODIES[n % len(SYNTHETIC_BODIES)],
                    audience="patient" if n % 3 else "professional",
                    version=1,
                    state=workflow.State.APPROVED,
                    last_reviewed=self.today,
                    next_review_due=self.review_due,
                    created_by=self.writer,
                )
                for n in numbers
            ]
        )
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
        snapshots = PublishedArticle.objects.bulk_create(
            [
                PublishedArticle(
                    article=article,
                    version=1,
                    slug=article.slug,
                    **snapshot_fields(contents[article.pk]),
                    reviewed_by=self.byline,
                    reviewed_at=self.now,
                    last_reviewed=self.today,
                    next_review_due=self.review_due,
                    first_published_at=self.now,
                    go_live_at=self.now,
                    change_note="First published.",
                    published_by=self.editor,
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
