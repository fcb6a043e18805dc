"""seed_demo: idempotent, complete demo content that went through the workflow."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from reversion.models import Version

from articles.models import Article, ClinicalTrial, PublishedArticle, Reference, Topic
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
        approval = article.audit_entries.get(action="approve")
        assert approval.user.username in {"reviewer", "reviewer2"}
        assert not article.authors.filter(pk=approval.user_id).exists()
    assert Article.objects.filter(state="in_review").count() == 2


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
