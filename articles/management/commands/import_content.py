"""``python manage.py import_content PATH``: restore an export into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.backup import RestoreError, import_content


class Command(BaseCommand):
    help = "Restore a file written by export_content into a freshly migrated database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The JSON file to read.")

    def handle(self, *args, path: Path, **options) -> None:
        try:
            counts = import_content(path)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        for label, count in counts.items():
            self.stdout.write(f"{count:>8}  {label}")
        self.stdout.write(self.style.SUCCESS(f"Restored {sum(counts.values())} rows from {path}."))
