"""The sign-off ledger, checked: every live or scheduled snapshot serves exactly the content
that a clinical reviewer, who did not write it, approved.

For each open snapshot (live now, or scheduled to go live) :func:`verify` checks that

1. the digest of what the snapshot serves (recomputed from its stored title, text, HTML,
   references…) equals the digest stored with it, so a snapshot changed in the database after
   publication is caught;
2. an approval of that same article version exists and carries the same digest (the newest
   sign-off counts: a later confirmation that the live content is still accurate, bound to
   the same digest, signs the page again);
3. the approver is a clinical reviewer with a reviewer profile;
4. the approver is not among that version's contributors: its byline authors, and everyone who
   saved a version since the previous publication; and their reviewer profile listed the
   page's language when they approved (``Review.reviewer_languages``, recorded with each
   sign-off since issue 17's review: an older sign-off, which has none, is not checked for it);
5. the reviewer printed on the page is the approver as they stood when approving;
6. the audit trail records the sign-off (by that reviewer, with that digest) and the
   publication of that version;
7. each image the snapshot shows has its stored original, whose SHA-256 is the file digest
   that was approved, and every rendition it names (the files pages, the API and the sharing
   tags link to), whose SHA-256 is the one approved with it (a file missing, replaced or
   tampered with in the storage is caught). Each distinct file is read once per run;
8. the parts of the page stored with the snapshot (trust box, table of contents, references,
   the lead image's figure, the structured data: ``articles.page_parts``), when of the
   current format, are what its content renders to.

A snapshot's digest is checked under the sign-off format it was made in
(``articles.snapshots.digest_format``): pages approved before images joined the digest still
verify, as long as they show no image; pages approved before rendition hashes joined it
(format 2) have their renditions compared with the hashes the media library recorded.

``manage.py verify_signoff`` prints one line per violation. It reads in chunks with a fixed
number of queries per chunk, so it stays fast at 100,000 articles.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils import timezone
from reversion.models import Version

from articles.images.delivery import original_name
from articles.images.serving import SERVED_NAME
from articles.models import Article, ArticleRevision, Image, PublishedArticle
from articles.page_parts import stored_parts_differ
from articles.snapshots import SIGNOFF_FORMAT, content_digest, digest_format, snapshot_content

from .models import AuditEntry, Review, ReviewerProfile
from .roles import language_name

# Sign-offs of a version: approvals (published or not yet), and confirmations that the live
# content is still accurate. The newest one is what the page shows.
DECIDED = (Review.Status.APPROVED, Review.Status.PUBLISHED, Review.Status.CONFIRMED)
# The audit action that records each kind of sign-off.
SIGNOFF_ACTION = {
    Review.Status.APPROVED: "approve",
    Review.Status.PUBLISHED: "approve",
    Review.Status.CONFIRMED: "confirm_current",
}
CHUNK = 500


@dataclass(frozen=True)
class Violation:
    """One broken promise: which snapshot, and what failed."""

    article_id: int
    slug: str
    version: int
    problem: str

    def __str__(self) -> str:
        return f"article {self.article_id} ({self.slug}) version {self.version}: {self.problem}"


@dataclass
class Report:
    live: int = 0
    scheduled: int = 0
    violations: list[Violation] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return self.live + self.scheduled


@dataclass
class _Ledger:
    """What the checks read about one chunk of articles, loaded in a fixed number of queries."""

    approvals: dict[tuple[int, int], dict]
    profiles: set[int]
    published_versions: dict[int, list[int]]
    savers: dict[tuple[int, int], int | None]
    authors: dict[tuple[int, int], set[int]]
    audits: set[tuple]


def _load_ledger(article_ids: list[int]) -> _Ledger:
    approvals = {
        (row["article_id"], row["version"]): row
        for row in Review.objects.filter(article_id__in=article_ids, status__in=DECIDED)
        .order_by("decided_at", "pk")
        .values(
            "article_id",
            "version",
            "status",
            "reviewer_id",
            "digest",
            "reviewer_byline",
            "reviewer_languages",
        )
    }
    reviewer_ids = {row["reviewer_id"] for row in approvals.values() if row["reviewer_id"]}
    profiles = set(
        ReviewerProfile.objects.filter(user_id__in=reviewer_ids).values_list("user_id", flat=True)
    )
    published_versions: dict[int, list[int]] = defaultdict(list)
    for article_id, version in PublishedArticle.objects.filter(
        article_id__in=article_ids
    ).values_list("article_id", "version"):
        published_versions[article_id].append(version)
    savers: dict[tuple[int, int], int | None] = {}
    revision_of: dict[int, tuple[int, int]] = {}
    for article_id, version, user_id, revision_id in ArticleRevision.objects.filter(
        article_id__in=article_ids
    ).values_list("article_id", "version", "revision__user_id", "revision_id"):
        savers[(article_id, version)] = user_id
        revision_of[revision_id] = (article_id, version)
    return _Ledger(
        approvals=approvals,
        profiles=profiles,
        published_versions=published_versions,
        savers=savers,
        authors=_authors_by_version(revision_of),
        audits=set(
            AuditEntry.objects.filter(
                article_id__in=article_ids,
                action__in=[*set(SIGNOFF_ACTION.values()), "publish"],
            ).values_list("article_id", "version", "action", "user_id", "digest")
        ),
    )


def _authors_by_version(revision_of: dict[int, tuple[int, int]]) -> dict[tuple[int, int], set[int]]:
    """The byline of each article version, read from its stored django-reversion version."""
    article_type = ContentType.objects.get_for_model(Article)
    authors: dict[tuple[int, int], set[int]] = {}
    rows = Version.objects.filter(
        revision_id__in=list(revision_of), content_type=article_type
    ).values_list("revision_id", "object_id", "serialized_data")
    for revision_id, object_id, data in rows:
        article_id, version = revision_of[revision_id]
        if object_id == str(article_id):
            fields = json.loads(data)[0]["fields"]
            authors[(article_id, version)] = set(fields.get("authors") or [])
    return authors


def contributors(ledger: _Ledger, article_id: int, version: int) -> set[int]:
    """Who wrote ``version``: its byline, and whoever saved a version after the publication
    before it (the same rule the workflow applies when the approval is given)."""
    earlier = [v for v in ledger.published_versions.get(article_id, []) if v < version]
    since = max(earlier, default=0)
    savers = {
        ledger.savers.get((article_id, number)) for number in range(since + 1, version + 1)
    } - {None}
    return savers | ledger.authors.get((article_id, version), set())


def stored_file_digest(name: str) -> str | None:
    """SHA-256 (hex) of the stored file ``name``, or None when there is no such file."""
    if not default_storage.exists(name):
        return None
    sha = hashlib.sha256()
    with default_storage.open(name, "rb") as stored:
        for block in iter(lambda: stored.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _shown_images(snapshot: PublishedArticle) -> list:
    return [*(snapshot.images or []), *([snapshot.lead_image] if snapshot.lead_image else [])]


def _is_image_data(entry: object) -> bool:
    """Image data whose files can be looked up: an id, a file digest, and renditions named
    as the media library names its files (nothing outside ``images/<digest>/``)."""
    return (
        isinstance(entry, dict)
        and "id" in entry
        and re.fullmatch(r"[0-9a-f]{64}", str(entry.get("digest"))) is not None
        and isinstance(entry.get("renditions") or [], list)
        and all(
            isinstance(rendition, dict)
            and SERVED_NAME.fullmatch(str(rendition.get("name"))) is not None
            for rendition in entry.get("renditions") or []
        )
    )


def _image_files(data: dict) -> Iterator[tuple[str, str | None]]:
    """Each file of an image's data, with the SHA-256 approved for it: the original (its
    digest), then every rendition (its ``sha256``; None on pages approved before format 3)."""
    yield original_name(str(data["digest"]), str(data.get("format"))), str(data["digest"])
    for rendition in data.get("renditions") or []:
        yield rendition["name"], rendition.get("sha256")


def recorded_hashes(snapshots: list[PublishedArticle]) -> dict[str, str]:
    """The SHA-256 the media library recorded for each rendition of the images that
    ``snapshots`` show without an approved one (pages approved under formats 1 and 2), by
    file name; one query, none when every rendition shown has its approved hash."""
    digests = {
        str(data["digest"])
        for snapshot in snapshots
        for data in _shown_images(snapshot)
        if _is_image_data(data)
        and any("sha256" not in rendition for rendition in data.get("renditions") or [])
    }
    if not digests:
        return {}
    return {
        rendition["name"]: rendition["sha256"]
        for renditions in Image.objects.filter(digest__in=digests).values_list(
            "renditions", flat=True
        )
        for rendition in renditions or []
        if rendition.get("sha256")
    }


def _image_problems(
    snapshot: PublishedArticle, file_digests: dict[str, str | None], recorded: dict[str, str]
) -> Iterator[str]:
    """Each file of each image shown (its original and every rendition readers are served)
    must still be the file approved; ``file_digests`` remembers the files already read (by
    name), so that a file shown on many pages is read once per run. A rendition of a page
    approved before its hash was part of the sign-off is compared with the hash the media
    library ``recorded``."""
    shown = _shown_images(snapshot)
    if not all(_is_image_data(entry) for entry in shown):
        yield "the images of the snapshot are not image data"
        return
    files: dict[str, tuple[int, str | None]] = {}
    for data in shown:
        for name, approved in _image_files(data):
            files.setdefault(name, (data["id"], approved))
    for name, (image_id, approved) in files.items():
        if name not in file_digests:
            file_digests[name] = stored_file_digest(name)
        found = file_digests[name]
        if found is None:
            yield f"image {image_id}: its file {name} is missing from the storage"
        elif approved and found != approved:
            yield _altered(image_id, name, found, approved, "approved")
        elif not approved and recorded.get(name, found) != found:
            yield _altered(image_id, name, found, recorded[name], "recorded")


def _altered(image_id: int, name: str, found: str, expected: str, how: str) -> str:
    whose = "the one approved" if how == "approved" else "the one the media library recorded"
    return (
        f"image {image_id}: the stored file {name} is not {whose} (its SHA-256 is "
        f"{found[:12]}…, {how} {expected[:12]}…): it was replaced or altered in the storage"
    )


def _problems(
    snapshot: PublishedArticle,
    ledger: _Ledger,
    file_digests: dict[str, str | None],
    recorded: dict[str, str],
) -> Iterator[str]:
    content = snapshot_content(snapshot)
    signoff_format = digest_format(content, snapshot.digest) if snapshot.digest else None
    served = content_digest(content, signoff_format or SIGNOFF_FORMAT)
    yield from _image_problems(snapshot, file_digests, recorded)
    if not snapshot.digest:
        yield "the snapshot has no sign-off digest"
    elif signoff_format is None:
        yield (
            f"the content served (digest {served[:12]}…) is not the content published "
            f"(digest {snapshot.digest[:12]}…): the snapshot was changed after publication"
        )
    if stored_parts_differ(snapshot):
        yield (
            "the page's stored heading, head times, trust box, table of contents or "
            "references, its lead image's figure or its structured data (JSON-LD), are not "
            "what its content renders to: they were changed after publication"
        )
    key = (snapshot.article_id, snapshot.version)
    approval = ledger.approvals.get(key)
    if approval is None:
        yield "no clinical approval of this version"
        return
    if approval["digest"] != served:
        yield "the content served is not the content the clinical reviewer approved"
    reviewer = approval["reviewer_id"]
    if reviewer is None or reviewer not in ledger.profiles:
        yield f"approved by user {reviewer}, who has no reviewer profile"
    elif reviewer in contributors(ledger, *key):
        yield f"approved by user {reviewer}, who wrote or edited this version"
    read = approval["reviewer_languages"]
    if read is not None and snapshot.language not in read:
        yield (
            f"approved by user {reviewer}, whose reviewer profile did not list "
            f"{snapshot.language} ({language_name(snapshot.language)}) among the languages "
            "they reviewed in when approving"
        )
    if snapshot.reviewed_by != approval["reviewer_byline"]:
        yield "the reviewer shown on the page is not the clinician who approved this version"
    approved = (*key, SIGNOFF_ACTION[approval["status"]], reviewer, approval["digest"])
    if approved not in ledger.audits:
        yield "the audit trail has no record of this sign-off"
    if not any(entry[:3] == (*key, "publish") for entry in ledger.audits):
        yield "the audit trail has no record of this publication"


def _chunks(snapshots: QuerySet[PublishedArticle]) -> Iterable[list[PublishedArticle]]:
    ids = list(snapshots.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        yield list(
            PublishedArticle.objects.filter(pk__in=ids[start : start + CHUNK])
            .prefetch_related("related_trials")
            .order_by("article_id", "go_live_at")
        )


def verify(snapshots: QuerySet[PublishedArticle] | None = None) -> Report:
    """Check every open snapshot (or those in ``snapshots``) against the sign-off ledger."""
    now = timezone.now()
    report = Report()
    queryset = PublishedArticle.objects.open_at(now) if snapshots is None else snapshots
    file_digests: dict[str, str | None] = {}
    for chunk in _chunks(queryset):
        ledger = _load_ledger(sorted({snapshot.article_id for snapshot in chunk}))
        recorded = recorded_hashes(chunk)
        for snapshot in chunk:
            if snapshot.go_live_at <= now:
                report.live += 1
            else:
                report.scheduled += 1
            report.violations.extend(
                Violation(snapshot.article_id, snapshot.slug, snapshot.version, problem)
                for problem in _problems(snapshot, ledger, file_digests, recorded)
            )
    return report
