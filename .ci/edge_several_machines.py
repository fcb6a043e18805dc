"""Several app servers behind one Varnish: run by .ci/edge-several-machines (see there).

    python .ci/edge_several_machines.py --a URL --b URL --broken URL --edge URL \
        --password PASSWORD --logs A_LOG B_LOG

A and B are two gunicorn servers (two machines) sharing one PostgreSQL and one Redis; Varnish
uses both as backends; `broken` is a third server whose database cannot be reached. Checks:

1. Varnish shares requests between A and B (each one's access log shows requests it passed).
2. An article published through A is seen at once through B and through Varnish (both had
   the old version cached, in Redis and at the edge), and one published through B through A.
3. The public API's anonymous rate limit holds across both servers: its N requests a minute
   alternately to A and B pass, the next one is a 429 (counted in Redis, not per machine).
4. /healthz on each reflects its own database connection: 200 on A and B, 503 on `broken`.

Each check is printed; the script exits 1 if any failed.
"""

import argparse
import datetime
import json
import re
import sys
import time
import uuid

from edge_client import MARK, CheckFailed, Connection, Editorial, check

MARK_PATTERN = re.compile(re.escape(MARK) + r"(\d+)")


def say(text: str) -> None:
    print(f"edge-several-machines: {text}", flush=True)


def mark_of(connection: Connection, path: str, headers: dict | None = None):
    status, response_headers, text = connection.request("GET", path, headers=headers)
    check(status == 200, f"GET {path}: {status}")
    found = MARK_PATTERN.search(text)
    return (int(found.group(1)) if found else None), response_headers


def round_robin(edge: Connection, logs: list[str]) -> None:
    probe = f"/api/v1/editorial/people/?edge-check={uuid.uuid4().hex}"
    for _ in range(6):
        edge.request("GET", probe)  # passed (the editorial API): a 401 from a backend
    time.sleep(0.5)  # the access logs are written after each answer
    counts = []
    for log in logs:
        with open(log, encoding="utf-8", errors="replace") as file:
            counts.append(sum(1 for line in file if probe in line))
    check(all(counts) and sum(counts) == 6, f"requests through Varnish per server: {counts}")
    say(f"Varnish shared 6 requests between A and B: {counts}")


def publication_is_seen_everywhere(args, editorial_a: Editorial, editorial_b: Editorial) -> None:
    servers = {name: Connection(url) for name, url in (("A", args.a), ("B", args.b))}
    edge = Connection(args.edge)
    # Each direct read from its own address, so these reads never meet the rate limit.
    direct = {"X-Forwarded-For": "198.51.100.1"}
    article = editorial_a.create(1)
    editorial_a.submit_and_approve(article["id"])
    editorial_a.publish(article["id"], first=True)
    paths = (f"/articles/{article['slug']}/", f"/api/v1/articles/{article['slug']}/")
    mark = 1
    for via, editorial in (("A", editorial_a), ("B", editorial_b)):
        # Everyone has the current version, in Redis and at the edge.
        for path in paths:
            for name, connection in servers.items():
                seen, _ = mark_of(connection, path, direct)
                check(seen == mark, f"{path} on {name}: mark {seen}, expected {mark}")
            mark_of(edge, path)
            seen, headers = mark_of(edge, path)
            check(seen == mark, f"{path} through Varnish: mark {seen}, expected {mark}")
            check(
                len(headers.get("X-Varnish", "").split()) == 2,
                f"{path} was not cached by Varnish (X-Varnish: {headers.get('X-Varnish')})",
            )
        mark += 1
        editorial.edit(article["id"], mark)
        editorial.submit_and_approve(article["id"])
        editorial.publish(article["id"], first=False)
        for path in paths:
            for name, connection in (*servers.items(), ("Varnish", edge)):
                seen, _ = mark_of(connection, path, direct if name != "Varnish" else None)
                check(
                    seen == mark,
                    f"after publishing through {via}: {path} on {name} shows mark {seen}",
                )
        say(f"published through {via}: A, B and Varnish show the new version at once")


def rate_limit_holds_across_servers(args) -> None:
    limit = args.anon_limit
    left = 60 - datetime.datetime.now(datetime.UTC).second
    if left < 15:  # the limit counts in minutes since the epoch: stay in one window
        time.sleep(left + 0.5)
    client = {"X-Forwarded-For": "203.0.113.7"}
    servers = [Connection(args.a), Connection(args.b)]
    statuses = []
    for n in range(limit + 2):
        status, headers, _ = servers[n % 2].request("GET", "/api/v1/topics/", headers=client)
        statuses.append(status)
    check(
        statuses[:limit] == [200] * limit and statuses[limit:] == [429, 429],
        f"{limit}/minute alternately on A and B: {statuses}",
    )
    check(headers.get("Retry-After", "").isdigit(), "a 429 without Retry-After")
    other, _, _ = servers[0].request(
        "GET", "/api/v1/topics/", headers={"X-Forwarded-For": "203.0.113.8"}
    )
    check(other == 200, f"another client was limited too: {other}")
    say(f"rate limit: {limit} requests alternately on A and B passed, the next two got 429")


def health_is_each_servers_own(args) -> None:
    for name, url, expected in (
        ("A", args.a, 200),
        ("B", args.b, 200),
        ("broken", args.broken, 503),
    ):
        status, _, text = Connection(url).request("GET", "/healthz")
        check(status == expected, f"/healthz on {name}: {status} {text[:200]}")
        body = json.loads(text)
        want = "ok" if expected == 200 else "unreachable"
        check(body["database"] == want, f"/healthz on {name}: {body}")
    say("/healthz: 200 on A and B, 503 (database unreachable) on the server without a database")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("--a", "--b", "--broken", "--edge", "--password"):
        parser.add_argument(name, required=True)
    parser.add_argument("--logs", nargs=2, required=True)
    parser.add_argument("--anon-limit", type=int, required=True)
    args = parser.parse_args()
    checks = [
        ("round robin", lambda: round_robin(Connection(args.edge), args.logs)),
        (
            "publication seen everywhere",
            lambda: publication_is_seen_everywhere(
                args, Editorial(args.a, args.password), Editorial(args.b, args.password)
            ),
        ),
        ("rate limit across servers", lambda: rate_limit_holds_across_servers(args)),
        ("health of each server", lambda: health_is_each_servers_own(args)),
    ]
    failed = 0
    for name, run in checks:
        try:
            run()
        except (CheckFailed, OSError) as error:
            failed += 1
            say(f"FAILED: {name}: {error}")
    print(f"COUNTS {len(checks) - failed} {failed}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
