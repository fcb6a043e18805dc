# The seeded demo site served by gunicorn with production settings, for the .ci scripts that
# test a running server (.ci/schemathesis, .ci/validate-html). Sourced, not run:
#
#   PROG=my-check                     # names this script in messages
#   source "$(dirname "$0")/demo-server.sh"
#   demo_server_start                 # then: $BASE, $TMP_DIR, $SERVER_LOG; token_for USER
#
# Sourcing it installs the EXIT trap: the server (and $CHILD_PID, a background command a
# script may set so that a TERM or INT stops it too) is stopped and the temp dir removed on
# exit, whatever happens; on failure the distinct tracebacks of the server's log are printed,
# and the log is copied to $DEMO_SERVER_LOG_COPY when that is set.
#
# demo_server_start creates a throwaway SQLite database and media folder in a `mktemp -d`
# directory, migrates and seeds it with `seed_demo` (the demo users' password is
# $DEMO_PASSWORD), and serves it on a free loopback port: DJANGO_DEBUG=0, a generated secret
# key, no TLS redirect, throttling raised out of the way, django-axes off, no Redis.
# shellcheck shell=bash

readonly ROOT=$PWD
readonly BIN=$ROOT/.venv/bin
readonly PY=$BIN/python

die() {
    printf '%s: error: %s\n' "$PROG" "$*" >&2
    exit 1
}

note() {
    printf '%s: %s\n' "$PROG" "$*" >&2
}

[[ -x $BIN/gunicorn ]] || die "$BIN/gunicorn not found: run 'make install' first"

TMP_DIR=""
SERVER_PID=""
SERVER_LOG=""
CHILD_PID=""
BASE=""

stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || return 0
    for _ in $(seq 1 50); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.2
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# shellcheck disable=SC2317  # invoked via trap
demo_server_cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    set +e
    if [[ -n $CHILD_PID ]]; then
        kill -TERM "$CHILD_PID" 2>/dev/null
        wait "$CHILD_PID" 2>/dev/null
    fi
    stop_server
    if [[ -n $SERVER_LOG && -f $SERVER_LOG ]]; then
        if [[ $rc -ne 0 ]] && grep -q 'Traceback' "$SERVER_LOG"; then
            printf '\n%s: tracebacks in the server log:\n' "$PROG" >&2
            # Each distinct traceback, from its first line to the exception line that ends it.
            awk '/^Traceback/ {p = 1; block = ""}
                 p {block = block $0 "\n"}
                 p && /^[A-Za-z_.]+(Error|Exception|Warning)?:/ {p = 0; if (!seen[block]++) print block}' \
                "$SERVER_LOG" | head -n 400 >&2
        fi
        if [[ -n ${DEMO_SERVER_LOG_COPY:-} ]]; then
            cp "$SERVER_LOG" "$DEMO_SERVER_LOG_COPY"
        fi
    fi
    if [[ -n $TMP_DIR && -d $TMP_DIR ]]; then
        rm -rf -- "$TMP_DIR"
    fi
    exit "$rc"
}

trap demo_server_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

pick_port() {
    "$PY" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# Exit status 0 once /healthz answers 200, 1 if the server died, 2 on timeout.
wait_for_health() {
    local url=$1
    for _ in $(seq 1 150); do
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        if "$PY" -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2).read()' "$url" 2>/dev/null; then
            return 0
        fi
        sleep 0.2
    done
    return 2
}

demo_server_start() {
    TMP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mbc-$PROG.XXXXXXXX")
    SERVER_LOG=$TMP_DIR/server.log

    export DJANGO_DEBUG=0
    DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
    export DJANGO_SECRET_KEY
    export DATABASE_URL="sqlite:///$TMP_DIR/db.sqlite3"
    export DJANGO_MEDIA_ROOT=$TMP_DIR/media
    export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
    export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_SECURE_HSTS_SECONDS=0
    export DJANGO_STATIC_MANIFEST=0  # collectstatic is skipped; nothing here reads static files
    export DJANGO_API_ANON_RATE=1000000/second DJANGO_API_PARTNER_RATE=1000000/second
    export DJANGO_AXES_ENABLED=0
    export DJANGO_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
    export DJANGO_LOG_LEVEL=WARNING
    export DEMO_PASSWORD=${DEMO_PASSWORD:-mbc-demo-2026}
    unset REDIS_URL

    note "database $DATABASE_URL"
    "$PY" manage.py migrate --noinput -v0
    "$PY" manage.py seed_demo >"$TMP_DIR/seed.log" 2>&1 || {
        cat "$TMP_DIR/seed.log" >&2
        die "seed_demo failed"
    }

    # No limit on the request line: generated queries can pass gunicorn's 4094 bytes, and its
    # 414 (answered before the application) is not what is under test.
    local args=(--workers 2 --timeout 60 --graceful-timeout 5 --error-logfile - --limit-request-line 0)
    # gunicorn 27 opens a control socket in ~/.gunicorn, shared with any other server there.
    if "$BIN/gunicorn" --help 2>/dev/null | grep -q -- '--no-control-socket'; then
        args+=(--no-control-socket)
    fi
    local port="" status attempt
    for attempt in 1 2 3 4 5; do
        port=$(pick_port)
        : >"$SERVER_LOG"
        "$BIN/gunicorn" mbc_cms.wsgi:application --bind "127.0.0.1:$port" "${args[@]}" \
            >>"$SERVER_LOG" 2>&1 &
        SERVER_PID=$!
        status=0
        wait_for_health "http://127.0.0.1:$port/healthz" || status=$?
        [[ $status -eq 0 ]] && break
        stop_server
        if [[ $status -eq 1 && $attempt -lt 5 ]] && grep -qi 'address already in use' "$SERVER_LOG"; then
            continue
        fi
        cat "$SERVER_LOG" >&2
        die "the server did not become healthy on port $port"
    done
    BASE="http://127.0.0.1:$port"
    note "gunicorn (pid $SERVER_PID) serving $BASE"
}

# The API token of a demo user.
token_for() {
    "$PY" - "$BASE/api/v1/auth/token/" "$1" "$DEMO_PASSWORD" <<'EOF'
import json
import sys
import urllib.request

url, username, password = sys.argv[1:]
request = urllib.request.Request(
    url,
    data=json.dumps({"username": username, "password": password}).encode(),
    headers={"Content-Type": "application/json", "Accept": "application/json"},
)
with urllib.request.urlopen(request, timeout=10) as response:
    print(json.load(response)["token"])
EOF
}

# Add a step's test counts to the CI summary (.ci/run sets CI_COUNTS_FILE; alone, a no-op).
report_counts() {
    local passed=${1:-0} failed=${2:-0}
    [[ -n ${CI_COUNTS_FILE:-} ]] || return 0
    printf '%s %s %s\n' "$passed" "$failed" "$PROG" >>"$CI_COUNTS_FILE"
}
