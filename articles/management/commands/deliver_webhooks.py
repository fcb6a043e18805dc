"""Send due webhook deliveries to partners: one pass, or ``--loop`` as a long-running worker.
Each pass also retries the edge purges still pending (``articles.edge``)."""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from articles import edge, webhooks


class Command(BaseCommand):
    help = (
        "POST due webhook events to partner endpoints, signed, retrying failures with backoff. "
        "Each pass also retries pending edge cache purges. One pass by default; --loop repeats "
        "until interrupted (SIGINT or SIGTERM end it after the current pass)."
    )
    what = "webhooks"

    def deliver(self, limit: int):
        """One pass; returns its report (with ``sent``)."""
        purges = edge.deliver_due(limit=limit)
        if purges.sent:
            self.stdout.write(str(purges))
        return webhooks.deliver_due(limit=limit)

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--loop", action="store_true", help="Keep delivering until interrupted."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="Seconds between passes with --loop (default 5).",
        )
        parser.add_argument(
            "--max-passes",
            type=int,
            default=None,
            help="With --loop, stop after this many passes.",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=100,
            help="Deliveries sent per pass at most (default 100).",
        )

    def handle(self, *args, loop: bool, interval: float, max_passes, limit: int, **options):
        if interval < 0 or limit < 1 or (max_passes is not None and max_passes < 1):
            raise CommandError("--interval must be ≥ 0, --limit and --max-passes ≥ 1.")
        if not loop:
            self.stdout.write(str(self.deliver(limit)))
            return
        stop = threading.Event()
        previous = {
            signum: signal.signal(signum, lambda *_: stop.set())
            for signum in (signal.SIGINT, signal.SIGTERM)
        }
        self.stdout.write(f"Delivering {self.what} every {interval:g} s; Ctrl-C to stop.")
        try:
            passes = 0
            while not stop.is_set():
                close_old_connections()
                report = self.deliver(limit)
                passes += 1
                if report.sent:
                    self.stdout.write(str(report))
                if max_passes is not None and passes >= max_passes:
                    break
                # A full pass may have left more due: go again at once.
                if report.sent < limit:
                    stop.wait(interval)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write("Stopped.")
