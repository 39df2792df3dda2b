# Sourced by the benchmarks that run Python frameworks (benches/frameworks/run.sh,
# benches/recommend/run.sh): one way to make their virtualenv.
#
# bench_venv VENV REQUIREMENTS PYTHON
#   Creates VENV from PYTHON with exactly REQUIREMENTS (pinned, wheels only, no dependency
#   resolution) and checks it with `pip check`. Reused while the requirements file and the
#   interpreter's version are the ones it was made from; made again otherwise. Refuses to
#   remove a VENV that is not a virtualenv.
bench_venv() {
  local venv="$1" requirements="$2" python="$3"
  local stamp="$venv/.bench-requirements" wanted
  wanted="$(sha256sum "$requirements" | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version.split()[0])')"
  if [[ -x "$venv/bin/python" && "$(cat "$stamp" 2>/dev/null || true)" == "$wanted" ]]; then
    return 0
  fi
  if [[ -e "$venv" ]]; then
    if [[ ! -f "$venv/pyvenv.cfg" ]]; then
      echo "error: $venv exists and is not a virtualenv; remove it or set BENCH_VENV" >&2
      return 1
    fi
    rm -rf "$venv"
  fi
  echo "==> creating $venv and installing $requirements"
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --only-binary=:all: -r "$requirements"
  if ! "$venv/bin/pip" check --disable-pip-version-check >/dev/null; then
    echo "error: pip check failed in $venv" >&2
    return 1
  fi
  echo "$wanted" >"$stamp"
}
