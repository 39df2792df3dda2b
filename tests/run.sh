#!/usr/bin/env bash
# Runs every test of versus: the Rust unit, integration and property tests (team decisions on
# SQLite and on a throwaway PostgreSQL cluster this script starts and removes), the content
# check, and the real-browser suite. Installs what it needs on a fresh Debian machine.
# Usage: bash tests/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step says how long the one before it took, so the log shows where the time goes.
step_started=$(date +%s)
step() {
  local now
  now=$(date +%s)
  [ -n "${step_name:-}" ] && printf '==> %s took %d s\n' "$step_name" "$(( now - step_started ))"
  step_name=$*
  step_started=$now
  printf '\n==> %s\n' "$*"
}

step "PostgreSQL for the team-decision tests (a throwaway cluster, removed on exit)"
# shellcheck source=tests/postgres.sh
source tests/postgres.sh

step "Rust tests (unit, integration over real HTTP on SQLite and PostgreSQL, snapshots, properties)"
CI=true cargo test --locked --all-targets
# The binary that build made (with the dev-dependencies' features, as the integration tests run it)
# serves the later steps: a plain `cargo build` would compile about a minute of dependencies again
# with other features.
export VERSUS_BIN=target/debug/versus

step "Content check on the bundled content"
"$VERSUS_BIN" check --content content

step "API conformance: schemathesis against /api/openapi.json (a Python venv under target/)"
# Every documented operation, with generated valid and invalid input, must answer as documented:
# no 5xx, documented statuses and content types, bodies matching their schemas, 405 for other
# methods. `positive_data_acceptance` is left out: answers are checked against the questionnaire,
# which the schema cannot express, so schema-valid answers are often (rightly) 422.
venv=target/schemathesis-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "schemathesis==4.32.5"
fi
st_dir=$(mktemp -d)
"$VERSUS_BIN" serve --bind 127.0.0.1:0 --content content --database "sqlite:$st_dir/teams.db" 2>"$st_dir/log" &
st_pid=$!
for _ in $(seq 1 100); do
  st_addr=$(grep -o 'listening on http://[0-9.:]*' "$st_dir/log" | head -n 1 | sed 's/listening on //') || true
  [ -n "${st_addr:-}" ] && break
  sleep 0.1
done
st_status=0
"$venv/bin/schemathesis" run "$st_addr/api/openapi.json" --checks all \
  --exclude-checks positive_data_acceptance --max-examples 30 || st_status=$?
kill "$st_pid" 2>/dev/null || true
wait "$st_pid" 2>/dev/null || true
rm -rf "$st_dir"
[ "$st_status" = 0 ] || { echo "schemathesis found problems" >&2; exit 1; }

if [ -f tests/e2e/run.sh ]; then
  step "Browser tests (headless Chromium)"
  bash tests/e2e/run.sh
fi

step "All tests passed"
