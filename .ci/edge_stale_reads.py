"""Zero stale reads through Varnish: run by .ci/edge-stale-reads (see there).

    python .ci/edge_stale_reads.py --edge http://127.0.0.1:PORT --password PASSWORD

Reader threads hammer, through Varnish, an article's page, its public API detail and the
public API list, recording for every read when it started and which version it saw (the
`edge-mark-N` the checks write into the summary; 404, or absent from the list, when none is
live). Meanwhile, through the editorial API (which Varnish passes), the checks

1. publish a new version (mark 2): every read that starts after the publish call returned
   must show mark 2;
2. schedule a further version (mark 3) a few seconds ahead: no read before the due time may
   show it, and every read that starts after it must (nothing tells Varnish at that moment:
   the app's s-maxage ends then);
3. unpublish it: every read that starts after the call returned is a 404 (or, for the list,
   leaves the article out).

A read that breaks these is a *stale read*: the script prints their count per phase and
exits 1 if there is any, or if Varnish served less than half of the reads from its cache (the
check would prove nothing), or if a read failed.
"""

import argparse
import datetime
import json
import re
import sys
import threading
import time

from edge_client import MARK, CheckFailed, Connection, Editorial, check

READERS = 6
MARK_PATTERN = re.compile(re.escape(MARK) + r"(\d+)")


class Reads:
    def __init__(self):
        self.lock = threading.Lock()
        self.records: list[tuple[str, float, float, object, bool]] = []
        self.errors: list[str] = []
        self.stop = threading.Event()


def seen(kind: str, status: int, text: str, slug: str):
    """The mark a read saw: an int, None for "not live" (a 404, or absent from the list)."""
    if kind == "list":
        check(status == 200, f"list answered {status}")
        for item in json.loads(text)["results"]:
            if item["slug"] == slug:
                mark = MARK_PATTERN.search(item["summary"])
                return int(mark.group(1)) if mark else "?"
        return None
    if status == 404:
        return None
    check(status == 200, f"{kind} answered {status}")
    mark = MARK_PATTERN.search(text)
    return int(mark.group(1)) if mark else "?"


def reader(base: str, paths: dict[str, str], slug: str, reads: Reads, gzip: bool) -> None:
    connection = Connection(base)
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    while not reads.stop.is_set():
        for kind, path in paths.items():
            started = time.monotonic()
            try:
                status, response_headers, text = connection.request("GET", path, headers=headers)
                mark = seen(kind, status, text, slug)
            except (OSError, ValueError, KeyError, CheckFailed) as error:
                with reads.lock:
                    reads.errors.append(f"{kind}: {error}")
                continue
            hit = len(response_headers.get("X-Varnish", "").split()) == 2
            with reads.lock:
                reads.records.append((kind, started, time.monotonic(), mark, hit))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edge", required=True, help="Varnish's address")
    parser.add_argument("--password", required=True)
    parser.add_argument("--phase-seconds", type=float, default=3.0)
    arguments = parser.parse_args()
    base, pause = arguments.edge.rstrip("/"), arguments.phase_seconds

    def say(text: str) -> None:
        print(f"edge-stale-reads: {text}", flush=True)

    editorial = Editorial(base, arguments.password)
    article = editorial.create(1)
    editorial.submit_and_approve(article["id"])
    editorial.publish(article["id"], first=True)
    slug = article["slug"]
    paths = {
        "page": f"/articles/{slug}/",
        "api": f"/api/v1/articles/{slug}/",
        "list": "/api/v1/articles/?ordering=-updated_at&page_size=100",
    }
    say(f"article {article['id']} ({slug}) live with mark 1; {READERS} readers start")

    reads = Reads()
    threads = [
        threading.Thread(target=reader, args=(base, paths, slug, reads, n % 2 == 0), daemon=True)
        for n in range(READERS)
    ]
    for thread in threads:
        thread.start()
    events = {}
    try:
        time.sleep(pause)
        editorial.edit(article["id"], 2)
        editorial.submit_and_approve(article["id"])
        events["publish_called"] = time.monotonic()
        editorial.publish(article["id"], first=False)
        events["published"] = time.monotonic()
        say("published mark 2")
        time.sleep(pause)

        editorial.edit(article["id"], 3)
        editorial.submit_and_approve(article["id"])
        lead = 2 * pause
        at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=lead)
        events["scheduled"] = time.monotonic()
        editorial.publish(article["id"], first=False, at=at)
        # The due time on this clock: the wall-clock moment, moved onto the monotonic clock.
        events["due"] = (
            time.monotonic() + (at - datetime.datetime.now(datetime.UTC)).total_seconds()
        )
        say(f"scheduled mark 3 for {at:%H:%M:%S.%f} UTC")
        time.sleep(max(0.0, events["due"] - time.monotonic()) + pause)

        events["unpublish_called"] = time.monotonic()
        editorial.unpublish(article["id"])
        events["unpublished"] = time.monotonic()
        say("unpublished")
        time.sleep(pause)
    finally:
        reads.stop.set()
        for thread in threads:
            thread.join(timeout=30)

    def at(moment: float) -> set:
        """The marks a read at this moment may show (either side of an action in progress)."""
        if moment < events["publish_called"]:
            return {1}
        if moment < events["published"]:
            return {1, 2}
        if moment < events["due"]:
            return {2}
        if moment < events["unpublish_called"]:
            return {3}
        if moment < events["unpublished"]:
            return {3, None}
        return {None}

    def expected(started: float, ended: float) -> set:
        """What a read may show: what was live at some moment while it was in flight. A read
        that started after an action returned must show its result."""
        allowed = at(started) | at(ended)
        for moment in events.values():
            if started < moment < ended:
                allowed |= at(moment)
        return allowed

    phases = {"publish": [], "scheduled go-live": [], "unpublish": [], "before": []}
    for kind, started, ended, mark, hit in reads.records:
        phase = (
            "before"
            if started < events["published"]
            else "publish"
            if started < events["due"]
            else "scheduled go-live"
            if started < events["unpublished"]
            else "unpublish"
        )
        allowed = expected(started, ended)
        phases[phase].append((kind, mark not in allowed, hit, mark, allowed))

    stale_total = 0
    for phase, rows in phases.items():
        stale = [row for row in rows if row[1]]
        stale_total += len(stale)
        say(f"{phase}: {len(rows)} reads, {len(stale)} stale")
        for kind, _, _, mark, allowed in stale[:5]:
            say(f"  stale {kind} read: saw {mark!r}, expected one of {sorted(allowed, key=str)}")
    hits = sum(1 for record in reads.records if record[4])
    total = len(reads.records)
    say(f"{total} reads, {hits} ({100 * hits / max(total, 1):.0f}%) served from Varnish's cache")
    say(f"STALE READS: {stale_total}")
    failures = []
    if stale_total:
        failures.append(f"{stale_total} stale reads")
    if reads.errors:
        failures.append(f"{len(reads.errors)} failed reads, e.g. {reads.errors[:3]}")
    if total < 100:
        failures.append(f"only {total} reads")
    if hits * 2 < total:
        failures.append("Varnish served less than half of the reads from its cache")
    for failure in failures:
        say(f"FAILED: {failure}")
    if not failures:
        say("no stale reads, and most reads came from the cache")
    # For the CI summary: the three phases, each a test (and one more failed for a failure
    # that is no phase's).
    counted = [phases[p] for p in ("publish", "scheduled go-live", "unpublish")]
    passed = sum(1 for rows in counted if not any(row[1] for row in rows))
    failed = 3 - passed + (1 if failures and passed == 3 else 0)
    print(f"COUNTS {passed} {failed}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CheckFailed as error:
        print(f"edge-stale-reads: FAILED: {error}", file=sys.stderr, flush=True)
        print("COUNTS 0 1", flush=True)
        sys.exit(1)
