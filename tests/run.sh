#!/usr/bin/env bash
# Runs every test of versus: the Rust unit, integration and property tests (team decisions on
# SQLite and on a throwaway PostgreSQL cluster this script starts and removes), the content
# check, and the real-browser suite. Installs what it needs on a fresh Debian machine.
# Usage: bash tests/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "PostgreSQL for the team-decision tests (a throwaway cluster, removed on exit)"
# shellcheck source=tests/postgres.sh
source tests/postgres.sh

step "Rust tests (unit, integration over real HTTP on SQLite and PostgreSQL, snapshots, properties)"
CI=true cargo test --locked --all-targets

step "Content check on the bundled content"
cargo run --locked --quiet -- check --content content

if [ -f tests/e2e/run.sh ]; then
  step "Browser tests (headless Chromium)"
  bash tests/e2e/run.sh
fi

step "All tests passed"
