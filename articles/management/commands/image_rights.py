"""``python manage.py image_rights [--days N] [--no-email]``: images whose rights end.

Lists every image whose rights have expired (it is no longer shown to readers) or expire
within N days (30 by default), with the articles using it, and e-mails the editors about
those they have not been told of yet: once per image, state (expiring, expired) and expiry
date. Safe to run daily; a second run the same day sends nothing.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from articles.images.rights import EXPIRING_DAYS, notify_editors


class Command(BaseCommand):
    help = "List images whose rights expire soon or have expired, and e-mail the editors once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=EXPIRING_DAYS, help="Look this many days ahead."
        )
        parser.add_argument(
            "--no-email", action="store_true", help="Only list the images; send no e-mail."
        )

    def handle(self, *args, days: int, no_email: bool, **options) -> None:
        if days < 0:
            raise CommandError("--days must be zero or more.")
        today = timezone.localdate()
        report = notify_editors(today, days, send=not no_email)
        found = [(entry, False) for entry in report.sent] + [
            (entry, True) for entry in report.already_sent
        ]
        if not found:
            self.stdout.write(f"No image's rights have expired or expire within {days} days.")
            return
        for (image, state, used), told in sorted(
            found, key=lambda item: (item[0][0].rights_expire_on, item[0][0].pk)
        ):
            articles = ", ".join(article.title for article in used) or "no article"
            note = " (editors already told)" if told else ""
            self.stdout.write(
                f"{image.rights_expire_on:%Y-%m-%d}  {state:<8}  {image.title} (#{image.pk}), "
                f"used in {articles}{note}"
            )
        if no_email:
            self.stdout.write("No e-mail sent (--no-email).")
        else:
            self.stdout.write(
                f"E-mailed {report.recipients} editor(s) about {len(report.sent)} image(s)."
            )
