"""An editor withdraws and verifies a reviewer's credentials in a real browser; the page passes
axe-core."""

import pytest
from playwright.sync_api import expect

from reviews.models import ReviewerProfile
from tests.browser.conftest import log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def reviewer2_profile_id(demo_site):
    """Read before the browser starts (see the browser conftest)."""
    return ReviewerProfile.objects.get(user__username="reviewer2").pk


def test_editor_withdraws_and_verifies_credentials(demo_site, reviewer2_profile_id, page):
    """Signed in as the demo editor: the credentials page has no serious axe violation; the
    revoke and verify forms work with the admin's CSRF protection and show the outcome."""
    log_in(page, demo_site.url, "editor")
    change_url = f"{demo_site.url}/admin/reviews/reviewerprofile/{reviewer2_profile_id}/change/"
    page.goto(change_url)
    page.click("text=Credentials verified: review")
    expect(page.locator("#content-main")).to_contain_text("Verified on")
    assert serious_violations(page, "credentials page") == []
    page.fill("#id_reason", "Registration under review by the regulator.")
    page.click("button:has-text('Withdraw the verification')")
    expect(page.locator("body")).to_contain_text("Verification withdrawn.")
    expect(page.locator("body")).to_contain_text("Not verified")
    page.click("a:has-text('Verify credentials')")
    page.fill("#id_note", "GMC register, 7098765, licensed to practise.")
    page.click("button:has-text('Verify credentials')")
    expect(page.locator("body")).to_contain_text("Credentials verified.")
    expect(page.locator("body")).to_contain_text(
        "by editor: GMC register, 7098765, licensed to practise."
    )
