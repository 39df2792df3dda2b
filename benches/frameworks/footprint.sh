#!/usr/bin/env bash
# Measure the footprint of the minimal Django and Flask apps that run.sh
# benchmarks: install size, import time, cold start and memory, and write
# content/data/footprint.toml. See benches/frameworks/README.md.
#
#   bash benches/frameworks/footprint.sh              # about a minute
#   FOOTPRINT_RUNS=3 FOOTPRINT_OUTPUT=target/try.toml bash benches/frameworks/footprint.sh
#
# Settings (environment variables, defaults in brackets):
#   FOOTPRINT_RUNS [10]      measured cold starts (and imports) per framework
#   FOOTPRINT_WARMUP [1]     unmeasured starts per framework before those (0: none)
#   FOOTPRINT_DIR [target/footprint]   where the two fresh virtualenvs go (git-ignored)
#   FOOTPRINT_OUTPUT [content/data/footprint.toml]
#   BENCH_PYTHON [python3]   interpreter to build the virtualenvs from
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

RUNS="${FOOTPRINT_RUNS:-10}"
WARMUP="${FOOTPRINT_WARMUP:-1}"
DIR="${FOOTPRINT_DIR:-$ROOT/target/footprint}"
OUT="${FOOTPRINT_OUTPUT:-$ROOT/content/data/footprint.toml}"
BASE_PYTHON="${BENCH_PYTHON:-python3}"
REQUIREMENTS="$HERE/requirements.txt"

die() { echo "footprint.sh: error: $*" >&2; exit 1; }
log() { echo "==> $*"; }

[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -gt 0 ]] || die "FOOTPRINT_RUNS must be a positive whole number"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "FOOTPRINT_WARMUP must be a whole number"
"$BASE_PYTHON" -m pip --version >/dev/null 2>&1 || die "$BASE_PYTHON has no pip"

LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"
log "machine load before the run: $(uptime)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/footprint.XXXXXX")"
trap 'status=$?; rm -rf "$WORK"; ((status == 0)) || echo "footprint.sh: FAILED (exit $status); $OUT was not written" >&2' EXIT

# --- one fresh virtualenv per framework -----------------------------------------
# Created without pip (so its site-packages holds only what is installed into
# it), then filled by the base interpreter's pip (`pip --python`, pip >= 22.3)
# with the same pins and flags as run.sh: --no-deps --only-binary=:all:.
for fw in django flask; do
  venv="$DIR/$fw"
  if [[ -e "$venv" ]]; then
    [[ -f "$venv/pyvenv.cfg" ]] || die "$venv exists and is not a virtualenv; remove it or set FOOTPRINT_DIR"
    rm -rf "$venv"
  fi
  mkdir -p "$DIR"
  "$BASE_PYTHON" "$HERE/footprint.py" requirements "$fw" "$REQUIREMENTS" >"$WORK/$fw-requirements.txt"
  log "creating $venv: $(tr '\n' ' ' <"$WORK/$fw-requirements.txt")"
  "$BASE_PYTHON" -m venv --without-pip "$venv"
  "$BASE_PYTHON" -m pip --python "$venv/bin/python" install --quiet --disable-pip-version-check \
    --no-deps --only-binary=:all: -r "$WORK/$fw-requirements.txt"
  "$BASE_PYTHON" -m pip --python "$venv/bin/python" check --disable-pip-version-check >/dev/null \
    || die "pip check failed in $venv"
done

# --- measure and write ------------------------------------------------------------------

export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the source tree (as in run.sh)
FOOTPRINT_RUNS="$RUNS" FOOTPRINT_WARMUP="$WARMUP" FOOTPRINT_OUTPUT="$OUT" \
  FOOTPRINT_VENV_DJANGO="$DIR/django" FOOTPRINT_VENV_FLASK="$DIR/flask" \
  FOOTPRINT_WORK="$WORK" FOOTPRINT_REQUIREMENTS="$REQUIREMENTS" FOOTPRINT_LOAD_BEFORE="$LOAD_BEFORE" \
  "$BASE_PYTHON" "$HERE/footprint.py" measure
log "wrote ${OUT#"$ROOT"/}"
