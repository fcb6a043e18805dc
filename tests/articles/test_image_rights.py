"""Image rights that end: manage.py image_rights tells the editors once per image, state and
expiry date, listing the articles using each image; the rule for readers is rights_expired()."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from articles import public
from articles.images.renditions import store_image
from articles.models import Image, ImageRightsNotice
from tests.articles import image_files
from tests.articles.image_files import upload

pytestmark = pytest.mark.django_db


def image_expiring_in(user, days: int | None, title: str) -> Image:
    expires = None if days is None else timezone.localdate() + datetime.timedelta(days=days)
    return store_image(
        image=Image(title=title, alt_text="A diagram.", rights_expire_on=expires),
        user=user,
        upload=upload(image_files.picture()),
    )


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("image_rights", *args, stdout=out)
    return out.getvalue()


def test_rights_expired_is_the_rule_for_readers(writer):
    """From its expiry date on, an image is expired and not shown; the day before it is."""
    today = timezone.localdate()
    ends_today = image_expiring_in(writer, 0, "Ends today")
    ended = image_expiring_in(writer, -1, "Ended yesterday")
    never = image_expiring_in(writer, None, "No end")
    assert set(Image.objects.rights_expired()) == {ended}
    assert set(Image.objects.shown()) == {ends_today, never}
    assert set(Image.objects.rights_expired(today + datetime.timedelta(days=1))) == {
        ended,
        ends_today,
    }


def test_withdrawn_images_follows_the_rule_with_its_prepared_read(writer):
    """``public.withdrawn_images`` names the expired images and those no longer in the
    library, through SQL built once per number of images, on any day asked."""
    ends_today = image_expiring_in(writer, 0, "Ends today")
    ended = image_expiring_in(writer, -1, "Ended yesterday")
    never = image_expiring_in(writer, None, "No end")
    gone = max(ends_today.pk, ended.pk, never.pk) + 100
    today = timezone.localdate()
    ids = {ends_today.pk, ended.pk, never.pk, gone}
    assert public.withdrawn_images(ids) == {ended.pk, gone}
    tomorrow = today + datetime.timedelta(days=1)
    assert public.withdrawn_images(ids, tomorrow) == {ended.pk, ends_today.pk, gone}
    assert public.withdrawn_images({never.pk}) == set()
    assert public._images_shown_query(4)._compiled[("default", None)] is not None


def test_editors_are_emailed_once_per_image_and_state(
    writer, editor, make_article, django_capture_on_commit_callbacks
):
    """Expired and expiring images go to the editors in one message naming the articles
    using them; a second run sends nothing; writers get nothing."""
    expired = image_expiring_in(writer, -3, "Ended image")
    expiring = image_expiring_in(writer, 10, "Ending image")
    image_expiring_in(writer, 45, "Later image")
    image_expiring_in(writer, None, "Forever image")
    make_article(writer, title="Shows the ended image", lead_image=expired)
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [editor.email]
    assert message.subject == "Image rights: 2 image(s) expiring or expired"
    assert "Ended image" in message.body and "rights EXPIRED on" in message.body
    assert "Ending image" in message.body and "(in 10 days)" in message.body
    assert "used in: Shows the ended image" in message.body
    assert "Later image" not in message.body and "Forever image" not in message.body
    assert "E-mailed 1 editor(s) about 2 image(s)." in output
    assert "Shows the ended image" in output
    assert set(ImageRightsNotice.objects.values_list("image__title", "state")) == {
        ("Ended image", "expired"),
        ("Ending image", "expiring"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        again = run()
    assert len(mail.outbox) == 1
    assert "(editors already told)" in again and "about 0 image(s)" in again
    assert expiring.pk


def test_expiring_then_expired_and_a_new_date_each_get_a_notice(
    writer, editor, django_capture_on_commit_callbacks
):
    """An image told of as expiring is told of again once expired; a renewed and changed
    expiry date is a new notice too."""
    image = image_expiring_in(writer, 5, "Soon")
    with django_capture_on_commit_callbacks(execute=True):
        run()
    image.rights_expire_on = timezone.localdate() - datetime.timedelta(days=1)
    store_image(image=image, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        run()
    image.rights_expire_on = timezone.localdate() + datetime.timedelta(days=20)
    store_image(image=image, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        run()
    assert len(mail.outbox) == 3
    assert ImageRightsNotice.objects.filter(image=image).count() == 3


def test_no_email_lists_only(writer, editor, django_capture_on_commit_callbacks):
    """--no-email lists the images and neither sends nor records anything."""
    image_expiring_in(writer, -1, "Ended")
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--no-email")
    assert "Ended" in output and "No e-mail sent" in output
    assert mail.outbox == [] and not ImageRightsNotice.objects.exists()


def test_nothing_to_report(editor):
    assert "No image's rights have expired" in run()
    assert mail.outbox == []


def test_negative_days_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--days must be zero or more"):
        run("--days", "-1")
