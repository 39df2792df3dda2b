#!/usr/bin/env bash
# Load test: versus (`versus serve`, pages from memory) against nginx serving the same site as
# static files (`versus build --out`, with the pre-compressed .gz siblings via gzip_static).
#
#   bash benches/load.sh                       # from the repository root, on a fresh Debian machine
#   BENCH_DURATION=30s BENCH_CONNECTIONS=64 bash benches/load.sh
#
# Two modes, both run by default (BENCH_MODE=both; or pinned, or user):
# - pinned: one worker each, servers pinned to their CPUs and wrk to the others, no access log
#   (what the server can do, with the load generator out of its way);
# - user: what a user runs with `cargo run --release` or `versus serve`: a worker per CPU (nginx
#   `worker_processes auto`), nothing pinned, the access log on for both.
# The results go to target/load-results-{pinned,user}.txt and, together, target/load-results.txt.
# The settings below override a mode's.
#
# Settings (environment): BENCH_DURATION (10s) per measurement, BENCH_WARMUP (2s) before each,
# BENCH_CONNECTIONS (32), BENCH_WORKERS (1: nginx worker processes = versus --workers),
# BENCH_PIN (1: pin the servers to the first BENCH_WORKERS CPUs and wrk to the others, when
# there are more CPUs than workers and taskset exists; 0 turns it off), BENCH_ACCESS_LOG (0: no
# access log on either server, as nginx's `access_log off`; 1: versus logs each request to a file
# as it does by default, and nginx too), BENCH_VERSUS_BIN (an already built versus binary to
# measure instead of building one: for comparing builds, e.g. two allocators, side by side).
# BENCH_FLOOR (1: also measure examples/actix_floor.rs, a bare actix-web server answering the
# topic page from memory with no middleware or log: the most actix-web itself can do, to tell
# versus's own cost from the framework's; 0 leaves it out), BENCH_FLOOR_BIN (an already built
# actix_floor), BENCH_ROUNDS (1: how many times each test is measured, the servers taking turns
# within each round; the table shows each test's median round (the lower middle one for an even
# count) and every round's requests/s:
# on a 2-core machine a server's rate moves by a fifth from one run to the next, so 3 rounds give
# a steadier ratio). Every request goes to 127.0.0.1 only. Results: a table on stdout and in target/load-results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${BENCH_MODE:-both}
case "$MODE" in
both)
    BENCH_MODE=pinned bash "$0"
    BENCH_MODE=user BENCH_VERSUS_BIN=${BENCH_VERSUS_BIN:-${CARGO_TARGET_DIR:-target}/release/versus} bash "$0"
    cat target/load-results-pinned.txt <(echo) target/load-results-user.txt >target/load-results.txt
    exit 0
    ;;
pinned) DEFAULT_WORKERS=1 DEFAULT_PIN=1 DEFAULT_ACCESS_LOG=0 ;;
user) DEFAULT_WORKERS=auto DEFAULT_PIN=0 DEFAULT_ACCESS_LOG=1 ;;
*)
    echo "error: BENCH_MODE is both, pinned or user, not $MODE" >&2
    exit 2
    ;;
esac

DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
WORKERS=${BENCH_WORKERS:-$DEFAULT_WORKERS}
PIN=${BENCH_PIN:-$DEFAULT_PIN}
ACCESS_LOG=${BENCH_ACCESS_LOG:-$DEFAULT_ACCESS_LOG}
# What a browser sends; nginx answers it with its .gz sibling, versus with brotli.
BROWSER_ENCODING='Accept-Encoding: gzip, deflate, br, zstd'
TOPIC=/topics/performance
# A complete, valid answer set (ids from `versus recommend --questions`).
FORM_BODY='building=web-app&size=medium&lifetime=planned-support&team=small-team&experience=some&admin=day-one&data=relational-many&auth=own-accounts&interface=html-and-api&concurrency=realtime&concurrency=background-jobs&deadline=weeks-full&components=built-in&security=high-no-specialist&hosting=own-server&hosting=preflight-checks'
FLOOR=${BENCH_FLOOR:-1}
ROUNDS=${BENCH_ROUNDS:-1}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
RESULTS=target/load-results-$MODE.txt

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
case "$ROUNDS" in
'' | *[!0-9]* | 0) die "BENCH_ROUNDS is a count of rounds (1 or more), not $ROUNDS" ;;
esac

# --- tools -------------------------------------------------------------------------------------
SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} with apt-get"
    # Keep the package's own nginx service from starting on port 80 (Debian's policy-rc.d hook).
    policy_added=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
        "${SUDO[@]}" chmod 755 /usr/sbin/policy-rc.d
        policy_added=1
    fi
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ "$policy_added" = 1 ]; then "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d; fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
"$NGINX" -V 2>&1 | grep -q -- --with-http_gzip_static_module ||
    die "$NGINX lacks the gzip_static module (install Debian's nginx package)"

# --- build and export --------------------------------------------------------------------------
if [ -n "${BENCH_VERSUS_BIN:-}" ]; then
    VERSUS=$BENCH_VERSUS_BIN
    log "using the versus binary $VERSUS"
else
    log "cargo build --release"
    cargo build --release
    VERSUS=$TARGET_DIR/release/versus
fi

FLOOR_BIN=''
if [ "$FLOOR" = 1 ]; then
    if [ -n "${BENCH_FLOOR_BIN:-}" ]; then
        FLOOR_BIN=$BENCH_FLOOR_BIN
    else
        log "cargo build --release --example actix_floor"
        cargo build --release --example actix_floor
        FLOOR_BIN=$TARGET_DIR/release/examples/actix_floor
    fi
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/versus-load.XXXXXX")
NGINX_PID=''
VERSUS_PID=''
FLOOR_PID=''
cleanup() {
    local pid
    for pid in "$NGINX_PID" "$VERSUS_PID" "$FLOOR_PID"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# nginx's workers drop to `nobody`; they must be able to read the export.
chmod 755 "$TMP"

"$VERSUS" build --out "$TMP/site" >&2
chmod -R a+rX "$TMP/site"

# --- CPU placement -----------------------------------------------------------------------------
CPUS=$(nproc)
SERVER_PIN=()
WRK_PIN=()
if [ "$PIN" = 1 ] && [ "$WORKERS" != auto ] && [ "$WORKERS" -lt "$CPUS" ] && command -v taskset >/dev/null; then
    SERVER_PIN=(taskset -c "0-$((WORKERS - 1))")
    WRK_PIN=(taskset -c "$WORKERS-$((CPUS - 1))")
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 40000))
        if ! port_in_use "$port"; then
            echo "$port"
            return
        fi
    done
    die "no free port found"
}
wait_for() { # URL PID NAME
    for _ in $(seq 100); do
        kill -0 "$2" 2>/dev/null || return 1
        if curl -s -o /dev/null "$1"; then return 0; fi
        sleep 0.1
    done
    die "$3 did not answer at $1"
}

logged_address() { # LOG PID NAME: the address a server logs as "listening on http://…"
    local url
    for _ in $(seq 300); do
        kill -0 "$2" 2>/dev/null || { cat "$1" >&2; die "$3 exited"; }
        url=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$1" | head -n1 | sed 's/^listening on //') || true
        if [ -n "$url" ]; then
            echo "$url"
            return
        fi
        sleep 0.1
    done
    die "$3 did not log its address"
}

# --- versus ------------------------------------------------------------------------------------
if [ "$ACCESS_LOG" = 1 ]; then VERSUS_FILTER=info; else VERSUS_FILTER=info,access=off; fi
# `auto` leaves the worker count to versus (one per CPU), as `versus serve` does.
WORKER_ARGS=()
[ "$WORKERS" = auto ] || WORKER_ARGS=(--workers "$WORKERS")
VERSUS_LOG=$VERSUS_FILTER "${SERVER_PIN[@]}" "$VERSUS" --bind 127.0.0.1:0 "${WORKER_ARGS[@]}" 2>"$TMP/versus.log" &
VERSUS_PID=$!
VERSUS_URL=$(logged_address "$TMP/versus.log" "$VERSUS_PID" versus)
wait_for "$VERSUS_URL/healthz" "$VERSUS_PID" versus

# --- the actix-web floor -----------------------------------------------------------------------
FLOOR_URL=''
if [ -n "$FLOOR_BIN" ]; then
    FLOOR_WORKERS=()
    [ "$WORKERS" = auto ] || FLOOR_WORKERS=("$WORKERS")
    "${SERVER_PIN[@]}" "$FLOOR_BIN" "$TMP/site" "${TOPIC#/}" "${FLOOR_WORKERS[@]}" 2>"$TMP/floor.log" &
    FLOOR_PID=$!
    FLOOR_URL=$(logged_address "$TMP/floor.log" "$FLOOR_PID" actix_floor)
fi

# --- nginx -------------------------------------------------------------------------------------
mkdir -p "$TMP/nginx"
# versus's own headers (security policy, caching), so both answers are about the same size.
NGINX_HEADERS=$(curl -sI "$VERSUS_URL$TOPIC" | tr -d '\r' | awk -F': ' '
    NR > 1 && NF >= 2 {
        name = tolower($1)
        if (name ~ /^(content-length|content-type|content-encoding|date|etag|last-modified|vary|server|connection|keep-alive|transfer-encoding|accept-ranges|x-request-id)$/) next
        value = substr($0, length($1) + 3)
        if (value ~ /[$"\\]/) next  # nginx cannot quote these
        printf "        add_header %s \"%s\" always;\n", $1, value
    }')
[ -n "$NGINX_HEADERS" ] || die "versus sent no headers to copy"
if [ "$ACCESS_LOG" = 1 ]; then NGINX_ACCESS_LOG="$TMP/nginx/access.log"; else NGINX_ACCESS_LOG=off; fi
write_nginx_conf() { # PORT
    cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes $WORKERS;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
    types {
        text/html html; text/css css; text/plain txt; application/xml xml;
        application/json json; image/svg+xml svg;
    }
    default_type application/octet-stream;
    charset utf-8;
    access_log $NGINX_ACCESS_LOG;
    client_body_temp_path $TMP/nginx/client_body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    sendfile on;
    tcp_nopush on;
    # Like actix, never close a keep-alive connection after N requests (nginx's default is 1000).
    keepalive_requests 1000000;
    open_file_cache max=1000 inactive=60s;
    server {
        listen 127.0.0.1:$1;
        root $TMP/site;
        gzip_static on;
        gzip_vary on;
        etag on;
$NGINX_HEADERS
        location / {
            try_files \$uri \$uri/index.html =404;
        }
    }
}
EOF
}
for _ in 1 2 3; do
    NGINX_PORT=$(free_port)
    write_nginx_conf "$NGINX_PORT"
    "${SERVER_PIN[@]}" "$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" &
    NGINX_PID=$!
    if wait_for "http://127.0.0.1:$NGINX_PORT/" "$NGINX_PID" nginx; then break; fi
    NGINX_PID=''
done
[ -n "$NGINX_PID" ] || { cat "$TMP/nginx/error.log" >&2; die "nginx did not start"; }
NGINX_URL=http://127.0.0.1:$NGINX_PORT

# --- check every response before measuring ------------------------------------------------------
etag_of() { curl -sI "$1" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }'; }
NGINX_ETAG=$(etag_of "$NGINX_URL$TOPIC")
VERSUS_ETAG=$(etag_of "$VERSUS_URL$TOPIC")
[ -n "$NGINX_ETAG" ] || die "nginx sent no ETag for $TOPIC"
[ -n "$VERSUS_ETAG" ] || die "versus sent no ETag for $TOPIC"

cat >"$TMP/post.lua" <<EOF
wrk.method = "POST"
wrk.body = "$FORM_BODY"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
EOF

# name|server|url|expected status|expected Content-Encoding (or -)|extra wrk/curl header (or -)|lua (or -)
TESTS=(
    "topic identity|nginx|$NGINX_URL$TOPIC|200|-|-|-"
    "topic identity|versus|$VERSUS_URL$TOPIC|200|-|-|-"
    "topic gzip|nginx|$NGINX_URL$TOPIC|200|gzip|Accept-Encoding: gzip|-"
    "topic gzip|versus|$VERSUS_URL$TOPIC|200|gzip|Accept-Encoding: gzip|-"
    "topic br|versus|$VERSUS_URL$TOPIC|200|br|Accept-Encoding: br|-"
    "topic browser|nginx|$NGINX_URL$TOPIC|200|gzip|$BROWSER_ENCODING|-"
    "topic browser|versus|$VERSUS_URL$TOPIC|200|br|$BROWSER_ENCODING|-"
    "home identity|nginx|$NGINX_URL/|200|-|-|-"
    "home identity|versus|$VERSUS_URL/|200|-|-|-"
    "topic 304|nginx|$NGINX_URL$TOPIC|304|-|If-None-Match: $NGINX_ETAG|-"
    "topic 304|versus|$VERSUS_URL$TOPIC|304|-|If-None-Match: $VERSUS_ETAG|-"
    "POST /recommend|versus|$VERSUS_URL/recommend|200|-|-|$TMP/post.lua"
)
if [ -n "$FLOOR_URL" ]; then
    FLOOR_ETAG=$(etag_of "$FLOOR_URL$TOPIC")
    TESTS+=(
        "topic identity|floor|$FLOOR_URL$TOPIC|200|-|-|-"
        "topic browser|floor|$FLOOR_URL$TOPIC|200|gzip|$BROWSER_ENCODING|-"
        "topic 304|floor|$FLOOR_URL$TOPIC|304|-|If-None-Match: $FLOOR_ETAG|-"
    )
fi

declare -A BYTES
for t in "${TESTS[@]}"; do
    IFS='|' read -r name server url status encoding header lua <<<"$t"
    args=(-s -o /dev/null -D "$TMP/headers" -w '%{http_code} %{size_download} %{size_header}\n')
    [ "$header" = - ] || args+=(-H "$header")
    if [ "$lua" != - ]; then
        args+=(-X POST -H 'Content-Type: application/x-www-form-urlencoded' --data "$FORM_BODY")
    fi
    read -r got size header_size < <(curl "${args[@]}" "$url")
    [ "$got" = "$status" ] || die "$name on $server: expected $status, got $got ($url)"
    got_encoding=$(tr -d '\r' <"$TMP/headers" | awk 'tolower($1) == "content-encoding:" { print $2 }')
    [ "${got_encoding:--}" = "$encoding" ] ||
        die "$name on $server: expected Content-Encoding ${encoding}, got ${got_encoding:-none}"
    BYTES["$name|$server"]="$header_size $size"
    log "ok: $name on $server: $got, $header_size bytes of headers, ${size}-byte body${got_encoding:+, $got_encoding}"
done

# --- measure -----------------------------------------------------------------------------------
# wrk's summary → "requests/s p50(ms) p99(ms) errors"
summarise() {
    awk '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
            if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
            return v + 0
        }
        /^Requests\/sec:/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        /Socket errors:/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
        END { printf "%.0f %.3f %.3f %d\n", rps, p50, p99, errors }
    ' "$1"
}

LOAD_BEFORE=$(uptime)
log "load before: $LOAD_BEFORE"
# Each round measures every test once, so the servers alternate within a round; a test's row is
# its median round (the errors are all rounds' together).
declare -A RUNS
i=0
for round in $(seq "$ROUNDS"); do
    for t in "${TESTS[@]}"; do
        IFS='|' read -r name server url status encoding header lua <<<"$t"
        args=(-t1 -c"$CONNECTIONS" --latency)
        [ "$header" = - ] || args+=(-H "$header")
        [ "$lua" = - ] || args+=(-s "$lua")
        log "round $round/$ROUNDS: $name on $server: warm-up $WARMUP, then $DURATION"
        "${WRK_PIN[@]}" wrk "${args[@]}" -d"$WARMUP" "$url" >/dev/null
        i=$((i + 1))
        "${WRK_PIN[@]}" wrk "${args[@]}" -d"$DURATION" "$url" >"$TMP/wrk-$i.txt"
        RUNS["$name|$server"]+="$(summarise "$TMP/wrk-$i.txt");"
    done
done
declare -A RPS
ROWS=()
for t in "${TESTS[@]}"; do
    IFS='|' read -r name server _ <<<"$t"
    runs=${RUNS["$name|$server"]}
    read -r rps p50 p99 _ < <(tr ';' '\n' <<<"$runs" | grep . | sort -n -k1,1 | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2)')
    errors=$(tr ';' '\n' <<<"$runs" | awk '{ e += $4 } END { print e + 0 }')
    every=$(tr ';' '\n' <<<"$runs" | grep . | cut -d' ' -f1 | paste -sd/)
    RPS["$name|$server"]=$rps
    read -r header_size size <<<"${BYTES["$name|$server"]}"
    ROWS+=("$name|$server|$rps|$p50|$p99|$errors|$header_size|$size|$every")
done
LOAD_AFTER=$(uptime)

# --- report ------------------------------------------------------------------------------------
mkdir -p "$(dirname "$RESULTS")"
{
    echo "versus load test ($MODE mode), $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "wrk -t1 -c$CONNECTIONS -d$DURATION --latency (warm-up $WARMUP); $ROUNDS round(s), the median shown; $WORKERS worker(s) each; access log: $([ "$ACCESS_LOG" = 1 ] && echo on || echo off);" \
        "${SERVER_PIN[*]:-no pinning}${WRK_PIN[*]:+ / wrk: ${WRK_PIN[*]}}; $("$NGINX" -v 2>&1 | sed 's/.*: //'); $(nproc) CPUs"
    [ -z "$FLOOR_URL" ] || echo "floor: examples/actix_floor.rs, bare actix-web (same version and workers, no middleware, no access log), the page from memory"
    echo "load before: $LOAD_BEFORE"
    echo "load after:  $LOAD_AFTER"
    echo
    printf '%-16s %-7s %9s %8s %8s %6s %7s %7s %7s  %s\n' test server 'req/s' 'p50 ms' 'p99 ms' errors 'hdr B' 'body B' 'vs/ngx' "$([ "$ROUNDS" = 1 ] || echo 'every round')"
    for row in "${ROWS[@]}"; do
        IFS='|' read -r name server rps p50 p99 errors header_bytes body_bytes every <<<"$row"
        ratio=''
        if [ "$server" != nginx ] && [ -n "${RPS["$name|nginx"]:-}" ]; then
            ratio=$(awk -v v="$rps" -v n="${RPS["$name|nginx"]}" 'BEGIN { printf "%.2f", (n > 0) ? v / n : 0 }')
        fi
        printf '%-16s %-7s %9s %8s %8s %6s %7s %7s %7s  %s\n' "$name" "$server" "$rps" "$p50" "$p99" "$errors" "$header_bytes" "$body_bytes" "$ratio" "$([ "$ROUNDS" = 1 ] || echo "$every")"
    done
} | tee "$RESULTS"
log "written to $RESULTS"
