"""Images inside the clinical sign-off: the digest covers what each image shows, a change in
the library makes a new version that needs review while the live page keeps the approved
image, verify_signoff checks the stored files, and pages signed before images joined the
digest still verify."""

import datetime
import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from articles import caching
from articles.image_usage import articles_using, image_changed
from articles.images.renditions import store_image
from articles.models import Article, Image, PublishedArticle
from articles.snapshots import (
    SIGNOFF_FORMAT,
    article_digest,
    content_digest,
    snapshot_content,
)
from reviews import signoff, workflow
from reviews.models import AuditEntry, Review
from reviews.states import State
from tests.admin_client import AdminBrowser, messages_in
from tests.images import make_image as new_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def image(make_image):
    return make_image()


@pytest.fixture
def illustrated(make_article, writer, image):
    """A draft showing ``image`` in its body."""
    return make_article(writer, body=f"Bone pain is common [@1].\n\n![](image:{image.pk})")


@pytest.fixture
def live_illustrated(illustrated, writer, reviewer, editor):
    workflow.submit(article=illustrated, user=writer)
    workflow.approve(article=illustrated, user=reviewer)
    workflow.publish(article=illustrated, user=editor)
    illustrated.refresh_from_db()
    return illustrated


def page_of(article: Article) -> str:
    caching.invalidate()
    response = Client().get(f"/articles/{article.slug}/")
    assert response.status_code == 200
    return response.text


def violations() -> list[str]:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_signoff", stdout=out)
    return out.getvalue().splitlines()


def replace_file(image: Image, **changes) -> Image:
    """Give ``image`` the file (and renditions) of a new image, as replacing an upload does."""
    other = new_image(**changes)
    image.file, image.digest, image.renditions = other.file, other.digest, other.renditions
    image.width, image.height, image.format = other.width, other.height, other.format
    image.save()
    return image


# The digest -----------------------------------------------------------------------------------

CHANGES = {
    "alt_text": lambda image: setattr(image, "alt_text", "A body outline with four organs."),
    "caption": lambda image: setattr(image, "caption", "Another caption."),
    "credit": lambda image: setattr(image, "credit", "Another artist"),
    "license": lambda image: setattr(image, "license", "cc0-1.0"),
    "rights_holder": lambda image: setattr(image, "rights_holder", "Someone else"),
    "decorative": lambda image: setattr(image, "decorative", True),
    "file": lambda image: replace_file(image, color=(0, 90, 200)),
}


@pytest.mark.parametrize("field", CHANGES)
def test_the_digest_covers_each_thing_an_image_shows(illustrated, image, writer, field):
    """Changing an image's alt text, caption, credit, licence, rights holder, decorative mark
    or file, then saving, changes the sign-off digest; its title (never shown) does not."""
    before = article_digest(illustrated)
    CHANGES[field](image)
    image.save()
    Image.objects.filter(pk=image.pk).update(title="Renamed in the library")
    article = Article.objects.get(pk=illustrated.pk)
    assert article_digest(article) == before  # the version records what it showed
    workflow.save_working_copy(article=article, user=writer)
    assert article_digest(Article.objects.get(pk=article.pk)) != before


def test_the_digest_covers_the_writers_overrides_and_the_lead_image(
    make_article, writer, image, make_image
):
    """The alt text and caption given in the Markdown, and the lead image, are signed off."""
    article = make_article(writer, body=f"Text [@1].\n\n![](image:{image.pk})")
    digests = {article_digest(article)}
    article.body = f'Text [@1].\n\n![Bones marked](image:{image.pk} "Where it spreads")'
    workflow.save_working_copy(article=article, user=writer)
    digests.add(article_digest(article))
    article.lead_image = make_image(title="Lead", color=(1, 2, 3))
    workflow.save_working_copy(article=article, user=writer)
    digests.add(article_digest(article))
    assert len(digests) == 3


def test_pages_signed_before_images_joined_the_digest_still_verify_and_confirm(
    live_article, reviewer2, signoff_holds
):
    """A snapshot, approval and audit trail made under format 1 (no images) verify, and a
    clinician can still confirm the page as accurate; its digest is kept."""
    assert SIGNOFF_FORMAT == 4
    snapshot = PublishedArticle.objects.get(article=live_article)
    old = content_digest(snapshot_content(snapshot), 1)
    assert old != snapshot.digest
    PublishedArticle.objects.filter(pk=snapshot.pk).update(digest=old)
    Review.objects.filter(article=live_article).update(digest=old)
    AuditEntry.objects.filter(article=live_article).exclude(digest="").update(digest=old)
    assert signoff.verify().violations == []
    workflow.confirm_current(article=live_article, user=reviewer2, comment="Still accurate.")
    assert Review.objects.get(article=live_article, status="confirmed").digest == old
    assert PublishedArticle.objects.get(pk=snapshot.pk).digest == old


def test_an_approval_of_format_one_still_publishes(make_article, writer, reviewer, editor):
    """An approval given before the upgrade (format 1) publishes, and the page verifies."""
    article = make_article(writer)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    review = Review.objects.get(article=article)
    from articles.snapshots import reader_content

    old = content_digest(reader_content(article), 1)
    Review.objects.filter(pk=review.pk).update(digest=old)
    AuditEntry.objects.filter(article=article, action="approve").update(digest=old)
    workflow.publish(article=article, user=editor)
    assert PublishedArticle.objects.get(article=article).digest == old
    assert signoff.verify().violations == []


def without_rendition_hashes(images: list[dict]) -> list[dict]:
    """Image data as format 2 recorded it: renditions without their SHA-256."""

    def unhashed(renditions: list[dict]) -> list[dict]:
        return [
            {key: value for key, value in item.items() if key != "sha256"} for item in renditions
        ]

    return [{**data, "renditions": unhashed(data["renditions"])} for data in images]


def signed_under_format_two(article: Article) -> str:
    """Make ``article``'s working copy, live page, approval and audit trail what format 2
    made: image data without rendition hashes, digest of format 2. Returns that digest."""
    Article.objects.filter(pk=article.pk).update(images=without_rendition_hashes(article.images))
    snapshot = PublishedArticle.objects.get(article=article)
    snapshot.images = without_rendition_hashes(snapshot.images)
    old = content_digest(snapshot_content(snapshot), 2)
    PublishedArticle.objects.filter(pk=snapshot.pk).update(images=snapshot.images, digest=old)
    Review.objects.filter(article=article).update(digest=old)
    AuditEntry.objects.filter(article=article).exclude(digest="").update(digest=old)
    return old


def test_pages_signed_before_rendition_hashes_joined_still_verify_and_confirm(
    live_illustrated, reviewer2, signoff_holds
):
    """A page with images approved under format 2 (no rendition hashes) verifies, and can be
    confirmed as still accurate keeping its digest."""
    old = signed_under_format_two(live_illustrated)
    assert signoff.verify().violations == []
    workflow.confirm_current(article=live_illustrated, user=reviewer2, comment="Still accurate.")
    assert Review.objects.get(article=live_illustrated, status="confirmed").digest == old
    assert PublishedArticle.objects.get(article=live_illustrated).digest == old


def test_an_approval_of_format_two_still_publishes(illustrated, writer, reviewer, editor):
    """A version saved and approved before the upgrade (its manifest without rendition hashes,
    a format-2 digest) publishes, and the page verifies."""
    Article.objects.filter(pk=illustrated.pk).update(
        images=without_rendition_hashes(illustrated.images)
    )
    article = Article.objects.get(pk=illustrated.pk)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    from articles.snapshots import reader_content

    old = content_digest(reader_content(article), 2)
    Review.objects.filter(article=article).update(digest=old)
    AuditEntry.objects.filter(article=article, action="approve").update(digest=old)
    workflow.publish(article=article, user=editor)
    assert PublishedArticle.objects.get(article=article).digest == old
    assert signoff.verify().violations == []


def test_a_format_two_digest_does_not_cover_rendition_hashes(live_illustrated):
    """Format 2 knew no rendition hashes: a page carrying them cannot pass with its digest."""
    snapshot = PublishedArticle.objects.get(article=live_illustrated)
    old = content_digest(snapshot_content(snapshot), 2)
    PublishedArticle.objects.filter(pk=snapshot.pk).update(digest=old)
    Review.objects.filter(article=live_illustrated).update(digest=old)
    assert any("changed after publication" in line for line in violations())


def test_a_rendition_altered_under_a_format_two_page_is_caught_by_the_library_record(
    live_illustrated, image
):
    """A format-2 page approved no rendition hash: its files are checked against the hashes
    the media library recorded for them."""
    signed_under_format_two(live_illustrated)
    altered = image.renditions[0]["name"]
    with open(default_storage.path(altered), "wb") as stored:
        stored.write(b"RIFF not the stored rendition")
    lines = violations()
    assert len(lines) == 1
    assert f"the stored file {altered} is not the one the media library recorded" in lines[0]


def test_a_format_one_digest_does_not_cover_a_page_with_images(live_illustrated):
    """Format 1 knew no images: a page showing one cannot pass with a format-1 digest."""
    snapshot = PublishedArticle.objects.get(article=live_illustrated)
    old = content_digest(snapshot_content(snapshot), 1)
    PublishedArticle.objects.filter(pk=snapshot.pk).update(digest=old)
    Review.objects.filter(article=live_illustrated).update(digest=old)
    assert any("changed after publication" in line for line in violations())


# verify_signoff and the stored files ----------------------------------------------------------


def test_publishing_freezes_the_images_and_verify_signoff_passes(
    live_illustrated, image, signoff_holds
):
    """The snapshot carries the images as approved, and verify_signoff reads their files."""
    snapshot = PublishedArticle.objects.get(article=live_illustrated)
    assert [entry["id"] for entry in snapshot.images] == [image.pk]
    assert snapshot.images[0]["digest"] == image.digest
    assert snapshot.lead_image is None
    out = io.StringIO()
    call_command("verify_signoff", stdout=out)
    assert out.getvalue().startswith("Sign-off verified: 1 live")


def test_verify_signoff_reports_an_image_file_replaced_in_the_storage(live_illustrated, image):
    """Other bytes under the approved file's name are caught."""
    path = default_storage.path(image.file.name)
    with open(path, "wb") as stored:
        stored.write(b"\x89PNG not the approved picture")
    lines = violations()
    assert any(f"image {image.pk}: the stored file {image.file.name}" in line for line in lines)
    assert all(line.startswith(f"article {live_illustrated.pk} (") for line in lines)


def test_verify_signoff_reports_a_missing_image_file(live_illustrated, image):
    """An approved image whose original is gone is caught."""
    default_storage.delete(image.file.name)
    assert any("is missing from the storage" in line for line in violations())


def test_each_rendition_file_is_approved_by_its_sha256(live_illustrated, image):
    """The image data a page was approved with names every rendition file with its SHA-256,
    so the files readers are served are covered by the digest, not only the original."""
    snapshot = PublishedArticle.objects.get(article=live_illustrated)
    renditions = snapshot.images[0]["renditions"]
    assert renditions
    for rendition in renditions:
        with default_storage.open(rendition["name"], "rb") as stored:
            assert rendition["sha256"] == hashlib.sha256(stored.read()).hexdigest()


def test_verify_signoff_reports_a_rendition_file_altered_in_the_storage(live_illustrated, image):
    """Other bytes under a rendition's name (the files pages, the API and sharing tags link
    to) are caught, naming the file, while the original is untouched."""
    altered = image.renditions[-1]["name"]
    with default_storage.open(altered, "rb") as stored:
        before = stored.read()
    path = default_storage.path(altered)
    with open(path, "wb") as stored:
        stored.write(before[:-1] + bytes([before[-1] ^ 1]))
    lines = violations()
    assert [line for line in lines if altered in line] == [
        f"article {live_illustrated.pk} ({live_illustrated.slug}) version 1: image {image.pk}: "
        f"the stored file {altered} is not the one approved (its SHA-256 is "
        f"{signoff.stored_file_digest(altered)[:12]}…, approved "
        f"{image.renditions[-1]['sha256'][:12]}…): it was replaced or altered in the storage"
    ]
    assert len(lines) == 1


def test_verify_signoff_reports_a_missing_rendition_file(live_illustrated, image):
    """A rendition named in the snapshot but gone from the storage is caught."""
    gone = image.renditions[0]["name"]
    default_storage.delete(gone)
    assert any(f"its file {gone} is missing from the storage" in line for line in violations())


def test_verify_signoff_reads_each_file_once(
    live_illustrated, image, make_article, writer, reviewer, editor, monkeypatch
):
    """Two pages showing the same image: each of its files is read once per run."""
    second = make_article(
        writer, title="Also illustrated", body=f"Text [@1].\n\n![](image:{image.pk})"
    )
    workflow.submit(article=second, user=writer)
    workflow.approve(article=second, user=reviewer)
    workflow.publish(article=second, user=editor)
    read: list[str] = []
    real = signoff.stored_file_digest
    monkeypatch.setattr(signoff, "stored_file_digest", lambda name: read.append(name) or real(name))
    assert signoff.verify().violations == []
    expected = {image.file.name} | {rendition["name"] for rendition in image.renditions}
    assert sorted(read) == sorted(expected)


def test_verify_signoff_reports_image_data_changed_in_the_snapshot(live_illustrated):
    """Alt text edited in the snapshot's JSON is content not approved."""
    snapshot = PublishedArticle.objects.get(article=live_illustrated)
    images = snapshot.images
    images[0]["alt"] = "Edited in the database."
    PublishedArticle.objects.filter(pk=snapshot.pk).update(images=images)
    assert any("changed after publication" in line for line in violations())


# A change in the library ----------------------------------------------------------------------


def test_a_changed_image_makes_a_new_version_and_the_live_page_keeps_the_approved_one(
    live_illustrated, image, writer, reviewer2, editor, signoff_holds
):
    """Replacing the file and the alt text of an image on a live article: a new working
    version needing review, the approval of the old one withdrawn, the live page unchanged
    (old files kept) until the new version is approved and published."""
    old_digest = image.digest
    image.alt_text = "A clearer description of the outline."
    replace_file(image, color=(0, 120, 90))
    changed = image_changed(image, editor, ["file", "alt_text"])
    assert [article.pk for article in changed] == [live_illustrated.pk]
    article = Article.objects.get(pk=live_illustrated.pk)
    assert (article.version, article.state) == (2, State.DRAFT)
    assert article.images[0]["digest"] == image.digest
    comment = article.revisions.get(version=2).revision.get_comment()
    assert f"Image {image.pk}" in comment and "alt text, file" in comment
    assert not Review.objects.filter(article=article, status__in=Review.OPEN_STATUSES).exists()

    page = page_of(article)
    assert f"/media/images/{old_digest}/" in page and image.digest not in page
    assert default_storage.exists(f"images/{old_digest}/original.png")

    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer2)
    page = page_of(article)
    assert f"/media/images/{old_digest}/" in page  # approved, not yet published
    workflow.publish(article=article, user=editor, change_note="A clearer diagram.")
    page = page_of(article)
    assert f"/media/images/{image.digest}/" in page and old_digest not in page
    assert 'alt="A clearer description of the outline."' in page


def test_a_new_rights_holder_or_source_reaches_the_articles_for_review(
    live_illustrated, image, editor, signoff_holds
):
    """The rights holder (in the page's JSON-LD) and the source are part of what an article
    shows: changed in the library, each article using the image gets a version to review,
    and the live page keeps the approved data meanwhile."""
    image.rights_holder = "Corrected Holder Ltd"
    image.source_url = "https://example.org/corrected"
    store_image(image=image, user=editor)
    article = Article.objects.get(pk=live_illustrated.pk)
    assert (article.version, article.state) == (2, State.DRAFT)
    assert article.images[0]["rights_holder"] == "Corrected Holder Ltd"
    assert article.images[0]["source_url"] == "https://example.org/corrected"
    comment = article.revisions.get(version=2).revision.get_comment()
    assert "rights holder, source" in comment
    assert "Corrected Holder Ltd" not in page_of(article)


def test_an_image_change_readers_do_not_see_makes_no_version(illustrated, image, editor):
    """A change of the title only (never shown) saves no version."""
    image.title = "Renamed"
    image.save()
    assert image_changed(image, editor, ["title"]) == []
    assert Article.objects.get(pk=illustrated.pk).version == 1


def test_archived_articles_are_left_alone(illustrated, image, editor):
    """An archived article is not saved again, nor listed as using the image."""
    workflow.archive(article=illustrated, user=editor, reason="Outdated.")
    image.caption = "New caption."
    image.save()
    assert image_changed(image, editor, ["caption"]) == []
    assert list(articles_using(image)) == []


def test_unarchiving_reads_the_images_again_from_the_library(
    illustrated, image, editor, signoff_holds
):
    """An image changed while its article was archived (archived articles are left alone):
    the restored article gets a version showing the image as it now is."""
    workflow.archive(article=illustrated, user=editor, reason="Paused.")
    image.caption = "A caption written while the article was archived."
    store_image(image=image, user=editor)
    assert Article.objects.get(pk=illustrated.pk).version == 1
    article = workflow.unarchive(article=Article.objects.get(pk=illustrated.pk), user=editor)
    article = Article.objects.get(pk=article.pk)
    assert article.archived_at is None and article.version == 2
    assert article.images[0]["caption"] == "A caption written while the article was archived."
    assert "media library" in article.revisions.get(version=2).revision.get_comment()


def test_unarchiving_saves_no_version_when_the_images_did_not_change(illustrated, editor):
    """Restored with its images as they stand, the article keeps its version."""
    workflow.archive(article=illustrated, user=editor, reason="Paused.")
    article = workflow.unarchive(article=Article.objects.get(pk=illustrated.pk), user=editor)
    assert Article.objects.get(pk=article.pk).version == 1


def test_an_image_deleted_while_its_article_was_archived_cannot_go_live_again(
    live_illustrated, image, writer, editor, signoff_holds
):
    """An image deleted (as the library allowed before deletion looked at archived articles)
    while only an archived article showed it, its rights since expired: restoring the article
    drops it from the version's images, and the version cannot be sent for review."""
    workflow.archive(article=live_illustrated, user=editor, reason="Paused.")
    Image.objects.filter(pk=image.pk).update(
        rights_expire_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    Image.objects.filter(pk=image.pk).delete()
    article = workflow.unarchive(article=Article.objects.get(pk=live_illustrated.pk), user=editor)
    assert Article.objects.get(pk=article.pk).images == []
    with pytest.raises(workflow.InvalidInput, match=f"image:{image.pk}"):
        workflow.submit(article=Article.objects.get(pk=article.pk), user=writer)


def test_articles_using_an_image_in_one_query(
    make_article, writer, live_illustrated, image, make_image, django_assert_num_queries
):
    """Working copies showing it (body or lead image) and articles whose live page shows it
    although the working copy no longer does; not the others."""
    lead_only = make_article(writer, title="Lead only", lead_image=image)
    make_article(writer, title="Unrelated")
    other = make_image(title="Other", color=(5, 5, 5))
    make_article(writer, title="Other image", body=f"Text.\n\n![](image:{other.pk})")
    live_illustrated.body = "No image any more [@1]."
    workflow.save_working_copy(article=live_illustrated, user=writer)
    with django_assert_num_queries(1):
        using = {article.title for article in articles_using(image)}
    assert using == {live_illustrated.title, lead_only.title}


# Quality gates --------------------------------------------------------------------------------


def test_an_unknown_image_stops_a_submission_naming_the_body(make_article, writer):
    """``image:<id>`` of no library image: submit is refused, naming the body."""
    article = make_article(writer, body="Text [@1].\n\n![](image:424242)")
    with pytest.raises(workflow.InvalidInput, match="image:424242") as refused:
        workflow.submit(article=article, user=writer)
    assert refused.value.field == "body"


def test_an_image_gone_from_the_library_stops_a_submission(illustrated, image, writer):
    """A version whose images include one whose library row is gone (deleted after the
    version was saved) cannot be sent for review: the body names it."""
    Image.objects.filter(pk=image.pk).delete()
    with pytest.raises(workflow.InvalidInput, match=f"image:{image.pk}") as refused:
        workflow.submit(article=illustrated, user=writer)
    assert refused.value.field == "body"
    assert "media library has no such image" in str(refused.value)


def test_an_image_from_elsewhere_stops_a_submission(make_article, writer):
    """An image that is not in the library would not be shown: the writer is told."""
    article = make_article(writer, body="Text [@1].\n\n![x](https://example.org/x.png)")
    with pytest.raises(workflow.InvalidInput, match="must come from the media library"):
        workflow.submit(article=article, user=writer)


def test_expired_rights_stop_submit_approve_and_publish(
    illustrated, image, make_image, writer, reviewer, editor
):
    """An image (or lead image) whose rights expired cannot be sent, approved or published;
    the lead image's problem names its field."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    workflow.submit(article=illustrated, user=writer)
    Image.objects.filter(pk=image.pk).update(rights_expire_on=yesterday)
    with pytest.raises(workflow.InvalidInput, match="rights to image:") as refused:
        workflow.approve(article=illustrated, user=reviewer)
    assert refused.value.field == "body"
    Image.objects.filter(pk=image.pk).update(rights_expire_on=None)
    workflow.approve(article=illustrated, user=reviewer)
    Image.objects.filter(pk=image.pk).update(rights_expire_on=yesterday)
    with pytest.raises(workflow.InvalidInput, match="rights to image:"):
        workflow.publish(article=illustrated, user=editor)
    assert not PublishedArticle.objects.filter(article=illustrated).exists()

    lead = make_image(title="Lead", color=(9, 9, 9), rights_expire_on=yesterday)
    article = Article.objects.get(pk=illustrated.pk)
    article.lead_image = lead
    article.body = "Text [@1]."
    workflow.save_working_copy(article=article, user=writer)
    with pytest.raises(workflow.InvalidInput) as refused:
        workflow.submit(article=article, user=writer)
    assert refused.value.field == "lead_image"


def test_the_admin_says_why_an_image_stops_a_submission(make_article, writer):
    """Through the admin's submit button, the problem is a message, not an error page."""
    article = make_article(writer, body="Text [@1].\n\n![](image:424242)")
    browser = AdminBrowser(writer)
    response = browser.act(article, "submit", browser.action_form(article, "submit"))
    assert response.status_code == 200
    assert any("image:424242" in message for message in messages_in(response))
    assert Article.objects.get(pk=article.pk).state == State.DRAFT
