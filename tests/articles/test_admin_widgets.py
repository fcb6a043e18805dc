"""The article form's accessible controls: topics, authors and related trials as checkboxes
in a fieldset named by its legend, the counterpart and lead image as native selects named by
their labels; no two-box selector, select2 autocomplete or raw-id lookup (their markup is what
axe-core reported, see tests/browser/test_admin_accessibility.py)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.models import Article, ClinicalTrial
from reviews.models import ReviewerProfile
from tests.admin_client import AdminSession
from tests.articles.test_admin import change_form_data

pytestmark = pytest.mark.django_db

REPLACED_WIDGETS = ["selectfilter", "admin-autocomplete", "vForeignKeyRawIdAdminField"]


class FormControls(HTMLParser):
    """The labels, the checkbox groups (legend and boxes) and the selects of a page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.labels: dict[str, str] = {}
        self.groups: list[dict] = []
        self.selects: dict[str, dict] = {}
        self._label_for: str | None = None
        self._in_legend = False
        self._select: str | None = None
        self._fieldsets: list[bool] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset":
            self._fieldsets.append("checkbox-group" in (attrs.get("class") or ""))
            if self._fieldsets[-1]:
                self.groups.append({"legend": "", "boxes": []})
        elif tag == "legend" and self._in_group():
            self._in_legend = True
        elif tag == "label" and attrs.get("for"):
            self._label_for = attrs["for"]
            self.labels[self._label_for] = ""
        elif tag == "input" and attrs.get("type") == "checkbox" and self._in_group():
            self.groups[-1]["boxes"].append(attrs)
        elif tag == "select":
            self._select = attrs["name"]
            self.selects[self._select] = {"id": attrs.get("id"), "options": []}
        elif tag == "option" and self._select:
            self.selects[self._select]["options"].append(attrs.get("value"))

    def _in_group(self) -> bool:
        return bool(self._fieldsets and self._fieldsets[-1])

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self._fieldsets.pop()
        elif tag == "legend":
            self._in_legend = False
        elif tag == "label":
            self._label_for = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._in_legend:
            self.groups[-1]["legend"] += data.strip()
        if self._label_for:
            self.labels[self._label_for] += data

    def group(self, legend: str) -> dict:
        (found,) = [group for group in self.groups if group["legend"] == legend]
        return found


@pytest.fixture
def trial(db):
    return ClinicalTrial.objects.create(nct_id="NCT03529110", brief_title="DESTINY-Breast03")


def test_change_form_offers_checkbox_groups_and_native_selects(
    writer, make_article, make_image, topic, trial
):
    """Topics, authors and related trials are labelled checkboxes in a group named by its
    legend, the saved choices ticked; the counterpart and lead image are selects with a
    label; none of the replaced widgets is on the page."""
    image = make_image(title="Bone scan")
    article = make_article(writer, lead_image=image)
    page = (
        AdminSession(writer).get(reverse("admin:articles_article_change", args=[article.pk])).text
    )
    controls = FormControls(page)
    for legend, name, chosen, label in [
        ("Topics", "topics", topic.pk, topic.name),
        ("Authors", "authors", writer.pk, writer.username),
        ("Related trials", "related_trials", None, "NCT03529110"),
    ]:
        boxes = controls.group(legend)["boxes"]
        assert boxes and all(box["name"] == name for box in boxes)
        assert all(box["id"] in controls.labels for box in boxes)
        ticked = [box["value"] for box in boxes if "checked" in box]
        assert ticked == ([str(chosen)] if chosen else [])
        assert any(label in controls.labels[box["id"]] for box in boxes)
    lead = controls.selects["lead_image"]
    assert str(image.pk) in lead["options"] and "Lead image" in controls.labels[lead["id"]]
    counterpart = controls.selects["counterpart"]
    assert "counterpart" in controls.labels[counterpart["id"]].lower()
    for widget in REPLACED_WIDGETS:
        assert not re.search(rf'class="[^"]*\b{widget}\b', page), widget


def test_ticking_boxes_and_choosing_the_lead_image_saves_them(
    writer, writer2, make_article, make_image, trial
):
    """The checkboxes and selects post the ids the form always took: ticking a second author
    and a trial and choosing a lead image saves them in the new version."""
    article = make_article(writer)
    image = make_image(title="Bone scan")
    session = AdminSession(writer)
    url = reverse("admin:articles_article_change", args=[article.pk])
    session.get(url)
    data = change_form_data(
        article,
        authors=[writer.pk, writer2.pk],
        related_trials=[trial.pk],
        lead_image=image.pk,
    )
    assert session.post(url, data).status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert set(article.authors.all()) == {writer, writer2}
    assert list(article.related_trials.all()) == [trial]
    assert article.lead_image == image and article.version == 2


def test_reviewer_profile_account_is_a_labelled_select(editor, reviewer):
    """An editor adding a reviewer profile chooses the account from a native select named by
    its label, not select2's autocomplete."""
    page = AdminSession(editor).get(reverse("admin:reviews_reviewerprofile_add")).text
    controls = FormControls(page)
    account = controls.selects["user"]
    assert str(reviewer.pk) in account["options"]
    assert "User" in controls.labels[account["id"]]
    assert "admin-autocomplete" not in page
    assert ReviewerProfile.objects.filter(user=editor).count() == 0
