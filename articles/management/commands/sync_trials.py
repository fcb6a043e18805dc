"""``python manage.py sync_trials NCT01234567 … | --all | --from-file PATH``: trials from
ClinicalTrials.gov.

Fetches each study from the API v2 (``DJANGO_CTGOV_BASE_URL``), or reads them offline from a
study JSON file, a ``{"studies": [...]}`` page or a directory of such files, and creates or
updates the trials (``articles.ctgov.sync``). Prints one line per study, its warnings and a
summary; exits with status 1 when any study failed (the others are still synced). Run
``sync_trials --all`` daily, like ``review_due``: a change of status, phases, eligibility,
completion date or results flags the articles citing the trial for clinical re-review.
"""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.ctgov.sources import NoStudyFiles, studies_from_path, studies_from_registry
from articles.ctgov.sync import sync_many
from articles.models import ClinicalTrial
from articles.validators import NCT_RE, normalise_nct_id


class Command(BaseCommand):
    help = (
        "Create or update clinical trials from ClinicalTrials.gov: the NCT numbers given, "
        "every stored trial (--all), or study JSON files (--from-file)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("nct_ids", nargs="*", metavar="NCT_ID", help="e.g. NCT01234567")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="refresh_all",
            help="Refresh every stored trial from the registry.",
        )
        parser.add_argument(
            "--from-file",
            metavar="PATH",
            help='A v2 study JSON file, a {"studies": [...]} page, or a directory of them.',
        )

    def handle(
        self, *args, nct_ids: list[str], refresh_all: bool, from_file: str | None, **options
    ) -> None:
        chosen = sum([bool(nct_ids), refresh_all, from_file is not None])
        if chosen != 1:
            raise CommandError(
                "Give NCT numbers, or --all, or --from-file PATH (exactly one of them)."
            )
        if from_file is not None:
            if not from_file.strip():
                raise CommandError("--from-file needs a path to a study file or a directory.")
            try:
                studies = studies_from_path(Path(from_file))
            except NoStudyFiles as error:
                raise CommandError(f"--from-file: {error}") from error
        else:
            if refresh_all:
                wanted = list(
                    ClinicalTrial.objects.order_by("nct_id").values_list("nct_id", flat=True)
                )
            else:
                wanted = list(dict.fromkeys(normalise_nct_id(value) for value in nct_ids))
                invalid = [value for value in wanted if not NCT_RE.match(value)]
                if invalid:
                    raise CommandError(
                        f"Not an NCT number: {', '.join(invalid)} (NCT followed by 8 digits, "
                        "for example NCT01234567)."
                    )
            studies = studies_from_registry(wanted)

        outcomes: Counter[str] = Counter()
        for result in sync_many(studies):
            outcomes[result.outcome] += 1
            line = result.describe()
            self.stdout.write(self.style.ERROR(line) if result.failed else line)
            for warning in result.warnings:
                self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
        total = sum(outcomes.values())
        summary = (
            f"{total} {'study' if total == 1 else 'studies'}: {outcomes['created']} created, "
            f"{outcomes['updated']} updated, {outcomes['unchanged']} unchanged, "
            f"{outcomes['failed']} failed."
        )
        if outcomes["failed"]:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
