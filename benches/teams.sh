#!/usr/bin/env bash
# Team decisions under load: the team page's latency (wrk, 32 connections) and answer
# submissions per second, on SQLite and on PostgreSQL, against the release binary on loopback.
# Usage: bash benches/teams.sh   (BENCH_DURATION=10 seconds per test by default)
#
# SQLite runs as shipped (WAL, synchronous=FULL: every answer is synced before its 201).
# PostgreSQL is a throwaway local cluster (tests/postgres.sh) with fsync ON, so its commits are
# durable too. The team page shown has 20 members; submissions rotate over 1,000 teams so none
# reaches the 50-member limit within the run. Team creation goes through --trusted-proxy with a
# different X-Forwarded-For per team, so the per-client rate limit does not stop the setup.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${BENCH_DURATION:-10}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked --quiet
work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

answers='{"building":"content-site","size":"large","lifetime":"planned-support","team":"small-team","experience":"some","admin":"day-one","data":"relational-many","auth":"own-accounts","interface":"html","deadline":"weeks-full","components":"built-in","security":"ordinary"}'

start() {
  target/release/versus serve --bind 127.0.0.1:0 --database "$1" --trusted-proxy 127.0.0.1 2>"$work/log" &
  server_pid=$!
  for _ in $(seq 1 100); do
    addr=$(grep -o 'listening on http://[0-9.:]*' "$work/log" | head -n 1 | sed 's/listening on //') || true
    [ -n "${addr:-}" ] && break
    sleep 0.1
  done
  for _ in $(seq 1 100); do
    curl -sf "$addr/readyz" >/dev/null && return 0
    sleep 0.1
  done
  echo "the store never became ready" >&2
  exit 1
}

new_team() {
  curl -sf -X POST -H 'Content-Type: application/json' -H "X-Forwarded-For: 10.0.$(( $1 / 250 )).$(( $1 % 250 + 1 ))" \
    -d '{"title":"Bench"}' "$addr/api/teams" | python3 -c 'import json,sys; print(json.load(sys.stdin)["team"])'
}

measure() {
  local label="$1"
  local shown
  shown=$(new_team 0)
  for i in $(seq 1 20); do
    curl -sf -X POST -H 'Content-Type: application/json' -d "{\"name\":\"member $i\",\"answers\":$answers}" \
      "$addr/api/teams/$shown/answers" >/dev/null
  done
  # Room for 50,000 answers (1,000 teams of 50), made by one Python process.
  python3 - "$addr" 1000 >"$work/teams.txt" <<'PY'
import json, sys, urllib.request
addr, count = sys.argv[1], int(sys.argv[2])
for i in range(1, count + 1):
    request = urllib.request.Request(
        addr + "/api/teams", data=b'{"title":"Bench"}', method="POST",
        headers={"Content-Type": "application/json",
                 "X-Forwarded-For": "10.1.%d.%d" % (i // 250, i % 250 + 1)})
    print(json.load(urllib.request.urlopen(request))["team"])
PY
  cat >"$work/post.lua" <<LUA
local teams = {}
for line in io.lines("$work/teams.txt") do teams[#teams + 1] = line end
local n = 0
request = function()
  n = n + 1
  local team = teams[(n % #teams) + 1]
  local body = string.format('{"name":"w%d-%d","answers":%s}', math.random(1, 1000000000), n, '$answers')
  return wrk.format("POST", "/api/teams/" .. team .. "/answers", {["Content-Type"] = "application/json"}, body)
end
LUA
  echo "== $label: GET /teams/{team} (20 members), wrk -t1 -c32 -d${duration}s"
  wrk --latency -t1 -c32 -d"${duration}s" "$addr/teams/$shown" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors' || true
  echo "== $label: POST /api/teams/{team}/answers (1,000 teams), wrk -t1 -c32 -d${duration}s"
  wrk --latency -t1 -c32 -d"${duration}s" -s "$work/post.lua" "$addr" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors' || true
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

echo "machine: $(nproc) CPUs, $(uname -sr); load before: $(cut -d' ' -f1 /proc/loadavg)"
start "sqlite:$work/teams.db"
measure "SQLite"
(
  export VERSUS_TEST_PG_FSYNC=on
  # shellcheck source=tests/postgres.sh
  source tests/postgres.sh
  start "$VERSUS_TEST_POSTGRES"
  measure "PostgreSQL"
)
