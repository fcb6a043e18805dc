"""The editorial dashboard (/admin/dashboard/) and its review log: every number checked against
a known set of articles, reviews and feedback made through the workflow at fixed dates; who may
see it; the CSV and its escaping; the query budget; no inline style or script."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from articles.choices import Audience
from articles.models import Article, Feedback, PublishedArticle
from reviews import workflow
from reviews.dashboard import metrics
from reviews.dashboard.review_log import csv_safe
from reviews.models import Review
from tests.admin_client import AdminSession
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# The moment the dashboard reports on: its 12 months run from July 2025 to June 2026.
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
DASHBOARD = "/admin/dashboard/"
REVIEW_LOG = "/admin/dashboard/review-log.csv"
MONTHS = [datetime.date(2025 + (6 + i) // 12, (6 + i) % 12 + 1, 1) for i in range(12)]


def at(year, month, day, hour=0, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


class Site:
    """The known site: who did what, when, through the workflow services."""

    def __init__(self, freeze, make_article, writer, reviewer, editor):
        self.freeze, self.make_article = freeze, make_article
        self.writer, self.reviewer, self.editor = writer, reviewer, editor

    def write(self, when, title, **fields):
        self.freeze(when)
        return self.make_article(self.writer, title=title, **fields)

    def submit(self, article, when):
        self.freeze(when)
        return workflow.submit(article=Article.objects.get(pk=article.pk), user=self.writer)

    def approve(self, article, when):
        self.freeze(when)
        return workflow.approve(article=Article.objects.get(pk=article.pk), user=self.reviewer)

    def request_changes(self, article, when):
        self.freeze(when)
        return workflow.request_changes(
            article=Article.objects.get(pk=article.pk), user=self.reviewer, comment="Fix it."
        )

    def publish(self, article, when, publish_at=None):
        self.freeze(when)
        article = Article.objects.get(pk=article.pk)
        note = "Updated." if article.snapshots.exists() else ""
        return workflow.publish(
            article=article, user=self.editor, publish_at=publish_at, change_note=note
        )

    def edit(self, article, when, text="\n\nOne more sentence."):
        self.freeze(when)
        article = Article.objects.get(pk=article.pk)
        article.body += text
        return workflow.save_working_copy(article=article, user=self.writer)


@pytest.fixture
def known_site(freeze_time, make_article, writer, reviewer, reviewer2, editor):
    """Ten articles with a history spread over 13 months, and reader feedback.

    Approvals (days from request to approval): May 2025 Alpha v1 (outside the 12 months);
    Jan 2026 Alpha v2 4.0; Feb Juliet 3.5; Mar Bravo 2.0 and Charlie 10.0; May Delta 1.0;
    Jun Hotel 3.0. Requests for changes (Delta, India) and a confirmation do not count.
    Went live: May 2025 Alpha v1, Jan Alpha v2, Feb Juliet, Mar Bravo, Apr Charlie (taken
    down in June); Hotel is scheduled for July.
    """
    site = Site(freeze_time, make_article, writer, reviewer, editor)
    alpha = site.write(at(2025, 5, 1), "Alpha")
    site.submit(alpha, at(2025, 5, 10))
    site.approve(alpha, at(2025, 5, 12))
    site.publish(alpha, at(2025, 5, 20))
    site.edit(alpha, at(2026, 1, 4))
    site.submit(alpha, at(2026, 1, 5, 9))
    site.approve(alpha, at(2026, 1, 9, 9))
    site.publish(alpha, at(2026, 1, 10, 9))

    juliet = site.write(at(2026, 2, 1), "Juliet", audience=Audience.PROFESSIONAL)
    site.submit(juliet, at(2026, 2, 2))
    site.approve(juliet, at(2026, 2, 5, 12))
    site.publish(juliet, at(2026, 2, 6))

    bravo = site.write(at(2026, 2, 20), "Bravo")
    site.submit(bravo, at(2026, 3, 1))
    site.approve(bravo, at(2026, 3, 3))
    site.publish(bravo, at(2026, 3, 3, 12))

    charlie = site.write(at(2026, 3, 5), "Charlie")
    site.submit(charlie, at(2026, 3, 10))
    site.approve(charlie, at(2026, 3, 20))
    site.publish(charlie, at(2026, 4, 1))
    freeze_time(at(2026, 6, 10))
    workflow.unpublish(
        article=Article.objects.get(pk=charlie.pk), user=editor, reason="Out of date."
    )

    delta = site.write(at(2026, 4, 28), "Delta")
    site.submit(delta, at(2026, 5, 1))
    site.request_changes(delta, at(2026, 5, 2))
    site.edit(delta, at(2026, 5, 4))
    site.submit(delta, at(2026, 5, 5))
    site.approve(delta, at(2026, 5, 6))

    india = site.write(at(2026, 5, 9), "India")
    site.submit(india, at(2026, 5, 10))
    site.request_changes(india, at(2026, 5, 12))

    hotel = site.write(at(2026, 5, 30), "Hotel")
    site.submit(hotel, at(2026, 6, 1))
    site.approve(hotel, at(2026, 6, 4))
    site.publish(hotel, NOW, publish_at=at(2026, 7, 1, 9))

    echo = site.write(at(2026, 6, 9), "Echo")
    site.submit(echo, at(2026, 6, 10))
    foxtrot = site.write(at(2026, 6, 11), "Foxtrot")
    golf = site.write(at(2026, 1, 2), "Golf")
    freeze_time(at(2026, 1, 3))
    workflow.archive(article=golf, user=editor, reason="Duplicate.")
    freeze_time(NOW)

    # A confirmation that the live text is still accurate is not an approval.
    Review.objects.create(
        article=alpha,
        version=Article.objects.get(pk=alpha.pk).version,
        status=Review.Status.CONFIRMED,
        submitted_at=at(2026, 3, 1),
        decided_at=at(2026, 6, 5),
        reviewer=reviewer2,
    )
    # Review dates: Alpha overdue; Bravo due today and Charlie in 30 days (due soon); Hotel
    # in 31 days (not yet); Golf is archived.
    for article, due in [
        (alpha, datetime.date(2026, 6, 1)),
        (bravo, TODAY),
        (charlie, datetime.date(2026, 7, 15)),
        (hotel, datetime.date(2026, 7, 16)),
        (golf, datetime.date(2026, 1, 1)),
    ]:
        Article.objects.filter(pk=article.pk).update(next_review_due=due)
    # Reading grades as published: Alpha's live version 5.5, its old one 12; Bravo 8.4 (above
    # the target of 8); Juliet is for professionals; Charlie is down; Hotel is not live yet.
    grades = [(alpha, 2, 5.5), (alpha, 1, 12.0), (bravo, 1, 8.4), (juliet, 1, 14.0)]
    grades += [(charlie, 1, 3.0), (hotel, 1, 3.0)]
    for article, version, grade in grades:
        PublishedArticle.objects.filter(article=article, version=version).update(
            reading_grade=grade
        )

    def feedback(status, concern=False, article=alpha):
        return Feedback.objects.create(
            article=article, version=1, helpful=False, status=status, clinical_concern=concern
        )

    feedback(Feedback.Status.NEW, concern=True)
    feedback(Feedback.Status.NEW)
    feedback(Feedback.Status.NEW, article=bravo)
    feedback(Feedback.Status.TRIAGED, concern=True)
    feedback(Feedback.Status.ACTIONED, concern=True)
    feedback(Feedback.Status.DISMISSED)
    feedback(Feedback.Status.DISMISSED)
    made = [alpha, bravo, charlie, delta, echo, foxtrot, golf, hotel, india, juliet]
    return {article.title.lower(): Article.objects.get(pk=article.pk) for article in made}


EXPECTED_STATES = {"draft": 1, "in_review": 1, "changes_requested": 1, "approved": 6}
EXPECTED_TURNAROUND = {
    datetime.date(2026, 1, 1): (1, 4.0),
    datetime.date(2026, 2, 1): (1, 3.5),
    datetime.date(2026, 3, 1): (2, 6.0),
    datetime.date(2026, 5, 1): (1, 1.0),
    datetime.date(2026, 6, 1): (1, 3.0),
}
EXPECTED_PUBLICATIONS = {
    datetime.date(2026, 1, 1): 1,
    datetime.date(2026, 2, 1): 1,
    datetime.date(2026, 3, 1): 1,
    datetime.date(2026, 4, 1): 1,
}
EXPECTED_FEEDBACK = {"new": 3, "triaged": 1, "actioned": 1, "dismissed": 2}
EXPECTED_GRADES = {
    "6 or below": 1,
    "6.1–7": 0,
    "7.1–8": 0,
    "8.1–9": 1,
    "9.1–10": 0,
    "10.1–11": 0,
    "above 11": 0,
}


def titles(article_list) -> list[str]:
    return [article.title for article in article_list.articles]


# The numbers -------------------------------------------------------------------------------


def test_article_counts_by_state(known_site):
    """Articles in use by state, the archived one apart, and the three pages live now (Alpha,
    Bravo, Juliet)."""
    counts = metrics.article_counts(now=NOW)
    assert {row.key: row.value for row in counts.by_state} == EXPECTED_STATES
    assert (counts.in_use, counts.archived, counts.live) == (9, 1, 3)


def test_queues_of_a_reviewer_and_an_editor(known_site, reviewer, editor, writer):
    """A reviewer's queue is what is in review; an editor's, the approved version not yet
    published (not the published or scheduled ones); a writer has no queue."""
    [review_queue] = metrics.my_queues(reviewer)
    assert (review_queue.key, titles(review_queue.items), review_queue.items.total) == (
        "review",
        ["Echo"],
        1,
    )
    [publish_queue] = metrics.my_queues(editor)
    assert (publish_queue.key, titles(publish_queue.items)) == ("publish", ["Delta"])
    assert metrics.my_queues(writer) == []


def test_a_reviewer_does_not_see_their_own_writing_in_their_queue(known_site, reviewer, writer):
    """Separation of duties: an article the reviewer edited is not in their queue."""
    echo = known_site["echo"]
    echo.body += "\n\nA reviewer's sentence."
    workflow.save_working_copy(article=echo, user=reviewer)
    workflow.submit(article=echo, user=writer)
    [queue] = metrics.my_queues(reviewer)
    assert queue.items.total == 0


def test_review_due_and_overdue(known_site):
    """Overdue: past the date; due soon: today up to 30 days on; archived ones are left out."""
    due = metrics.review_due(today=TODAY)
    assert titles(due.overdue) == ["Alpha"]
    assert titles(due.due_soon) == ["Bravo", "Charlie"]
    assert (due.overdue.total, due.due_soon.total) == (1, 2)


def test_lists_are_capped_but_counts_complete(known_site, make_article, writer, monkeypatch):
    """With more overdue articles than the list shows, the count still has them all."""
    monkeypatch.setattr(metrics, "LIST_LIMIT", 2)
    for index in range(3):
        extra = make_article(writer, title=f"Zulu {index}")
        Article.objects.filter(pk=extra.pk).update(next_review_due=datetime.date(2026, 1, 1))
    due = metrics.review_due(today=TODAY)
    assert len(due.overdue.articles) == 2 and due.overdue.total == 4 and due.overdue.more == 2


def test_median_turnaround_per_month(known_site):
    """Medians of approvals by month of decision; requests for changes, confirmations, open
    reviews and approvals older than 12 months are not counted."""
    rows = metrics.review_turnaround(now=NOW)
    assert [row.month for row in rows] == MONTHS
    got = {row.month: (row.approvals, row.median_days) for row in rows}
    assert got == {month: EXPECTED_TURNAROUND.get(month, (0, None)) for month in MONTHS}


def test_publications_per_month(known_site):
    """Versions that went live, by month; a scheduled version has not gone live yet."""
    rows = metrics.publications_by_month(now=NOW)
    assert {row.month: row.value for row in rows} == {
        month: EXPECTED_PUBLICATIONS.get(month, 0) for month in MONTHS
    }


@override_settings(TIME_ZONE="Pacific/Auckland")
def test_months_follow_the_site_time_zone(freeze_time, make_article, writer, reviewer, editor):
    """An approval and a publication late on 31 March UTC fall in April in Auckland."""
    site = Site(freeze_time, make_article, writer, reviewer, editor)
    article = site.write(at(2026, 3, 20), "Kilo")
    site.submit(article, at(2026, 3, 29, 20))
    site.approve(article, at(2026, 3, 31, 20))
    site.publish(article, at(2026, 3, 31, 21))
    turnaround = {row.month: row.approvals for row in metrics.review_turnaround(now=NOW)}
    publications = {row.month: row.value for row in metrics.publications_by_month(now=NOW)}
    april, march = datetime.date(2026, 4, 1), datetime.date(2026, 3, 1)
    assert (turnaround[april], turnaround[march]) == (1, 0)
    assert (publications[april], publications[march]) == (1, 0)


def test_feedback_by_status(known_site):
    """Feedback by status; clinical concerns still new or triaged are open."""
    counts = metrics.feedback_counts()
    assert {row.key: row.value for row in counts.by_status} == EXPECTED_FEEDBACK
    assert (counts.total, counts.open_clinical_concerns) == (7, 2)


def test_readability_of_live_patient_pages(known_site):
    """Only live patient pages count, in grade bands; 8.4 is above the default target of 8."""
    spread = metrics.readability_distribution(now=NOW)
    assert {bucket.label: bucket.value for bucket in spread.buckets} == EXPECTED_GRADES
    assert (spread.target, spread.above_target, spread.scored, spread.unscored) == (8, 1, 2, 0)


@override_settings(READABILITY_MAX_GRADE=5)
def test_readability_target_follows_the_setting(known_site):
    """With a target of grade 5 both live patient pages are above it."""
    PublishedArticle.objects.filter(article=known_site["bravo"]).update(reading_grade=None)
    spread = metrics.readability_distribution(now=NOW)
    assert (spread.target, spread.above_target, spread.scored, spread.unscored) == (5, 1, 1, 1)


@pytest.mark.parametrize(
    ("grade", "label"),
    [(-1.0, "6 or below"), (6.0, "6 or below"), (6.1, "6.1–7"), (8.0, "7.1–8"), (8.1, "8.1–9"),
     (11.0, "10.1–11"), (11.1, "above 11")],
)  # fmt: skip
def test_grade_band_edges(live_article, grade, label):
    """Each band includes its upper whole grade: 8.0 is within the target, 8.1 above it."""
    PublishedArticle.objects.filter(article=live_article).update(reading_grade=grade)
    spread = metrics.readability_distribution(now=datetime.datetime.now(UTC))
    assert [bucket.label for bucket in spread.buckets if bucket.value] == [label]
    assert spread.above_target == (1 if grade > 8 else 0)


def test_each_metric_reads_a_bounded_number_of_queries(
    known_site, editor, reviewer, django_assert_max_num_queries
):
    """Each function keeps to its query budget."""
    budgets = [
        (2, lambda: metrics.article_counts(now=NOW)),
        (4, lambda: metrics.review_due(today=TODAY)),
        (1, lambda: metrics.review_turnaround(now=NOW)),
        (1, lambda: metrics.publications_by_month(now=NOW)),
        (1, lambda: metrics.feedback_counts()),
        (1, lambda: metrics.readability_distribution(now=NOW)),
        (3, lambda: metrics.my_queues(editor)),
        (3, lambda: metrics.my_queues(reviewer)),
    ]
    for budget, read in budgets:
        with django_assert_max_num_queries(budget):
            read()


# The page ----------------------------------------------------------------------------------


def table(page: str, table_id: str) -> dict[str, list[str]]:
    """A table of the page as {row header: [cells]}, text only."""
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S)
    assert found, table_id
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(0), re.S):
        header = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if header:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            rows[re.sub(r"<[^>]+>", "", header.group(1)).strip()] = [c.strip() for c in cells]
    return rows


def month_name(month: datetime.date) -> str:
    return month.strftime("%B %Y")


@pytest.fixture
def dashboard_page(known_site, editor):
    """The dashboard as the editor sees it at ``NOW``."""
    response = AdminSession(editor).get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def test_page_tables_show_the_numbers(dashboard_page):
    """The tables beside the charts carry the same numbers as the metrics."""
    states = table(dashboard_page, "articles-by-state")
    assert states == {
        "Draft": ["1"],
        "In review": ["1"],
        "Changes requested": ["1"],
        "Approved": ["6"],
        "In use": ["9"],
        "Live now": ["3"],
        "Archived": ["1"],
    }
    turnaround = table(dashboard_page, "turnaround-table")
    assert turnaround == {
        month_name(month): [str(n), "—" if median is None else str(median)]
        for month, (n, median) in ((m, EXPECTED_TURNAROUND.get(m, (0, None))) for m in MONTHS)
    }
    publications = table(dashboard_page, "publications-table")
    assert publications == {
        month_name(month): [str(EXPECTED_PUBLICATIONS.get(month, 0))] for month in MONTHS
    }
    feedback = table(dashboard_page, "feedback-table")
    assert feedback == {
        "New": ["3"],
        "Triaged": ["1"],
        "Actioned": ["1"],
        "Dismissed": ["2"],
        "All": ["7"],
        "Open clinical concerns": ["2"],
    }
    grades = table(dashboard_page, "readability-table")
    assert grades == {
        **{label: [str(value)] for label, value in EXPECTED_GRADES.items()},
        "Above the target": ["1"],
    }
    assert "1 of 2 scored pages above the target of grade 8." in dashboard_page


def test_page_lists_queue_and_due_articles_with_links(dashboard_page, known_site):
    """The editor's queue and the due lists link to each article's page."""

    def link(name):
        article = known_site[name]
        url = reverse("admin:articles_article_change", args=[article.pk])
        return f'<a href="{url}">{article.title}</a>'

    assert "Approved, ready to publish: 1" in dashboard_page
    assert link("delta") in dashboard_page
    assert "Overdue: 1" in dashboard_page and f"{link('alpha')}, due 1 Jun 2026" in dashboard_page
    assert "Due within 30 days: 2" in dashboard_page
    assert f"{link('charlie')}, due 15 Jul 2026" in dashboard_page
    assert link("hotel") not in dashboard_page
    assert reverse("admin:dashboard-review-log") in dashboard_page


def test_page_charts_are_accessible_svg(dashboard_page):
    """Three SVG charts, each an image named by its title and description, with one bar per
    non-empty value and every value written as text."""
    charts = re.findall(r'<svg class="dashboard-chart-svg".*?</svg>', dashboard_page, re.S)
    assert len(charts) == 3
    for chart in charts:
        labelled = re.search(r'role="img" aria-labelledby="(\S+) (\S+)"', chart)
        assert labelled
        assert f'<title id="{labelled.group(1)}">' in chart
        assert f'<desc id="{labelled.group(2)}">' in chart
    turnaround, publications, grades = charts
    assert turnaround.count("<rect") == len(EXPECTED_TURNAROUND)
    assert turnaround.count(">—</text>") == 12 - len(EXPECTED_TURNAROUND)
    assert ">6 d</text>" in turnaround
    assert publications.count("<rect") == 4
    assert grades.count("<rect") == 2


def test_page_has_no_inline_style_or_script(dashboard_page):
    """The strict CSP holds: no style attribute or element, every script is a file."""
    assert not re.search(r"\sstyle=", dashboard_page)
    assert "<style" not in dashboard_page
    scripts = re.findall(r"<script\b[^>]*>", dashboard_page)
    assert all(" src=" in tag for tag in scripts), scripts
    assert "editorial_dashboard.css" in dashboard_page


def test_page_is_the_reviewers_too(known_site, reviewer):
    """A reviewer sees their own queue and the same site numbers."""
    page = AdminSession(reviewer).get(DASHBOARD).content.decode()
    assert "Needs my review: 1" in page and "Approved, ready to publish" not in page
    assert table(page, "articles-by-state")["Live now"] == ["3"]


def test_page_query_budget_does_not_grow_with_content(
    known_site, editor, make_article, writer, django_assert_max_num_queries
):
    """The page reads a fixed number of queries, whatever the amount of content."""
    session = AdminSession(editor)
    with django_assert_max_num_queries(17):
        assert session.get(DASHBOARD).status_code == 200
    for index in range(30):
        extra = make_article(writer, title=f"More {index}")
        workflow.submit(article=extra, user=writer)
    with django_assert_max_num_queries(17):
        assert session.get(DASHBOARD).status_code == 200


# Who may see it ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [DASHBOARD, REVIEW_LOG])
@pytest.mark.parametrize(
    ("who", "status"),
    [("editor", 200), ("reviewer", 200), ("superuser", 200), ("author", 403),
     ("no_group", 403), ("no_profile", 403)],
)  # fmt: skip
def test_access(url, who, status, people):
    """Editors, clinical reviewers and superusers; not writers, other staff, or a member of the
    reviewers' group without a reviewer profile."""
    people["superuser"] = make_user("boss", is_superuser=True)
    assert AdminSession(people[who]).get(url).status_code == status


@pytest.mark.parametrize("url", [DASHBOARD, REVIEW_LOG])
def test_anonymous_and_non_staff_go_to_the_login(client, url):
    """Not logged in, or not staff: the admin login, with the page to come back to."""
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"
    get_user_model().objects.create_user(username="reader", password=PASSWORD)
    assert client.login(username="reader", password=PASSWORD)
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("url", [DASHBOARD, REVIEW_LOG])
def test_pages_are_read_only(url, editor):
    """A POST changes nothing and is refused: 405."""
    assert AdminSession(editor).post(url, {"anything": "1"}).status_code == 405


def test_admin_index_links_to_the_dashboard(people):
    """At the top of the admin: the link for editors and reviewers, not for writers."""
    link = f'href="{reverse("admin:dashboard")}"'
    for who, shown in [("editor", True), ("reviewer", True), ("author", False)]:
        page = AdminSession(people[who]).get("/admin/").content.decode()
        assert (link in page) is shown, who
        assert not re.search(r"\sstyle=", page)


# The review log ----------------------------------------------------------------------------


def read_csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_review_log_has_a_row_per_review(known_site, editor):
    """One row per review, oldest first, with its people, dates, turnaround and digest."""
    response = AdminSession(editor).get(REVIEW_LOG)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="review-log-2026-06-15.csv"'
    rows = read_csv(response)
    assert len(rows) == Review.objects.count() == 11
    alpha_v2 = next(r for r in rows if r["article title"] == "Alpha" and r["version"] == "2")
    approval = Review.objects.get(article=known_site["alpha"], version=2, status="published")
    assert alpha_v2 == {
        "article id": str(known_site["alpha"].pk),
        "article title": "Alpha",
        "version": "2",
        "status": "published",
        "submitted at": "2026-01-05T09:00:00+00:00",
        "submitted by": "writer",
        "reviewer": "Dr Ada Reviewer",
        "reviewer credentials": "MD",
        "decided at": "2026-01-09T09:00:00+00:00",
        "turnaround (days)": "4.0",
        "quality warnings": "",
        "override reason": "",
        "digest": approval.digest,
    }
    assert len(approval.digest) == 64
    pending = next(r for r in rows if r["article title"] == "Echo")
    assert (pending["status"], pending["decided at"], pending["turnaround (days)"]) == (
        "pending",
        "",
        "",
    )
    assert [r["submitted at"] for r in rows] == sorted(r["submitted at"] for r in rows)


def test_review_log_escapes_formulas(make_article, writer, reviewer, editor):
    """User text that a spreadsheet would run as a formula starts with an apostrophe."""
    article = make_article(writer, title='=HYPERLINK("http://evil.example","click")')
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    Review.objects.filter(article=article).update(
        override_reason="+1 reason", quality_warnings=["-2 warning", {"message": "@SUM(A1)"}]
    )
    [row] = read_csv(AdminSession(editor).get(REVIEW_LOG))
    assert row["article title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["override reason"] == "'+1 reason"
    assert row["quality warnings"] == "'-2 warning\n@SUM(A1)"


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("safe = fine", "safe = fine"), (None, ""), (7, "7")],
)  # fmt: skip
def test_csv_safe(value, cell):
    """Cells starting with a formula character get a leading apostrophe; others are kept."""
    assert csv_safe(value) == cell


def test_review_log_streams_in_bounded_queries(
    make_article, writer, reviewer, editor, django_assert_max_num_queries
):
    """The log reads reviews with their article and people in one query per chunk."""
    for index in range(5):
        article = make_article(writer, title=f"Log {index}")
        workflow.submit(article=article, user=writer)
        workflow.approve(article=article, user=reviewer)
    session = AdminSession(editor)
    response = session.get(REVIEW_LOG)
    with django_assert_max_num_queries(2):
        rows = read_csv(response)
    assert len(rows) == 5


def test_an_approval_withdrawn_by_an_edit_still_counts_in_the_turnaround(in_review, reviewer):
    """Editing after the approval withdraws it, but the approval was given: it keeps its time
    and stays in the month's turnaround."""
    from tests.reviews.workflow_scenarios import edit

    workflow.approve(article=in_review, user=reviewer)
    approved_at = Review.objects.get(article=in_review).decided_at
    edit(in_review, in_review.created_by)
    review = Review.objects.get(article=in_review)
    assert (review.status, review.decided_at) == (Review.Status.WITHDRAWN, approved_at)
    this_month = metrics.review_turnaround(now=approved_at)[-1]
    assert this_month.approvals == 1
