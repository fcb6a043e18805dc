"""export_content / import_content: a round trip loses nothing, and the file keeps secrets out.

A round trip through an empty database loses nothing; the file is private to its owner and holds
no password hashes, API tokens or signing secrets unless asked.
"""

import io
import json
import os
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token

from articles.models import (
    Article,
    PublishedArticle,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from articles.selectors import article_versions
from reviews import workflow
from reviews.models import AuditEntry, ReviewerProfile
from tests import demo_data
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def rows(path) -> list[dict]:
    """The exported rows, comparable across runs."""
    return json.loads(path.read_text())["objects"]


def record_counts() -> dict:
    """How many articles, live snapshots and audit entries there are, and the first's history."""
    return {
        "articles": Article.objects.count(),
        "snapshots": PublishedArticle.objects.live().count(),
        "audit": AuditEntry.objects.count(),
        "history": [v.number for v in article_versions(Article.objects.order_by("pk").first())],
    }


def verifications() -> list[tuple]:
    """Each reviewer profile's credentials verification: when, by whom, how."""
    return list(
        ReviewerProfile.objects.order_by("pk").values_list(
            "user__username",
            "credentials_verified_at",
            "credentials_verified_by__username",
            "verification_note",
        )
    )


def test_round_trip_restores_everything(tmp_path, request):
    """Export, empty the database, import: a second export is identical to the first, the
    reviewers' credential verifications included."""
    demo_data.seed_demo(request)
    first = tmp_path / "first.json"
    call_command("export_content", str(first), stdout=io.StringIO())
    before = record_counts()
    verified = verifications()
    assert verified and all(at and by == "editor" and note for _, at, by, note in verified)
    call_command("flush", "--no-input", stdout=io.StringIO())
    assert Article.objects.count() == 0
    call_command("import_content", str(first), stdout=io.StringIO())
    second = tmp_path / "second.json"
    call_command("export_content", str(second), stdout=io.StringIO())
    assert rows(second) == rows(first)
    assert before == record_counts()
    assert verifications() == verified


def test_import_refuses_a_database_with_content(tmp_path, request):
    """Importing over existing content is refused with a clear message and changes nothing."""
    demo_data.seed_demo(request)
    path = tmp_path / "content.json"
    call_command("export_content", str(path), stdout=io.StringIO())
    count = Article.objects.count()
    with pytest.raises(CommandError, match="already holds content"):
        call_command("import_content", str(path), stdout=io.StringIO())
    assert Article.objects.count() == count


def test_import_rejects_other_files(tmp_path):
    """A file that is not an export is refused."""
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}')
    with pytest.raises(CommandError, match="not an mbc_cms content export"):
        call_command("import_content", str(path))


# The file is sensitive: private to its owner, and secrets only on request -------------------------

HASH_MARKERS = ("pbkdf2_", "md5$", "argon2", "bcrypt", "scrypt")


@pytest.fixture
def secrets_in_database(live_article, editor):
    """Users with password hashes, a partner's API token and a webhook endpoint's secret."""
    token = Token.objects.create(user=editor)
    endpoint = WebhookEndpoint.objects.create(name="Partner", url="https://hooks.partner.example/")
    hashes = list(get_user_model().objects.values_list("password", flat=True))
    assert hashes and all(h.startswith("md5$") for h in hashes)
    return {"hashes": hashes, "token": token.key, "secret": endpoint.secret}


def export(path, *options: str) -> None:
    call_command("export_content", str(path), *options, stdout=io.StringIO())


def test_export_file_is_readable_by_its_owner_only(tmp_path, live_article):
    """The file is created with mode 0600 even under umask 0, and replaces an older readable one."""
    fresh, existing = tmp_path / "fresh.json", tmp_path / "existing.json"
    existing.write_text("an older export")
    existing.chmod(0o644)
    previous = os.umask(0)
    try:
        export(fresh)
        export(existing)
    finally:
        os.umask(previous)
    for path in (fresh, existing):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert rows(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.json", "fresh.json"]


def test_export_to_a_missing_directory_is_a_clear_error(tmp_path):
    """A path that cannot be written is a command error naming it, not a traceback."""
    path = tmp_path / "missing" / "content.json"
    with pytest.raises(CommandError, match=f"Cannot write {path}"):
        call_command("export_content", str(path), stdout=io.StringIO())


def test_export_leaves_out_hashes_tokens_and_webhook_secrets(tmp_path, secrets_in_database):
    """By default no password hash, API token or signing secret is in the file."""
    path = tmp_path / "content.json"
    export(path)

    text = path.read_text()
    for marker in HASH_MARKERS:
        assert marker not in text
    for secret in [*secrets_in_database["hashes"], secrets_in_database["token"]]:
        assert secret not in text
    assert secrets_in_database["secret"] not in text
    users = [row for row in rows(path) if row["model"] == "auth.user"]
    endpoints = [row for row in rows(path) if row["model"] == "articles.webhookendpoint"]
    assert users and all("password" not in row["fields"] for row in users)
    assert endpoints and all("secret" not in row["fields"] for row in endpoints)
    assert json.loads(text)["secrets_included"] is False


def test_include_secrets_exports_hashes_tokens_and_webhook_secrets(tmp_path, secrets_in_database):
    """--include-secrets adds the password hashes, API tokens and signing secrets."""
    path = tmp_path / "content.json"
    export(path, "--include-secrets")

    text = path.read_text()
    for secret in [
        *secrets_in_database["hashes"],
        secrets_in_database["token"],
        secrets_in_database["secret"],
    ]:
        assert secret in text
    assert [row["pk"] for row in rows(path) if row["model"] == "authtoken.token"] == [
        secrets_in_database["token"]
    ]
    assert json.loads(text)["secrets_included"] is True


def test_round_trip_without_secrets(tmp_path, secrets_in_database, editor):
    """Restored users have unusable passwords, tokens are gone, endpoints get new secrets."""
    path = tmp_path / "content.json"
    export(path)
    call_command("flush", "--no-input", stdout=io.StringIO())

    call_command("import_content", str(path), stdout=io.StringIO())

    users = get_user_model().objects.all()
    assert users.count() == len(secrets_in_database["hashes"])
    assert not any(user.has_usable_password() for user in users)
    assert not users.get(username=editor.username).check_password(PASSWORD)
    assert not Token.objects.exists()
    endpoint = WebhookEndpoint.objects.get()
    assert len(endpoint.secret) >= 40
    assert endpoint.secret != secrets_in_database["secret"]
    again = tmp_path / "again.json"
    export(again)
    assert rows(again) == rows(path)


def test_round_trip_with_secrets(tmp_path, secrets_in_database, editor):
    """With --include-secrets, passwords, tokens and signing secrets survive the restore."""
    path = tmp_path / "content.json"
    export(path, "--include-secrets")
    call_command("flush", "--no-input", stdout=io.StringIO())

    call_command("import_content", str(path), stdout=io.StringIO())

    assert get_user_model().objects.get(username=editor.username).check_password(PASSWORD)
    assert Token.objects.get().key == secrets_in_database["token"]
    assert WebhookEndpoint.objects.get().secret == secrets_in_database["secret"]
    again = tmp_path / "again.json"
    export(again, "--include-secrets")
    assert rows(again) == rows(path)


def test_older_export_with_webhook_response_bodies_restores_without_them(
    tmp_path, live_article, editor
):
    """Exports written before response bodies were dropped still restore; the bodies do not."""
    WebhookEndpoint.objects.create(name="Partner", url="https://hooks.partner.example/")
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    WebhookAttempt.objects.create(
        delivery=WebhookDelivery.objects.get(), status_code=500, error="", duration_ms=3
    )
    path = tmp_path / "older.json"
    export(path)
    document = json.loads(path.read_text())
    for row in document["objects"]:
        if row["model"] == "articles.webhookattempt":
            row["fields"]["response_excerpt"] = "internal-only answer"
    path.write_text(json.dumps(document))
    call_command("flush", "--no-input", stdout=io.StringIO())

    call_command("import_content", str(path), stdout=io.StringIO())

    assert WebhookAttempt.objects.get().status_code == 500
    again = tmp_path / "again.json"
    export(again)
    assert "internal-only answer" not in again.read_text()
