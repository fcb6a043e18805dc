"""``python manage.py review_due --days N``: articles whose clinical review is due soon.

Lists every article whose next review is due within N days (overdue ones first) and e-mails
each one's authors and last clinical reviewer, one message per person. With
``DJANGO_OVERDUE_UNPUBLISH_DAYS`` set, it first unpublishes the pages past that limit (as the
first public read of the day would). It also e-mails the authors of live translations whose
source has a newer live version, if they were not told yet (``reviews.translations``).
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reviews.notifications import review_due_reminder
from reviews.selectors import articles_due_for_review
from reviews.translations import notify_translators
from reviews.workflow import unpublish_overdue


class Command(BaseCommand):
    help = "List articles due for clinical review within N days and e-mail their people."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="Look this many days ahead.")
        parser.add_argument(
            "--no-email", action="store_true", help="Only list the articles; send no e-mail."
        )

    def handle(self, *args, days: int, no_email: bool, **options) -> None:
        if days < 0:
            raise CommandError("--days must be zero or more.")
        today = timezone.localdate()
        for article in unpublish_overdue(today):
            self.stdout.write(
                f"Unpublished {article.title} (id {article.pk}): past its clinical review date "
                f"by more than {settings.OVERDUE_UNPUBLISH_DAYS} days."
            )
        if not no_email:
            for notice in notify_translators():
                self.stdout.write(
                    f"Told the translators of {notice.translation.title} (id "
                    f"{notice.translation_id}): its source's version {notice.source_version} "
                    + ("was withdrawn." if notice.source_withdrawn else "is live.")
                )
        due = articles_due_for_review(today + datetime.timedelta(days=days))
        if not due:
            self.stdout.write(f"No article is due for clinical review within {days} days.")
            return
        recipients: dict = defaultdict(list)
        for article in due:
            overdue = (today - article.next_review_due).days
            when = f"OVERDUE by {overdue} days" if overdue > 0 else f"due in {-overdue} days"
            self.stdout.write(f"{article.next_review_due:%Y-%m-%d}  {when:<22} {article.title}")
            for person in article.review_contacts:
                recipients[person].append(article)
        if not no_email:
            sent = sum(
                review_due_reminder(person, articles) for person, articles in recipients.items()
            )
            self.stdout.write(f"E-mailed {sent} people.")
        self.stdout.write(f"{len(due)} article(s) due within {days} days.")
