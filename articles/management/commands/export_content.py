"""``python manage.py export_content PATH [--include-secrets]``: write all content, with its
history, as JSON, to a file only its owner can read."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.backup import export_content


class Command(BaseCommand):
    help = (
        "Export articles with every version, reviews, audit trail, trials, topics and people, to "
        "a file readable by its owner only. Password hashes, API tokens and webhook signing "
        "secrets are left out unless --include-secrets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, help="The JSON file to write (replaced if it exists; mode 0600)."
        )
        parser.add_argument(
            "--include-secrets",
            action="store_true",
            help="Also write password hashes, API tokens and webhook signing secrets, so that "
            "a restore keeps logins, partner tokens and signatures working. Guard the file "
            "like those secrets.",
        )

    def handle(self, *args, path: Path, include_secrets: bool, **options) -> None:
        try:
            counts = export_content(path, include_secrets=include_secrets)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}") from error
        for label, count in counts.items():
            self.stdout.write(f"{count:>8}  {label}")
        secrets = (
            "with password hashes, API tokens and webhook secrets"
            if include_secrets
            else "without password hashes, API tokens or webhook secrets"
        )
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {sum(counts.values())} rows to {path} ({secrets}).")
        )
