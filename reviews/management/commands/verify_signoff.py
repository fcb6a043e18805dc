"""``manage.py verify_signoff``: prove that every live and scheduled page was approved, exactly
as served, by a clinical reviewer who did not write it (see ``reviews.signoff``)."""

from django.core.management.base import BaseCommand, CommandError

from reviews.signoff import verify


class Command(BaseCommand):
    help = (
        "Check every live and scheduled snapshot against the sign-off ledger: its content "
        "digest matches an approval of that version by a clinical reviewer with a reviewer "
        "profile who is not among the version's contributors. Prints one line per violation "
        "and exits 1 if there is any."
    )

    def handle(self, *args, **options) -> None:
        report = verify()
        for violation in report.violations:
            self.stdout.write(str(violation))
        if report.violations:
            raise CommandError(
                f"{len(report.violations)} sign-off violation(s) in {report.checked} snapshots."
            )
        self.stdout.write(
            f"Sign-off verified: {report.live} live and {report.scheduled} scheduled snapshots, "
            "each serving exactly the content approved by a clinical reviewer who did not "
            "write it."
        )
