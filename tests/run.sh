#!/usr/bin/env bash
# Runs every test of versus: the Rust unit, integration and property tests, the content check,
# and the real-browser suite. Installs what it needs on a fresh Debian machine.
# Usage: bash tests/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Rust tests (unit, integration over real HTTP, snapshots, properties)"
CI=true cargo test --locked --all-targets

step "Content check on the bundled content"
cargo run --locked --quiet -- check --content content

if [ -f tests/e2e/run.sh ]; then
  step "Browser tests (headless Chromium)"
  bash tests/e2e/run.sh
fi

step "All tests passed"
