"""``python manage.py seed_demo [--extra N]``: demo users, topics, trials, images and articles.

Idempotent: running it again changes nothing that is already there. Trials are loaded from
ClinicalTrials.gov v2 study records in ``articles/demo_trials/`` by the importer of
``sync_trials``. The demo's diagrams are drawn by ``articles/demo_images.py`` and stored as
an upload would be; some demo articles show them. Demo articles go through the real workflow
(a writer writes, a clinical reviewer approves, an editor publishes); two published articles
are then revised and left in review, so the demo shows a live version alongside a pending
update. Spanish translations of some of them (``demo_content.TRANSLATIONS``) go through the
same workflow, approved by the demo reviewer who reviews in Spanish; then one English source
is revised and published again (``demo_content.SOURCE_UPDATES``), so its translation is out
of date. ``--extra N`` bulk-loads N synthetic published articles for benchmarks.
"""

import functools
import io
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test.utils import override_settings
from tqdm import tqdm

from articles import demo_content, demo_images
from articles.ctgov.sources import studies_from_path
from articles.ctgov.sync import sync_many
from articles.demo_synthetic import SyntheticBatch
from articles.images.renditions import store_image
from articles.models import (
    Article,
    ClinicalTrial,
    Image,
    ImageLicense,
    Reference,
    Topic,
)
from articles.services import save_topic, save_trial
from reviews import quality, workflow
from reviews.models import ReviewerProfile
from reviews.profiles import save_reviewer_profile, verify_credentials

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
        "languages": ["en"],
        "disclosure": "Has received speaker fees from two pharmaceutical companies that make "
        "breast cancer medicines (2024). No other interests declared.",
        "verification_note": "GMC register, 7012345: full registration with a licence to "
        "practise; on the specialist register for medical oncology.",
    },
    "reviewer2": {
        "display_name": "Dr Lukas Brenner",
        "credentials": "MD, PhD",
        "specialty": "Clinical oncology and radiotherapy",
        "institution": "Northgate University Hospital",
        "languages": ["en", "es"],
        "disclosure": "None declared.",
        "verification_note": "GMC register, 7098765: full registration with a licence to "
        "practise; on the specialist register for clinical oncology.",
    },
}
# The demo trials' ClinicalTrials.gov v2 study records, loaded as sync_trials --from-file would.
DEMO_TRIALS = Path(demo_content.__file__).resolve().parent / "demo_trials"
REVISED_IN_REVIEW = 2
REVISION_NOTE = (
    "\n\n## Questions to ask your care team\n\n"
    "- What is the goal of this treatment for me?\n"
    "- Which side effects should I report straight away?\n"
    "- How will we know if the treatment is working?\n"
)
# The plain-language gate's grade (Flesch-Kincaid) is a formula for English: on a translation
# it can warn about text that reads easily in its own language, and the reviewer says so.
TRANSLATION_OVERRIDE = (
    "Translation: the reading grade is an English formula and overstates Spanish text; the "
    "sentences are short and the words everyday, as in the approved English source."
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
        images = self.seed_images(users["editor"])
        # The demo's own reviews would otherwise print a screenful of notification e-mails.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            created = self.seed_articles(users, topics, trials, images)
            translated = self.seed_translations(users, topics, trials, images)
            self.update_sources(users)
        translations = Article.objects.filter(translation_of__isnull=False).count()
        self.stdout.write(
            f"Demo content: {len(topics)} topics, {len(trials)} trials, {len(images)} images, "
            f"{Article.objects.count()} articles, {translations} of them translations "
            f"({created + translated} new)."
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
        # Every demo user has the same password: hash it once, not once per user (at the
        # production hasher's cost that is most of a second each).
        demo_hash = functools.cache(lambda: make_password(settings.DEMO_PASSWORD))
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
                user.password = demo_hash()
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
            admin.password = demo_hash()
            admin.save()
        users["admin"] = admin
        for username, values in REVIEWER_PROFILES.items():
            identity = {key: value for key, value in values.items() if key != "verification_note"}
            profile, _ = ReviewerProfile.objects.get_or_create(
                user=users[username], defaults=identity
            )
            self.add_review_languages(profile, values["languages"], users["editor"])
            if profile.credentials_verified_at is None:
                verify_credentials(
                    profile=profile, editor=users["editor"], note=values["verification_note"]
                )
        return users

    def add_review_languages(self, profile: ReviewerProfile, languages: list[str], editor) -> None:
        """Give a demo profile seeded before translations the languages it now reviews in,
        as an editor's edit of the profile (a version with its user and comment)."""
        missing = [code for code in languages if code not in profile.languages]
        if not missing:
            return
        stored = ReviewerProfile.objects.get(pk=profile.pk)
        profile.languages = [*profile.languages, *missing]
        with transaction.atomic(), reversion.create_revision():
            save_reviewer_profile(profile=profile, stored=stored, user=editor)
            reversion.set_user(editor)
            reversion.set_comment(f"Reviews in {', '.join(missing)} too (seed_demo).")

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
        """The demo trials, from their v2 study records by the importer of ``sync_trials``,
        with the editors' plain-language eligibility added once."""
        trials: dict[str, ClinicalTrial] = {}
        for result in sync_many(studies_from_path(DEMO_TRIALS)):
            if result.failed:
                raise CommandError(f"Demo trial {result.describe()}")
            trial = result.trial
            summary = demo_content.TRIAL_ELIGIBILITY_SUMMARIES.get(trial.nct_id, "")
            if summary and not trial.eligibility_summary:
                trial.eligibility_summary = summary
                trial = save_trial(
                    trial=trial, user=user, comment="Plain-language eligibility by seed_demo."
                )
            trials[trial.nct_id] = trial
        return trials

    # Images --------------------------------------------------------------------------------

    def seed_images(self, user) -> dict[str, Image]:
        """The demo's diagrams, drawn here and stored through the upload pipeline once."""
        images: dict[str, Image] = {}
        for diagram in demo_images.DIAGRAMS:
            image = Image.objects.filter(title=diagram.title, credit=demo_images.CREDIT).first()
            if image is None:
                image = store_image(
                    image=Image(
                        title=diagram.title,
                        alt_text=diagram.alt_text,
                        caption=diagram.caption,
                        credit=demo_images.CREDIT,
                        license=ImageLicense.OWN_WORK,
                        rights_holder=demo_images.CREDIT,
                    ),
                    user=user,
                    upload=io.BytesIO(diagram.png()),
                    comment="Drawn by seed_demo.",
                )
            images[diagram.key] = image
        return images

    # Articles ------------------------------------------------------------------------------

    def seed_articles(self, users: dict, topics: dict, trials: dict, images: dict) -> int:
        reviewers = [users["reviewer"], users["reviewer2"]]
        new: list[tuple[Article, dict]] = []
        for data in demo_content.ARTICLES:
            if Article.objects.filter(slug=data["slug"]).exists():
                continue
            new.append((self.write_article(data, users, topics, trials, images), data))
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

    def write_article(
        self,
        data: dict,
        users: dict,
        topics: dict,
        trials: dict,
        images: dict,
        *,
        translation_of: Article | None = None,
        source_version: int | None = None,
        comment: str = "First draft.",
    ) -> Article:
        author = users[data["author"]]
        ids = {key: image.pk for key, image in images.items()}
        lead = data.get("lead_image")
        article = Article(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            body=demo_images.with_image_ids(data["body"], ids),
            lead_image=images[lead] if lead else None,
            audience=data["audience"],
            language=data.get("language", "en"),
            translation_of=translation_of,
            source_version=source_version,
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
            article=article, user=author, comment=comment, save_related=save_related
        )

    def publish_through_workflow(
        self, article: Article, users: dict, reviewer, comment: str = ""
    ) -> None:
        if reviewer.pk in workflow.contributors_since_last_live(article):
            reviewer = users["reviewer2"] if reviewer == users["reviewer"] else users["reviewer"]
        author = article.authors.first() or users["writer"]
        workflow.submit(article=article, user=author)
        override = ""
        if article.translation_of_id is not None and quality.warnings(article):
            override = TRANSLATION_OVERRIDE
        workflow.approve(
            article=article,
            user=reviewer,
            comment=comment or "Accurate and clear; approved for patients.",
            override_reason=override,
        )
        workflow.publish(article=article, user=users["editor"])

    def revise_and_submit(self, article: Article, writer) -> None:
        article.refresh_from_db()
        article.body = article.body.rstrip() + REVISION_NOTE
        workflow.save_working_copy(
            article=article, user=writer, comment="Added questions to ask the care team."
        )
        workflow.submit(article=article, user=writer, comment="Small addition for patients.")

    # Translations ---------------------------------------------------------------------------

    def seed_translations(self, users: dict, topics: dict, trials: dict, images: dict) -> int:
        """The demo translations not yet there, each made from its source's live version and
        published through the workflow, approved by a demo reviewer of its language."""
        sources = {data["slug"]: data for data in demo_content.ARTICLES}
        created = 0
        for data in demo_content.TRANSLATIONS:
            if Article.objects.filter(slug=data["slug"]).exists():
                continue
            source = Article.objects.get(slug=data["source"])
            live = workflow.live_snapshot(source)
            if live is None:
                raise CommandError(f"The source of {data['slug']}, {source.slug}, is not live.")
            # What a translation does not give is its source's: the same audience, topics,
            # trials, images and citations. The other audience's version stays English-only.
            merged = {**sources[source.slug], **data, "counterpart": None}
            article = self.write_article(
                merged,
                users,
                topics,
                trials,
                images,
                translation_of=source,
                source_version=live.version,
                comment=f"Translation of version {live.version} of {source.slug}.",
            )
            self.publish_through_workflow(
                article,
                users,
                self.reviewer_in(data["language"], users),
                comment="Faithful to the English source, accurate and clear; approved for "
                "patients.",
            )
            created += 1
        return created

    def reviewer_in(self, language: str, users: dict):
        """The first demo reviewer whose profile lists ``language``."""
        for username in REVIEWER_PROFILES:
            if language in ReviewerProfile.objects.get(user=users[username]).languages:
                return users[username]
        raise CommandError(f"No demo reviewer reviews in {language}.")

    def update_sources(self, users: dict) -> None:
        """Revise, review and publish again each English source of ``SOURCE_UPDATES`` whose
        live version is its working copy and lacks the addition, leaving its translations
        made from the version before out of date."""
        for change in demo_content.SOURCE_UPDATES:
            article = Article.objects.get(slug=change["slug"])
            live = workflow.live_snapshot(article)
            if (
                live is None
                or live.version != article.version
                or change["addition"].strip() in article.body
                or change["after"] not in article.body
            ):
                continue
            author = users[change["author"]]
            article.body = article.body.replace(
                change["after"], change["after"] + change["addition"], 1
            )
            workflow.save_working_copy(article=article, user=author, comment=change["comment"])
            workflow.submit(article=article, user=author, comment=change["comment"])
            contributors = workflow.contributors_since_last_live(article)
            reviewer = next(
                users[username]
                for username in REVIEWER_PROFILES
                if users[username].pk not in contributors
            )
            workflow.approve(
                article=article, user=reviewer, comment="Accurate; approved for patients."
            )
            workflow.publish(
                article=article, user=users["editor"], change_note=change["change_note"]
            )

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
