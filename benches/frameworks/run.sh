#!/usr/bin/env bash
# Benchmark minimal Django and Flask apps under gunicorn with wrk, and write
# content/data/framework-benchmark.toml. See benches/frameworks/README.md.
#
#   bash benches/frameworks/run.sh                    # the default run, about 2 minutes
#   BENCH_DURATION=3 BENCH_WARMUP=1 bash benches/frameworks/run.sh
#
# Settings (environment variables, defaults in brackets):
#   BENCH_DURATION [10]        seconds of measured load per test and framework
#   BENCH_WARMUP [3]           seconds of unmeasured load just before each of those (0: none)
#   BENCH_CONNECTIONS [32]     wrk connections
#   BENCH_THREADS [1]          wrk threads
#   BENCH_WORKERS [2]          gunicorn workers, the same for both apps
#   BENCH_WORKER_CLASS [sync]  gunicorn worker class, the same for both apps
#   BENCH_VENV [target/bench-venv]   virtualenv to create or reuse (git-ignored)
#   BENCH_OUTPUT [content/data/framework-benchmark.toml]
#   BENCH_PYTHON [python3]     interpreter to build the virtualenv from
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

DURATION="${BENCH_DURATION:-10}"
WARMUP="${BENCH_WARMUP:-3}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-1}"
WORKERS="${BENCH_WORKERS:-2}"
WORKER_CLASS="${BENCH_WORKER_CLASS:-sync}"
VENV="${BENCH_VENV:-$ROOT/target/bench-venv}"
OUT="${BENCH_OUTPUT:-$ROOT/content/data/framework-benchmark.toml}"
BASE_PYTHON="${BENCH_PYTHON:-python3}"

TESTS=(plaintext json template)
FRAMEWORKS=(django flask)

die() { echo "run.sh: error: $*" >&2; exit 1; }
log() { echo "==> $*"; }

for var in DURATION WARMUP CONNECTIONS THREADS WORKERS; do
  [[ "${!var}" =~ ^[0-9]+$ ]] || die "BENCH_$var must be a whole number, not '${!var}'"
done
((DURATION > 0 && CONNECTIONS > 0 && THREADS > 0 && WORKERS > 0)) \
  || die "BENCH_DURATION, BENCH_CONNECTIONS, BENCH_THREADS and BENCH_WORKERS must be positive"
((CONNECTIONS >= THREADS)) || die "wrk needs at least one connection per thread"

LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"
log "machine load before the run: $(uptime)"

# --- tools: wrk and curl from apt, the frameworks from PyPI into a virtualenv ---

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]})); then
  log "installing ${missing[*]} with apt-get"
  sudo=""
  [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# "wrk 4.1.0 [epoll] ..." upstream, "wrk debian/4.1.0-3+b2 [epoll] ..." from Debian.
WRK_VERSION="$({ wrk -v 2>&1 || true; } | awk 'NR == 1 { v = $2; sub(/^debian\//, "", v); sub(/-.*/, "", v); print $1, v }')"
[[ "$WRK_VERSION" =~ ^wrk\ [0-9] ]] || die "could not read wrk's version"

# shellcheck source=benches/venv.sh
source "$ROOT/benches/venv.sh"
bench_venv "$VENV" "$HERE/requirements.txt" "$BASE_PYTHON" || die "could not make the virtualenv"
PY="$VENV/bin/python"
REPORT=("$PY" "$HERE/report.py")

# --- servers -----------------------------------------------------------------

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-frameworks.XXXXXX")"
declare -A PID=() PORT=()

stop_servers() {
  local fw pid
  for fw in "${!PID[@]}"; do kill -TERM "${PID[$fw]}" 2>/dev/null || true; done
  for fw in "${!PID[@]}"; do
    pid="${PID[$fw]}"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "PID[$fw]"
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_servers
  if ((status != 0)); then
    local f
    for f in "$WORK"/*.log; do
      [[ -s "$f" ]] || continue
      echo "--- last lines of $(basename "$f") ---" >&2
      tail -n 30 "$f" >&2
    done
    echo "run.sh: FAILED (exit $status); $OUT was not written" >&2
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Two free loopback ports, picked while both are held so that they differ.
read -r 'PORT[django]' 'PORT[flask]' < <("$PY" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
')

export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the source tree
start_server() { # framework app-dir wsgi-app
  : >"$WORK/$1.log"
  "$VENV/bin/gunicorn" \
    --bind "127.0.0.1:${PORT[$1]}" \
    --workers "$WORKERS" --worker-class "$WORKER_CLASS" \
    --chdir "$2" --no-control-socket \
    --log-level warning --error-logfile "$WORK/$1.log" \
    "$3" &
  PID[$1]=$!
}

server_ok() { # framework: fail if the server died or logged an error
  kill -0 "${PID[$1]}" 2>/dev/null || die "the $1 server (pid ${PID[$1]}) has exited"
  if grep -Eq '\[(ERROR|CRITICAL)\]|Traceback|WORKER TIMEOUT' "$WORK/$1.log"; then
    die "the $1 server logged an error"
  fi
}

check_responses() { # framework
  local test
  for test in "${TESTS[@]}"; do
    curl -sS --max-time 10 -D "$WORK/headers" -o "$WORK/body" "http://127.0.0.1:${PORT[$1]}/$test" \
      || die "$1 /$test: request failed"
    "${REPORT[@]}" check "$test" "$WORK/headers" "$WORK/body" || die "$1 /$test: wrong response"
  done
}

log "starting gunicorn ($WORKERS $WORKER_CLASS workers each): django on :${PORT[django]}, flask on :${PORT[flask]}"
start_server django "$HERE/django_app" app:application
start_server flask "$HERE/flask_app" app:app

for fw in "${FRAMEWORKS[@]}"; do
  for i in $(seq 300); do
    server_ok "$fw"
    curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:${PORT[$fw]}/plaintext" 2>/dev/null && break
    ((i < 300)) || die "the $fw server did not answer within 30 s"
    sleep 0.1
  done
  check_responses "$fw"
  log "$fw is up; plaintext, json and template responses checked"
done

# --- load ----------------------------------------------------------------------

run_wrk() { # seconds url output-file
  wrk --latency -t "$THREADS" -c "$CONNECTIONS" -d "${1}s" "$2" >"$3" 2>&1 \
    || { cat "$3" >&2; die "wrk failed against $2"; }
}

: >"$WORK/results.tsv"
n=0
for test in "${TESTS[@]}"; do
  # Alternate which framework goes first, so that neither always follows the other.
  if ((n++ % 2 == 0)); then order=(django flask); else order=(flask django); fi
  for fw in "${order[@]}"; do
    url="http://127.0.0.1:${PORT[$fw]}/$test"
    if ((WARMUP > 0)); then
      run_wrk "$WARMUP" "$url" "$WORK/warmup.txt"
      "${REPORT[@]}" parse-wrk "$WORK/warmup.txt" >/dev/null || die "$fw /$test failed during warm-up"
    fi
    log "$test / $fw: ${DURATION}s, $CONNECTIONS connections, $THREADS thread(s)"
    run_wrk "$DURATION" "$url" "$WORK/wrk.txt"
    cat "$WORK/wrk.txt"
    result="$("${REPORT[@]}" parse-wrk "$WORK/wrk.txt")" || die "$fw /$test failed under load"
    server_ok "$fw"
    echo "$test $fw $result" >>"$WORK/results.tsv"
  done
done

for fw in "${FRAMEWORKS[@]}"; do check_responses "$fw"; server_ok "$fw"; done
stop_servers

# --- report --------------------------------------------------------------------

BENCH_WRK_VERSION="$WRK_VERSION" BENCH_LOAD_BEFORE="$LOAD_BEFORE" \
  BENCH_WORKERS="$WORKERS" BENCH_WORKER_CLASS="$WORKER_CLASS" \
  BENCH_CONNECTIONS="$CONNECTIONS" BENCH_THREADS="$THREADS" \
  BENCH_DURATION="$DURATION" BENCH_WARMUP="$WARMUP" \
  "${REPORT[@]}" write-toml "$OUT" "$WORK/results.tsv"

log "results (requests/s, p99 ms):"
printf '    %-10s %-7s %10s %9s\n' test framework req/s p99_ms
while read -r test fw rps p99; do
  printf '    %-10s %-7s %10s %9s\n' "$test" "$fw" "$rps" "$p99"
done <"$WORK/results.tsv"
log "wrote ${OUT#"$ROOT"/}"
