"""``python manage.py import_content PATH [--dry-run]``: restore an export into a new database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.backup import RestoreError, import_content


class Command(BaseCommand):
    help = (
        "Restore a file written by export_content into a new, migrated database. Refused, "
        "writing nothing, if any table it would write already holds rows, or if a live or "
        "scheduled page in the file fails the sign-off check (manage.py verify_signoff)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The JSON file to read.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do every step and check, report what would be restored, then keep nothing.",
        )

    def handle(self, *args, path: Path, dry_run: bool = False, **options) -> None:
        try:
            report = import_content(path, dry_run=dry_run)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        for label, count in report.counts.items():
            self.stdout.write(f"{count:>8}  {label}")
        rows = sum(report.counts.values())
        pages = f"{report.live} live and {report.scheduled} scheduled pages pass the sign-off check"
        if report.dry_run:
            self.stdout.write(f"Dry run: would restore {rows} rows from {path}; {pages}.")
            self.stdout.write("Nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Restored {rows} rows from {path}; {pages}."))
