"""``python manage.py export_content PATH``: write all content, with its history, as JSON."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from articles.backup import export_content


class Command(BaseCommand):
    help = "Export articles with every version, reviews, audit trail, trials, topics and people."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The JSON file to write.")

    def handle(self, *args, path: Path, **options) -> None:
        counts = export_content(path)
        for label, count in counts.items():
            self.stdout.write(f"{count:>8}  {label}")
        self.stdout.write(self.style.SUCCESS(f"Wrote {sum(counts.values())} rows to {path}."))
