#!/usr/bin/env bash
# Instructions per request: each server runs under callgrind (valgrind) with one worker while wrk
# sends it one kind of request; the program's instruction count over the measured seconds (every
# thread: the worker, the log writer, the runtime) is divided by the requests wrk completed.
#
#   bash benches/instructions.sh             # from the repository root, after a release build
#
# Unlike requests a second, the count does not move with the machine's load or a VM's neighbours
# (load.sh's rounds differ by 10–25 % on a 2-core VM), so it tells two builds apart by a few per
# cent. It counts user-space instructions only: the kernel's share of a request (about half of its
# CPU time on loopback) is not in it, and an instruction is not a fixed time (a `rep stos` counts
# once per iteration), so compare builds with it, not servers with nginx.
#
# Settings (environment): BENCH_VERSUS_BIN (target/release/versus), BENCH_FLOOR (1: also measure
# examples/actix_floor.rs, the bare actix-web server of load.sh; 0 leaves it out), BENCH_FLOOR_BIN,
# BENCH_DURATION (10s measured, after 3 s of warm-up), BENCH_ACCESS_LOG (1: versus logs each request,
# as it does by default; 0: VERSUS_LOG=info,access=off). Every request goes to 127.0.0.1 only.
# Results: a table on stdout and in target/instructions.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET_DIR=${CARGO_TARGET_DIR:-target}
VERSUS=${BENCH_VERSUS_BIN:-$TARGET_DIR/release/versus}
FLOOR=${BENCH_FLOOR:-1}
DURATION=${BENCH_DURATION:-10s}
ACCESS_LOG=${BENCH_ACCESS_LOG:-1}
TOPIC=/topics/performance
BROWSER_ENCODING='Accept-Encoding: gzip, deflate, br, zstd'
RESULTS=target/instructions.txt

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
missing=()
command -v valgrind >/dev/null || missing+=(valgrind)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} with apt-get"
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x "$VERSUS" ] || die "no versus binary at $VERSUS (cargo build --release, or set BENCH_VERSUS_BIN)"
FLOOR_BIN=''
if [ "$FLOOR" = 1 ]; then
    FLOOR_BIN=${BENCH_FLOOR_BIN:-$TARGET_DIR/release/examples/actix_floor}
    if [ ! -x "$FLOOR_BIN" ]; then
        log "cargo build --release --example actix_floor"
        cargo build --release --example actix_floor
    fi
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/versus-instructions.XXXXXX")
SERVER_PID=''
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$VERSUS" build --out "$TMP/site" >&2

# The address a server logs as "listening on http://…", once it answers.
address() { # LOG PID NAME
    local url
    for _ in $(seq 600); do
        kill -0 "$2" 2>/dev/null || { cat "$1" >&2; die "$3 exited"; }
        url=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$1" | head -n1 | sed 's/^listening on //') || true
        if [ -n "$url" ] && curl -s -o /dev/null "$url$TOPIC"; then
            echo "$url"
            return
        fi
        sleep 0.2
    done
    die "$3 did not start under valgrind"
}

etag_of() { curl -sI "$1" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }'; }

ROWS=()
measure() { # NAME COMMAND...
    local name=$1
    shift
    local out="$TMP/callgrind.$name"
    if [ "$ACCESS_LOG" = 1 ]; then filter=info; else filter=info,access=off; fi
    VERSUS_LOG=$filter valgrind --tool=callgrind --callgrind-out-file="$out.%p" "$@" >"$TMP/$name.log" 2>&1 &
    SERVER_PID=$!
    local url etag
    url=$(address "$TMP/$name.log" "$SERVER_PID" "$name")
    etag=$(etag_of "$url$TOPIC")
    [ -n "$etag" ] || die "$name sent no ETag for $TOPIC"
    local test header
    for test in 304 browser identity; do
        case $test in
        304) header="If-None-Match: $etag" ;;
        browser) header=$BROWSER_ENCODING ;;
        identity) header='Accept-Encoding: identity' ;;
        esac
        log "$name, $test: warm-up 3s, then $DURATION"
        wrk -t1 -c8 -d3s -H "$header" "$url$TOPIC" >/dev/null
        callgrind_control --zero "$SERVER_PID" >/dev/null 2>&1
        wrk -t1 -c8 -d"$DURATION" -H "$header" "$url$TOPIC" >"$TMP/wrk.txt"
        callgrind_control --dump="$test" "$SERVER_PID" >/dev/null 2>&1
        local requests bad file total
        requests=$(awk '/requests in/ { print $1 }' "$TMP/wrk.txt")
        bad=$(awk '/Non-2xx or 3xx/ { print $NF }' "$TMP/wrk.txt")
        [ -z "$bad" ] || die "$name, $test: $bad responses were not 2xx or 3xx"
        # The newest dump is this test's.
        file=$(ls -t "$out".* | head -n1)
        total=$(callgrind_annotate "$file" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
        [ -n "$total" ] && [ "${requests:-0}" -gt 0 ] || die "$name, $test: no count ($file)"
        ROWS+=("$test|$name|$requests|$total|$((total / requests))")
    done
    kill -INT "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=''
}

measure versus "$VERSUS" --bind 127.0.0.1:0 --workers 1 --content content --database "sqlite:$TMP/teams.db"
[ -z "$FLOOR_BIN" ] || measure floor "$FLOOR_BIN" "$TMP/site" "${TOPIC#/}" 1

mkdir -p target
{
    echo "instructions per request under callgrind, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "one worker; wrk -t1 -c8 -d$DURATION after 3 s of warm-up; every thread counted; access log: $([ "$ACCESS_LOG" = 1 ] && echo on || echo off); $(valgrind --version)"
    echo
    printf '%-9s %-7s %9s %15s %12s\n' test server requests instructions 'per request'
    for row in "${ROWS[@]}"; do
        IFS='|' read -r test server requests total per <<<"$row"
        printf '%-9s %-7s %9s %15s %12s\n' "$test" "$server" "$requests" "$total" "$per"
    done
} | tee "$RESULTS"
log "written to $RESULTS"
