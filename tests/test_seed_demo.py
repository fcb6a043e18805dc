"""seed_demo: idempotent, complete demo content that went through the workflow."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from reversion.models import Version

from articles.models import (
    REFERENCE_CONTENT_FIELDS,
    Article,
    ClinicalTrial,
    PublishedArticle,
    Reference,
    Topic,
)
from reviews import quality
from reviews.models import AuditEntry, Review, ReviewerProfile

pytestmark = pytest.mark.django_db

REQUIRED_TOPICS = {
    "metastasis": {"bone-metastases", "lung-metastases", "liver-metastases", "brain-metastases"},
    "treatments": {
        "endocrine-therapy",
        "chemotherapy",
        "her2-targeted-therapy",
        "immunotherapy",
        "radiotherapy",
        "surgery",
        "supportive-and-palliative-care",
    },
    "diagnosis": set(),
    "subtypes": set(),
    "clinical-trials": set(),
    "living-with-metastatic-breast-cancer": set(),
}
REQUIRED_TERMS = [
    "stage IV",
    "de novo",
    "bone",
    "lung",
    "liver",
    "brain",
    "jaundice",
    "seizure",
    "cough",
    "fracture",
    "tumour marker",
    "CT",
    "PET",
    "MRI",
    "bone scan",
    "biopsy",
    "hormone-receptor-positive",
    "HER2-positive",
    "triple-negative",
    "tamoxifen",
    "letrozole",
    "anastrozole",
    "fulvestrant",
    "palbociclib",
    "ribociclib",
    "abemaciclib",
    "inavolisib",
    "PIK3CA",
    "chemotherapy",
    "trastuzumab",
    "pertuzumab",
    "trastuzumab deruxtecan",
    "lapatinib",
    "pembrolizumab",
    "radiotherapy",
    "surgery",
    "palliative",
    "nutrition",
    "counselling",
    "support group",
    "phase",
    "eligib",
    "withdraw",
    "ClinicalTrials.gov",
    "NCT",
]


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Article,
            Topic,
            ClinicalTrial,
            Reference,
            PublishedArticle,
            Review,
            AuditEntry,
            Version,
            ReviewerProfile,
            get_user_model(),
        )
    }


def test_seed_demo_is_idempotent():
    """Running seed_demo twice creates nothing the second time."""
    seed()
    first = counts()
    output = seed()
    assert counts() == first
    assert "0 new" in output


def test_seed_demo_content_covers_the_domain():
    """Topics, 12+ referenced articles covering every domain item, 3+ trials, all users."""
    output = seed()
    for parent, children in REQUIRED_TOPICS.items():
        topic = Topic.objects.get(slug=parent)
        assert children <= set(topic.children.values_list("slug", flat=True))
    articles = Article.objects.all()
    assert articles.count() >= 12
    for article in articles:
        assert article.references.count() >= 2, article.slug
    corpus = " ".join(f"{a.title} {a.summary} {a.body}" for a in articles).lower()
    missing = [term for term in REQUIRED_TERMS if term.lower() not in corpus]
    assert not missing
    her2 = Article.objects.filter(title__icontains="HER2", audience="patient").first()
    assert "trastuzumab" in her2.body.lower()
    assert ClinicalTrial.objects.count() >= 3
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert {"writer", "writer2", "reviewer", "reviewer2", "editor", "admin"} <= usernames
    demo_profiles = ReviewerProfile.objects.filter(user__username__in=["reviewer", "reviewer2"])
    assert demo_profiles.count() == 2
    for profile in demo_profiles:
        assert profile.credentials_verified_by.username == "editor"
        assert profile.credentials_verified_at is not None
        assert "register" in profile.verification_note
    assert get_user_model().objects.get(username="admin").is_superuser
    assert "password" in output


def test_demo_articles_published_through_workflow():
    """Every demo article is live after writer, reviewer and editor steps; two are in review."""
    seed()
    for article in Article.objects.all():
        assert PublishedArticle.objects.live().filter(article=article).exists()
        actions = list(article.audit_entries.order_by("at", "pk").values_list("action", flat=True))
        assert actions[:3] == ["submit", "approve", "publish"]
        approvals = article.audit_entries.filter(action="approve")
        assert approvals.exists()
        for approval in approvals:
            assert approval.user.username in {"reviewer", "reviewer2"}
            assert not article.authors.filter(pk=approval.user_id).exists()
    assert Article.objects.filter(state="in_review").count() == 2


TRANSLATED_SOURCES = {
    "what-is-metastatic-breast-cancer",
    "bone-metastases",
    "her2-targeted-therapy",
    "clinical-trials-explained",
}


def references_of(article: Article) -> list[tuple]:
    return list(article.references.order_by("position").values_list(*REFERENCE_CONTENT_FIELDS))


def shown_images(article: Article) -> set[int]:
    return ({image["id"] for image in article.images} | {article.lead_image_id}) - {None}


def test_demo_translations_are_spanish_and_signed_off_in_spanish():
    """Spanish translations of the four required articles (and one more) are live, made from
    their source's live version with its structure, citations and images, written by a demo
    writer and approved by a verified reviewer who reviews in Spanish; verify_signoff holds."""
    seed()
    translations = Article.objects.filter(translation_of__isnull=False).select_related(
        "translation_of"
    )
    assert {article.translation_of.slug for article in translations} > TRANSLATED_SOURCES
    for article in translations:
        source = article.translation_of
        assert (article.language, source.language) == ("es", "en"), article.slug
        assert article.slug != source.slug and "ñ" not in article.slug
        assert article.title != source.title and article.summary != source.summary
        assert article.state == "approved" and article.source_version is not None
        live = PublishedArticle.objects.live().get(article=article)
        assert (live.version, live.language, live.slug) == (article.version, "es", article.slug)
        source_live = PublishedArticle.objects.live().get(article=source)
        assert article.source_version <= source_live.version
        assert len(live.toc) == len(source_live.toc), article.slug
        assert set(re.findall(r"\[@\d+\]", article.body)) == set(
            re.findall(r"\[@\d+\]", source.body)
        ), article.slug
        assert references_of(article) == references_of(source)
        assert set(article.topics.all()) == set(source.topics.all())
        assert set(article.related_trials.all()) == set(source.related_trials.all())
        assert (article.audience, article.counterpart) == (source.audience, None)
        assert shown_images(article) == shown_images(source), article.slug
        assert not quality.long_sentences(article.body), article.slug
        assert {author.username for author in article.authors.all()} <= {"writer", "writer2"}
        review = article.reviews.get()
        profile = review.reviewer.reviewer_profile
        assert "es" in profile.languages and profile.credentials_verified_at is not None
        assert not article.authors.filter(pk=review.reviewer_id).exists()
        approval = article.audit_entries.get(action="approve")
        assert (approval.user_id, approval.digest) == (review.reviewer_id, live.digest)
    # A figure in a translation speaks Spanish: the writer's alt text and caption.
    live = PublishedArticle.objects.live().filter(article__in=translations)
    figures = [figure for snapshot in live for figure in snapshot.images]
    assert figures and all("receptores" in figure["alt"] for figure in figures)
    assert all(figure["caption"].startswith("Cómo") for figure in figures)
    assert ReviewerProfile.objects.get(user__username="reviewer").languages == ["en"]
    out = io.StringIO()
    call_command("verify_signoff", stdout=out)
    assert out.getvalue().startswith(
        f"Sign-off verified: {PublishedArticle.objects.live().count()} live"
    )


def test_one_demo_translation_is_out_of_date():
    """Exactly one translation was made from a version its source has since replaced: the
    source was revised, approved and published again after the translation went live."""
    seed()
    outdated = [
        article
        for article in Article.objects.filter(translation_of__isnull=False)
        if article.source_version
        < PublishedArticle.objects.live().get(article=article.translation_of).version
    ]
    assert [article.slug for article in outdated] == ["tipos-de-cancer-de-mama"]
    translation = outdated[0]
    source = translation.translation_of
    newest, previous = source.snapshots.order_by("-version")[:2]
    assert (previous.version, newest.version) == (translation.source_version, source.version)
    assert newest.change_note and "PARP" in newest.body_text and "PARP" not in previous.body_text
    assert newest.go_live_at > translation.snapshots.get().go_live_at
    assert source.audit_entries.filter(action="approve").count() == 2
    for article in Article.objects.filter(translation_of__isnull=False).exclude(pk=translation.pk):
        assert article.source_version == article.translation_of.snapshots.live().get().version


def test_seed_demo_adds_spanish_to_a_demo_reviewer_seeded_before_translations():
    """Run on a demo whose second reviewer reviews only English, seed_demo adds Spanish to
    the profile as a recorded edit by the editor, and the profile stays verified."""
    seed()
    profile = ReviewerProfile.objects.get(user__username="reviewer2")
    ReviewerProfile.objects.filter(pk=profile.pk).update(languages=["en"])
    output = seed()
    profile.refresh_from_db()
    assert profile.languages == ["en", "es"]
    assert profile.credentials_verified_at is not None
    latest = Version.objects.get_for_object(profile).first()
    assert latest.revision.user.username == "editor"
    assert "es" in latest.revision.comment
    assert "0 new" in output


def test_demo_users_log_in_with_demo_password(client, settings):
    """The demo users' password is DEMO_PASSWORD."""
    seed()
    for username in ("writer", "reviewer", "editor", "admin"):
        assert client.login(username=username, password=settings.DEMO_PASSWORD)


def test_demo_references_are_well_formed():
    """Every demo reference passes the identifier validators."""
    seed()
    for reference in Reference.objects.all():
        reference.full_clean()
        if reference.nct_id:
            assert re.fullmatch(r"NCT\d{8}", reference.nct_id)


def test_extra_adds_synthetic_published_articles():
    """--extra N adds N live articles, each with a version and a snapshot."""
    seed()
    before = PublishedArticle.objects.live().count()
    seed("--extra", "25")
    assert PublishedArticle.objects.live().count() == before + 25
    synthetic = Article.objects.get(slug="synthetic-article-25")
    assert synthetic.revisions.get().version == 1
    assert synthetic.topics.count() == 1
    seed("--extra", "5")
    assert Article.objects.filter(slug="synthetic-article-30").exists()


def test_demo_trials_are_loaded_by_the_clinicaltrials_gov_importer():
    """The demo's trials come from the bundled v2 study records through the sync (its version
    comment, registry fields filled in), carry the editors' plain-language eligibility, and
    stay linked from the articles that discuss them."""
    seed()
    trials = ClinicalTrial.objects.all()
    assert {trial.nct_id for trial in trials} == {
        path.stem for path in (Path(settings.BASE_DIR) / "articles" / "demo_trials").glob("*.json")
    }
    for trial in trials:
        assert trial.synced_at is not None and trial.sync_warnings == []
        assert trial.sponsor and trial.eligibility_criteria and trial.locations
        assert trial.eligibility_summary
        comments = [v.revision.comment for v in Version.objects.get_for_object(trial)]
        assert "Synced from ClinicalTrials.gov" in comments
    destiny = ClinicalTrial.objects.get(nct_id="NCT03529110")
    assert (destiny.acronym, destiny.overall_status, destiny.phases) == (
        "DESTINY-Breast03",
        "ACTIVE_NOT_RECRUITING",
        ["PHASE3"],
    )
    assert Article.objects.filter(related_trials=destiny).exists()
