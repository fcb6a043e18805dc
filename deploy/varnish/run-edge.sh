#!/usr/bin/env bash
# Start Varnish with mbc_cms's VCL (deploy/varnish/default.vcl) in front of one or more app
# servers: used by `make edge`, the edge CI steps (.ci/edge-stale-reads,
# .ci/edge-several-machines) and the benchmark (benchmarks/edge.py).
#
#   deploy/varnish/run-edge.sh [OPTIONS]            # in the foreground (Ctrl-C stops it)
#   deploy/varnish/run-edge.sh --background [...]   # prints VARNISH_* lines to eval, returns
#   deploy/varnish/run-edge.sh --stop DIR           # stops a background Varnish, removes DIR
#   deploy/varnish/run-edge.sh --install            # installs varnish + varnish-modules
#
# Options:
#   --backend HOST:PORT   an app server (repeat for several: a round-robin director, each
#                         probed on /healthz); default 127.0.0.1:8001
#   --purger ADDRESS      an address (or "addr"/len network) allowed to PURGE, besides
#                         localhost (repeatable)
#   --listen HOST:PORT    where Varnish listens; PORT 0 (the default) picks a free port
#   --dir DIR             working directory (default: a new `mktemp -d`); the generated
#                         backends.vcl, the copied default.vcl, varnishd.pid and varnishd.log
#                         go there (as root, it and its parents must be readable by the
#                         unprivileged user varnishd compiles the VCL as)
#   --storage SIZE        malloc storage (default 256m)
#   --debug               X-Cache / X-Cache-Hits on every answer (VARNISH_EDGE_DEBUG=1)
#
# With --background, once Varnish answers it prints, for `eval`:
#   VARNISH_URL=http://HOST:PORT VARNISH_DIR=DIR VARNISH_PID=PID
# Varnish and the VCL's modules are installed with apt-get when missing and run as root
# (otherwise the script says what to install), like the browser tests' Chromium.
set -euo pipefail

readonly PROG=run-edge
HERE=$(cd "$(dirname "$0")" && pwd)
readonly HERE
PATH=$PATH:/usr/sbin:/sbin

die() {
    printf '%s: error: %s\n' "$PROG" "$*" >&2
    exit 1
}

note() {
    printf '%s: %s\n' "$PROG" "$*" >&2
}

have_varnish() {
    command -v varnishd >/dev/null 2>&1 || return 1
    compgen -G '/usr/lib/*/varnish/vmods/libvmod_xkey.so' >/dev/null ||
        compgen -G '/usr/lib/varnish/vmods/libvmod_xkey.so' >/dev/null
}

install_varnish() {
    have_varnish && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        note "installing varnish and varnish-modules with apt-get"
        apt-get update -qq >&2
        # Debian's packages start a system varnishd on :6081 where they may; not here.
        DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            varnish varnish-modules >/dev/null
        have_varnish || die "varnish installed, but varnishd or the xkey module is missing"
    else
        die "the edge cache needs Varnish with the xkey module: sudo apt-get install varnish varnish-modules"
    fi
}

backends=()
purgers=()
listen=127.0.0.1:0
dir=""
storage=256m
background=0
debug=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --backend) backends+=("$2"); shift 2 ;;
        --purger) purgers+=("$2"); shift 2 ;;
        --listen) listen=$2; shift 2 ;;
        --dir) dir=$2; shift 2 ;;
        --storage) storage=$2; shift 2 ;;
        --background) background=1; shift ;;
        --debug) debug=1; shift ;;
        --install) install_varnish; exit 0 ;;
        --stop)
            [[ -n ${2:-} && -d $2 ]] || exit 0
            # Only a working directory this script made (never remove anything else).
            head -n 1 "$2/backends.vcl" 2>/dev/null | grep -qx '# Written by deploy/varnish/run-edge.sh' ||
                die "$2 is not a working directory of run-edge.sh"
            if [[ -f $2/varnishd.pid ]]; then
                pid=$(cat "$2/varnishd.pid")
                if [[ $pid =~ ^[0-9]+$ ]] && kill -TERM "$pid" 2>/dev/null; then
                    for _ in $(seq 1 50); do
                        kill -0 "$pid" 2>/dev/null || break
                        sleep 0.1
                    done
                    kill -KILL "$pid" 2>/dev/null || true
                fi
            fi
            rm -rf -- "$2"
            exit 0
            ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
[[ ${#backends[@]} -gt 0 ]] || backends=(127.0.0.1:8001)
[[ $listen =~ ^(.*):([0-9]+)$ ]] || die "--listen wants HOST:PORT, got $listen"
listen_host=${BASH_REMATCH[1]}
listen_port=${BASH_REMATCH[2]}

install_varnish

made_dir=0
if [[ -z $dir ]]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/mbc-varnish.XXXXXXXX")
    made_dir=1
fi
mkdir -p "$dir"
chmod 0755 "$dir"
# varnishd's own state (-n) lives in a sub-directory it creates; the VCL is copied so that
# the unprivileged user varnishd compiles it as can read it wherever the checkout is.
cp "$HERE/default.vcl" "$dir/default.vcl"
{
    printf '# Written by deploy/varnish/run-edge.sh\nvcl 4.1;\n\nimport directors;\n\n'
    sed -n '/^probe healthz {/,/^}/p' "$HERE/backends.vcl"
    i=0
    for backend in "${backends[@]}"; do
        i=$((i + 1))
        [[ $backend =~ ^(.*):([0-9]+)$ ]] || die "--backend wants HOST:PORT, got $backend"
        printf '\nbackend app%d {\n    .host = "%s";\n    .port = "%s";\n    .probe = healthz;\n' \
            "$i" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
        printf '    .connect_timeout = 2s;\n    .first_byte_timeout = 60s;\n    .between_bytes_timeout = 30s;\n}\n'
    done
    printf '\nsub vcl_init {\n    new app = directors.round_robin();\n'
    for ((n = 1; n <= i; n++)); do
        printf '    app.add_backend(app%d);\n' "$n"
    done
    printf '}\n\nacl purgers {\n    "localhost";\n    "127.0.0.1";\n    "::1";\n'
    for purger in "${purgers[@]}"; do
        if [[ $purger == */* ]]; then
            printf '    "%s"/%s;\n' "${purger%/*}" "${purger#*/}"
        else
            printf '    "%s";\n' "$purger"
        fi
    done
    printf '}\n'
} >"$dir/backends.vcl"

pick_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

export VARNISH_EDGE_DEBUG=$debug
args=(-n "$dir/state" -f "$dir/default.vcl" -p "vcl_path=$dir" -s "malloc,$storage"
    -T 127.0.0.1:0 -P "$dir/varnishd.pid")

if [[ $background -eq 0 ]]; then
    [[ $listen_port != 0 ]] || listen_port=$(pick_port)
    note "Varnish on http://$listen_host:$listen_port/ in front of ${backends[*]} (working dir $dir)"
    varnishd_pid=""
    # shellcheck disable=SC2317  # invoked via trap
    foreground_cleanup() {
        trap - EXIT INT TERM
        [[ -z $varnishd_pid ]] || kill -TERM "$varnishd_pid" 2>/dev/null || true
        wait 2>/dev/null || true
        [[ $made_dir -eq 0 ]] || rm -rf -- "$dir"
    }
    trap foreground_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    varnishd -F -a "$listen_host:$listen_port" "${args[@]}" &
    varnishd_pid=$!
    wait "$varnishd_pid"
    exit
fi

# In the background: wait until it answers (any HTTP status: the backends may still start).
for attempt in 1 2 3 4 5; do
    port=$listen_port
    [[ $port != 0 ]] || port=$(pick_port)
    rm -f "$dir/varnishd.pid"
    if varnishd -a "$listen_host:$port" "${args[@]}" >"$dir/varnishd.log" 2>&1; then
        for _ in $(seq 1 100); do
            if python3 -c 'import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass' "http://$listen_host:$port/healthz" 2>/dev/null; then
                printf 'VARNISH_URL=http://%s:%s VARNISH_DIR=%s VARNISH_PID=%s\n' \
                    "$listen_host" "$port" "$dir" "$(cat "$dir/varnishd.pid")"
                exit 0
            fi
            sleep 0.1
        done
    fi
    if [[ $attempt -lt 5 && $listen_port == 0 ]] && grep -qi 'address already in use\|could not get socket' "$dir/varnishd.log"; then
        continue
    fi
    cat "$dir/varnishd.log" >&2
    die "Varnish did not start on $listen_host:$port"
done
