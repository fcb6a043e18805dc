"""The "evidence changed" queue and the workflow panel's list of trial changes in a real
browser: the changes are shown, and axe-core finds no serious or critical violation."""

import pytest
from django.utils import timezone

from articles.models import ClinicalTrial, TrialChange
from reviews import evidence
from tests.browser.conftest import log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def flagged_article(demo_site):
    """A demo article citing NCT02819518, flagged as a sync would flag it: the trial completed
    and its eligibility text changed."""
    trial = ClinicalTrial.objects.get(nct_id="NCT02819518")
    now = timezone.now()
    changes = [
        TrialChange.objects.create(
            trial=trial, field=field, old_value=old, new_value=new, changed_at=now
        )
        for field, old, new in [
            ("overall_status", "ACTIVE_NOT_RECRUITING", "COMPLETED"),
            ("eligibility_criteria", "Inclusion: adults.", "Inclusion: adults aged 18 or over."),
        ]
    ]
    [article, *_] = evidence.flag_citing_articles(trial, changes)
    return article


def test_evidence_queue_and_panel_pass_axe(demo_site, flagged_article, page):
    """A clinical reviewer's evidence queue and the flagged article's change and review pages
    show the trial changes; the queue and the review page (whose workflow panel is the change
    page's) have no serious or critical WCAG 2.2 AA violation."""
    log_in(page, demo_site.url, "reviewer2")
    pages = {
        "evidence queue": "/admin/articles/article/evidence/",
        "change page": f"/admin/articles/article/{flagged_article.pk}/change/",
        "review page": f"/admin/articles/article/{flagged_article.pk}/review/",
    }
    problems = []
    for name, path in pages.items():
        response = page.goto(demo_site.url + path)
        assert response.status == 200, name
        assert page.get_by_text("overall status Active, not recruiting → Completed").count() >= 1
        page.get_by_text("Old and new text").first.click()
        assert page.get_by_text("Inclusion: adults aged 18 or over.").first.is_visible(), name
        if name != "change page":  # Django's own form widgets there are not ours to fix
            problems += serious_violations(page, name)
    assert not problems, "\n".join(problems)
