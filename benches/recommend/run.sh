#!/usr/bin/env bash
# POST /recommend against a minimal Flask app that scores a four-question form
# (benches/recommend/flask_form.py), on the same machine in one run: gunicorn with the same
# settings as benches/frameworks/run.sh (2 sync workers) and versus as `versus serve` runs it
# (a worker per CPU, access log on). wrk -t1 -c32 on loopback, 10 s after a 2 s warm-up.
# Usage: bash benches/recommend/run.sh   (BENCH_DURATION, BENCH_VERSUS_BIN, BENCH_VENV)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
duration="${BENCH_DURATION:-10}"
venv="${BENCH_VENV:-$root/target/bench-venv}"
bin="${BENCH_VERSUS_BIN:-$root/target/release/versus}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
# shellcheck source=benches/venv.sh
source "$root/benches/venv.sh"
bench_venv "$venv" "$root/benches/frameworks/requirements.txt" python3
[ -n "${BENCH_VERSUS_BIN:-}" ] || (cd "$root" && cargo build --release --locked --quiet)

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PYTHONDONTWRITEBYTECODE=1 "$venv/bin/gunicorn" --bind "127.0.0.1:$port" --workers 2 \
  --worker-class sync --chdir "$here" --no-control-socket --log-level warning flask_form:app \
  2>"$work/flask.log" &
pids+=($!)
"$bin" serve --bind 127.0.0.1:0 --content "$root/content" --database "sqlite:$work/teams.db" \
  2>"$work/versus.log" &
pids+=($!)
versus=""
for _ in $(seq 1 100); do
  versus=$(grep -o 'listening on http://[0-9.:]*' "$work/versus.log" | head -n 1 | sed 's/listening on //') || true
  # Any answer (a 422 for this body) means gunicorn is up.
  flask=$(curl -s -o /dev/null -w '%{http_code}' -d 'x=1' "http://127.0.0.1:$port/recommend" || true)
  [ -n "$versus" ] && [ "$flask" != 000 ] && break
  sleep 0.1
done

post() { # NAME URL BODY
  printf 'wrk.method = "POST"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' "$3" >"$work/post.lua"
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data "$3" "$2")
  [ "$status" = 200 ] || { echo "$1 answered $status, not 200" >&2; exit 1; }
  wrk -t1 -c32 -d2s -s "$work/post.lua" "$2" >/dev/null
  printf '%-40s ' "$1"
  wrk -t1 -c32 -d"${duration}s" -s "$work/post.lua" "$2" | awk '/Requests\/sec/ {print $2 " requests/s"} /Non-2xx|Socket errors/ {print "  " $0}'
}

echo "machine: $(nproc) CPUs, $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ); load before: $(cut -d' ' -f1 /proc/loadavg)"
post "Flask, four questions (gunicorn, 2 sync)" "http://127.0.0.1:$port/recommend" \
  'building=web-app&admin=day-one&team=small-team&deadline=weeks-full'
post "versus, sixteen answers (the bundled form)" "$versus/recommend" \
  'building=web-app&size=medium&lifetime=planned-support&team=small-team&experience=some&admin=day-one&data=relational-many&auth=own-accounts&interface=html-and-api&concurrency=realtime&concurrency=background-jobs&deadline=weeks-full&components=built-in&security=high-no-specialist&hosting=own-server&hosting=preflight-checks'
