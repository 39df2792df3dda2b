#!/usr/bin/env bash
# Real-browser end-to-end tests for versus: Playwright + axe-core on Debian's Chromium, then the
# Nu HTML Checker (vnu-jar on Java) over the site's pages, then Lighthouse on four of them.
# Usage (from anywhere): bash tests/e2e/run.sh [extra Playwright args, e.g. a file or -g PATTERN]
# Builds the binary (debug unless E2E_PROFILE=release), starts it on a free loopback port, runs
# the suite and the checker, stops the server.
# Env: E2E_WORKERS (default 2), E2E_SCREENSHOT_DIR, E2E_PROFILE (debug by default, or release),
# E2E_VNU (1 by default; 0 leaves out the Nu HTML Checker), E2E_LIGHTHOUSE (1 by default; 0
# leaves out Lighthouse).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export E2E_SCREENSHOT_DIR="${E2E_SCREENSHOT_DIR:-$root/target/e2e-screenshots}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
start=$(date +%s)

# 1. Debian's Chromium (never a downloaded browser).
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "e2e: installing chromium and chromium-driver with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y chromium chromium-driver
fi

# Java for the Nu HTML Checker, from Debian too.
if [ "${E2E_VNU:-1}" != 0 ] && ! command -v java >/dev/null 2>&1; then
  echo "e2e: installing default-jre-headless with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y default-jre-headless
fi

# 2. Node dependencies, exactly as locked.
echo "e2e: npm ci"
(cd "$here" && npm ci --no-audit --no-fund)

# 3. The site (shares target/ with every other build). The debug binary by default: it serves
# the same pages (dependencies are optimised in that profile too), and tests/run.sh has built it
# already, where the release profile's whole-program optimisation took about five of CI's
# thirty minutes. E2E_PROFILE=release tests the release binary.
profile="${E2E_PROFILE:-debug}"
case "$profile" in
  debug) build=(cargo build --locked); bin=target/debug/versus ;;
  release) build=(cargo build --locked --release); bin=target/release/versus ;;
  *) echo "e2e: E2E_PROFILE is debug or release, not $profile" >&2; exit 2 ;;
esac
# tests/run.sh names the binary its Rust tests built (VERSUS_BIN), so nothing is compiled twice.
if [ -n "${VERSUS_BIN:-}" ]; then
  bin=$VERSUS_BIN
  echo "e2e: the binary the Rust tests built, $bin"
else
  echo "e2e: ${build[*]}"
  (cd "$root" && "${build[@]}")
fi

# 4. Start the server on a free port; it logs "listening on http://127.0.0.1:PORT" on stderr.
log="$(mktemp)"
# Team decisions go to a database of this run's own, removed with it.
data_dir="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -f "$log"
  rm -rf "$data_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

(cd "$root" && exec "$bin" --bind 127.0.0.1:0 --database "sqlite:$data_dir/teams.db") >/dev/null 2>"$log" &
server_pid=$!

base_url=""
for _ in $(seq 1 100); do
  base_url="$(grep -aoE 'listening on http://127\.0\.0\.1:[0-9]+' "$log" | head -n1 | sed 's/^listening on //' || true)"
  [ -n "$base_url" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "e2e: the server exited before listening:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$base_url" ]; then
  echo "e2e: the server did not report its address within 10 s:" >&2
  cat "$log" >&2
  exit 1
fi
export VERSUS_BASE_URL="$base_url"
echo "e2e: server at $VERSUS_BASE_URL (pid $server_pid)"

# 5. The tests. Fresh screenshots each run.
mkdir -p "$E2E_SCREENSHOT_DIR"
find "$E2E_SCREENSHOT_DIR" -maxdepth 1 -name '*.png' -delete
report="$root/target/e2e-report.json"
rm -f "$report"
status=0
(cd "$here" && npx --no-install playwright test "$@") || status=$?

# 6. Valid HTML: the Nu HTML Checker over every sitemap page and the dynamic ones, in one run.
if [ "${E2E_VNU:-1}" != 0 ]; then
  vnu_status=0
  (cd "$here" && node vnu.js) || vnu_status=$?
  [ "$vnu_status" = 0 ] || { echo "e2e: the Nu HTML Checker failed" >&2; status=1; }
fi

# 7. Lighthouse on home, a topic, the questionnaire and a result: accessibility and best
# practices must score 100; performance is printed, not judged (timings belong to benchmarks).
if [ "${E2E_LIGHTHOUSE:-1}" != 0 ]; then
  lh_status=0
  (cd "$here" && node lighthouse.js) || lh_status=$?
  [ "$lh_status" = 0 ] || { echo "e2e: Lighthouse found problems" >&2; status=1; }
fi

shots=$(find "$E2E_SCREENSHOT_DIR" -maxdepth 1 -name '*.png' | wc -l)
echo "e2e: $shots screenshots in $E2E_SCREENSHOT_DIR"
if [ -f "$report" ]; then
  node -e '
    const s = require(process.argv[1]).stats;
    console.log(`e2e: ${s.expected + s.flaky} passed, ${s.unexpected} failed, ${s.skipped} skipped`);
  ' "$report" || true
fi
echo "e2e: finished in $(( $(date +%s) - start )) s with exit status $status"
exit "$status"
