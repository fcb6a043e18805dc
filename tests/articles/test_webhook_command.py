"""The deliver_webhooks command: one pass, a loop with a limit, a clean stop on SIGTERM."""

import io
import signal

import pytest
from django.core.management import call_command

from articles import webhooks
from articles.management.commands import deliver_webhooks
from reviews import workflow

pytestmark = pytest.mark.django_db


def test_command_runs_one_pass(live_article, endpoint, editor, receiver):
    """deliver_webhooks sends what is due once and prints a one-line summary."""
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    out = io.StringIO()

    call_command("deliver_webhooks", stdout=out)

    assert out.getvalue().strip() == "1 sent: 1 succeeded, 0 to retry, 0 failed."
    assert len(receiver.requests) == 1


def test_command_loop_stops_after_max_passes(live_article, endpoint, editor, receiver, monkeypatch):
    """--loop with --max-passes stops on its own and sends each delivery once."""
    # Between passes the worker drops stale connections; here that would end the test's transaction.
    monkeypatch.setattr(deliver_webhooks, "close_old_connections", lambda: None)
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    out = io.StringIO()

    call_command(
        "deliver_webhooks", "--loop", "--interval", "0.01", "--max-passes", "3", stdout=out
    )

    assert "1 sent: 1 succeeded" in out.getvalue()
    assert out.getvalue().strip().endswith("Stopped.")
    assert len(receiver.requests) == 1


def test_command_loop_ends_cleanly_on_sigterm(live_article, endpoint, editor, monkeypatch):
    """SIGTERM during a pass ends the loop after that pass and restores the signal handler."""
    monkeypatch.setattr(deliver_webhooks, "close_old_connections", lambda: None)
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    passes = []
    deliver_due = webhooks.deliver_due

    def deliver_then_terminate(**kwargs):
        passes.append(kwargs)
        signal.raise_signal(signal.SIGTERM)
        return deliver_due(**kwargs)

    monkeypatch.setattr(webhooks, "deliver_due", deliver_then_terminate)
    before = signal.getsignal(signal.SIGTERM)
    out = io.StringIO()

    call_command("deliver_webhooks", "--loop", "--interval", "0.01", stdout=out)

    assert len(passes) == 1
    assert "1 sent: 1 succeeded" in out.getvalue()
    assert out.getvalue().strip().endswith("Stopped.")
    assert signal.getsignal(signal.SIGTERM) is before
