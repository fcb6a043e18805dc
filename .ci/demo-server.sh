# shellcheck shell=bash
# A throwaway demo site for CI scripts that test the app over HTTP (.ci/schemathesis,
# .ci/client-journey). Source it from the repository root after setting PROG:
#
#   readonly PROG=my-check
#   source .ci/demo-server.sh
#   demo_server_start          # sets TMP_DIR, BASE (http://127.0.0.1:PORT), SERVER_PID
#   token=$(token_for writer)
#
# demo_server_start creates a `mktemp -d` directory, migrates a SQLite database there and seeds
# it with `seed_demo` (users writer, reviewer, reviewer2, editor and admin, password
# $DEMO_PASSWORD), then serves the app with gunicorn on a free loopback port with production
# settings (DJANGO_DEBUG=0, a generated secret key, no TLS redirect, throttling raised out of
# the way, django-axes off) and waits for /healthz.
#
# On exit, whatever happens, the server is stopped and the temp dir removed; on failure the
# distinct tracebacks of the server log are printed. A script that starts processes of its
# own stops them in a function `demo_on_exit`, defined after sourcing this file.
#
# Optional environment:
#   DEMO_SERVER_LOG   copy the server log to this path on exit

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
BASE=""

# What the sourcing script stops before the server; it redefines this.
demo_on_exit() { :; }

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
demo_cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    set +e
    demo_on_exit
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
        if [[ -n ${DEMO_SERVER_LOG:-} ]]; then
            cp "$SERVER_LOG" "$DEMO_SERVER_LOG"
        fi
    fi
    if [[ -n $TMP_DIR && -d $TMP_DIR ]]; then
        rm -rf -- "$TMP_DIR"
    fi
    exit "$rc"
}

trap demo_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

TMP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mbc-$PROG.XXXXXXXX")
SERVER_LOG=$TMP_DIR/server.log

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
    # Production-like settings on a throwaway database.
    export DJANGO_DEBUG=0
    DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
    export DJANGO_SECRET_KEY
    export DATABASE_URL="sqlite:///$TMP_DIR/db.sqlite3"
    export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
    export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_SECURE_HSTS_SECONDS=0
    export DJANGO_STATIC_MANIFEST=0 # collectstatic is skipped; nothing here serves static files
    export DJANGO_API_ANON_RATE=1000000/second DJANGO_API_PARTNER_RATE=1000000/second
    export DJANGO_AXES_ENABLED=0
    export DJANGO_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
    export DJANGO_LOG_LEVEL=WARNING
    export DEMO_PASSWORD=${DEMO_PASSWORD:-mbc-demo-2026}
    export DJANGO_MEDIA_ROOT=$TMP_DIR/media # seed_demo's diagrams, next to its database
    unset REDIS_URL

    note "database $DATABASE_URL"
    "$PY" manage.py migrate --noinput -v0
    "$PY" manage.py seed_demo >"$TMP_DIR/seed.log" 2>&1 || {
        cat "$TMP_DIR/seed.log" >&2
        die "seed_demo failed"
    }

    local gunicorn_args=(--workers 2 --timeout 60 --graceful-timeout 5 --error-logfile -)
    # gunicorn 27 opens a control socket in ~/.gunicorn, shared with any other server there.
    if "$BIN/gunicorn" --help 2>/dev/null | grep -q -- '--no-control-socket'; then
        gunicorn_args+=(--no-control-socket)
    fi

    local port="" attempt status
    for attempt in 1 2 3 4 5; do
        port=$(pick_port)
        : >"$SERVER_LOG"
        "$BIN/gunicorn" mbc_cms.wsgi:application --bind "127.0.0.1:$port" "${gunicorn_args[@]}" \
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

# The API token of a demo user, from the token endpoint.
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
