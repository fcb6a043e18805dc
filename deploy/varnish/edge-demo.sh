#!/usr/bin/env bash
# `make edge`: the demo site (SQLite, production settings) served by gunicorn on a loopback
# port with Varnish in front of it on HOST:PORT, purged by the app on every publication.
#
#   deploy/varnish/edge-demo.sh HOST PORT APP_PORT
#
# Run by the Makefile after `migrate`, `collectstatic` and `seed_demo`, with the environment
# of `make serve`. Ctrl-C stops both servers.
set -euo pipefail
cd "$(dirname "$0")/../.."

host=${1:-127.0.0.1}
port=${2:-8000}
app_port=${3:-8001}
BIN=${BIN:-.venv/bin}

# The app purges Varnish's own HTTP port (no admin socket); Varnish is the one proxy in front,
# so the client address the rate limits count is the one it adds to X-Forwarded-For.
export DJANGO_EDGE_PURGE_URLS=${DJANGO_EDGE_PURGE_URLS:-http://127.0.0.1:$port/}
export DJANGO_PROXY_COUNT=${DJANGO_PROXY_COUNT:-1}

app_pid=""
edge_pid=""
stop() {
    trap - EXIT INT TERM
    [[ -z $edge_pid ]] || kill -TERM "$edge_pid" 2>/dev/null || true
    [[ -z $app_pid ]] || kill -TERM "$app_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$BIN/gunicorn" mbc_cms.wsgi:application --workers 2 --bind "127.0.0.1:$app_port" \
    --access-logfile - &
app_pid=$!
for _ in $(seq 1 100); do
    "$BIN/python" -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2)' "http://127.0.0.1:$app_port/healthz" 2>/dev/null && break
    kill -0 "$app_pid" 2>/dev/null || { echo "edge: gunicorn did not start" >&2; exit 1; }
    sleep 0.2
done

echo "Site through Varnish: http://$host:$port/   Admin: http://$host:$port/admin/"
echo "gunicorn (no cache in front): http://127.0.0.1:$app_port/   Ctrl-C stops both."
deploy/varnish/run-edge.sh --backend "127.0.0.1:$app_port" --listen "$host:$port" &
edge_pid=$!
wait "$edge_pid"
