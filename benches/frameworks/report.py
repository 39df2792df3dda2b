"""Helpers for benches/frameworks/run.sh (standard library only).

  report.py check TEST HEADERS_FILE BODY_FILE
      Check one response fetched with `curl -D HEADERS_FILE -o BODY_FILE`:
      status 200, the content type, Content-Length, and the body.
  report.py parse-wrk WRK_OUTPUT_FILE
      Print "REQUESTS_PER_SECOND P99_MS" from `wrk --latency` output; fail if
      wrk saw non-2xx/3xx responses or made no requests.
  report.py write-toml OUT_FILE RESULTS_TSV
      Write content/data/framework-benchmark.toml from the results (lines of
      "test framework rps p99_ms") and the BENCH_* environment, then read it
      back with tomllib to check it.
"""

import datetime
import html.parser
import importlib.metadata
import json
import os
import platform
import re
import sys
import tomllib

TESTS = ("plaintext", "json", "template")
FRAMEWORKS = ("django", "flask")

# The fortunes both apps hold, written out again here so that the check does
# not trust either app's copy.
FORTUNES = {
    0: "Additional fortune added at request time.",
    1: "fortune: No such file or directory",
    2: "A computer scientist is someone who fixes things that aren't broken.",
    3: "After enough decimal places, nobody gives a damn.",
    4: "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    5: "A computer program does what you tell it to do, not what you want it to do.",
    6: "Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen",
    7: "Any program that runs right is obsolete.",
    8: "A list is only as strong as its weakest link. \u2014 Donald Knuth",
    9: "Feature: A bug with seniority.",
    10: "Computers make very fast, very accurate mistakes.",
    11: '<script>alert("This should not be displayed in a browser alert box.");</script>',
    12: "\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af",
}


def fail(message):
    print(f"report.py: {message}", file=sys.stderr)
    sys.exit(1)


# --- check -----------------------------------------------------------------


class CellParser(html.parser.HTMLParser):
    """Collects the text of each <td> of each <tr>, entities decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.row, self.cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.row = []
        elif tag == "td":
            self.cell = ""
        elif tag == "script":
            fail("template: a <script> element got through unescaped")

    def handle_endtag(self, tag):
        if tag == "td" and self.row is not None and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:  # the header row has <th> cells only
                self.rows.append(tuple(self.row))
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def check(test, headers_file, body_file):
    with open(headers_file, encoding="latin-1") as f:
        raw_headers = f.read()
    with open(body_file, "rb") as f:
        body = f.read()
    status_line, *header_lines = raw_headers.strip().splitlines()
    if not re.match(r"HTTP/\S+ 200\b", status_line):
        fail(f"{test}: expected status 200, got {status_line.strip()!r}; body: {body[:300]!r}")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    ctype = headers.get("content-type", "")
    length = headers.get("content-length")
    if length is None or int(length) != len(body):
        fail(f"{test}: Content-Length {length!r} does not match the {len(body)}-byte body")

    if test == "plaintext":
        if not ctype.startswith("text/plain") or body != b"Hello, World!":
            fail(f"plaintext: got {ctype!r} {body!r}")
    elif test == "json":
        if not ctype.startswith("application/json"):
            fail(f"json: content type {ctype!r}")
        if json.loads(body) != {"message": "Hello, World!"}:
            fail(f"json: body {body!r}")
    elif test == "template":
        if not ctype.startswith("text/html") or "utf-8" not in ctype.lower():
            fail(f"template: content type {ctype!r}")
        text = body.decode("utf-8")
        if not text.startswith("<!DOCTYPE html>") or "&lt;script&gt;" not in text:
            fail(f"template: not the fortunes page, or not escaped: {text[:300]!r}")
        parser = CellParser()
        parser.feed(text)
        parser.close()
        expected = sorted(((str(i), m) for i, m in FORTUNES.items()), key=lambda r: r[1])
        if parser.rows != expected:
            fail(f"template: rows differ from the expected sorted fortunes:\n{parser.rows}")
    else:
        fail(f"unknown test {test!r}")


# --- parse-wrk ---------------------------------------------------------------

TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_wrk(path):
    with open(path) as f:
        out = f.read()
    non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    if non2xx:
        fail(f"wrk saw {non2xx.group(1)} non-2xx/3xx responses:\n{out}")
    total = re.search(r"^\s*(\d+) requests in ", out, re.M)
    if not total or int(total.group(1)) == 0:
        fail(f"wrk made no requests:\n{out}")
    rps = re.search(r"^Requests/sec:\s*([\d.]+)", out, re.M)
    p99 = re.search(r"^\s*99(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", out, re.M)
    if not rps or not p99:
        fail(f"could not find Requests/sec and the 99% latency in wrk's output:\n{out}")
    errors = re.search(r"Socket errors:.*", out)
    if errors:
        print(f"warning: wrk reported {errors.group(0)}", file=sys.stderr)
    p99_ms = float(p99.group(1)) * TIME_UNITS_MS[p99.group(2)]
    print(f"{float(rps.group(1)):.1f} {p99_ms:.2f}")


# --- write-toml --------------------------------------------------------------


def machine():
    cpu_model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    mem_gib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024)
                break
    cpus = os.cpu_count()
    return f"{platform.machine()}, {cpus} CPUs, {cpu_model}, {mem_gib} GiB RAM, Linux {platform.release()}"


def toml_str(value):
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_toml(out_file, results_file):
    env = os.environ
    results = {}
    with open(results_file) as f:
        for line in f:
            if line.strip():
                test, framework, rps, p99 = line.split()
                results[(test, framework)] = (float(rps), float(p99))
    missing = [k for k in ((t, fw) for t in TESTS for fw in FRAMEWORKS) if k not in results]
    if missing:
        fail(f"missing results for {missing}")

    notes = (
        f"One run on a shared {os.cpu_count()}-core VM; the load generator shares the CPUs "
        "with the server. Compare ratios, not absolute numbers."
    )
    if env.get("BENCH_LOAD_BEFORE"):
        notes += f" 1-minute load average just before the run: {env['BENCH_LOAD_BEFORE']}."

    lines = [
        "# Written by benches/frameworks/run.sh \u2014 do not edit by hand.",
        f"date = {datetime.date.today().isoformat()}",
        f"machine = {toml_str(machine())}",
        f"python = {toml_str(platform.python_version())}",
        f"tool = {toml_str(env['BENCH_WRK_VERSION'])}",
        f"notes = {toml_str(notes)}",
        "",
        "[versions]",
        f"django = {toml_str(importlib.metadata.version('django'))}",
        f"flask = {toml_str(importlib.metadata.version('flask'))}",
        f"gunicorn = {toml_str(importlib.metadata.version('gunicorn'))}",
        "",
        "[settings]",
        f"workers = {int(env['BENCH_WORKERS'])}",
        f"worker_class = {toml_str(env['BENCH_WORKER_CLASS'])}",
        f"connections = {int(env['BENCH_CONNECTIONS'])}",
        f"threads = {int(env['BENCH_THREADS'])}",
        f"duration_seconds = {int(env['BENCH_DURATION'])}",
        f"warmup_seconds = {int(env['BENCH_WARMUP'])}",
    ]
    for test in TESTS:
        for framework in FRAMEWORKS:
            rps, p99 = results[(test, framework)]
            lines += [
                "",
                "[[results]]",
                f"test = {toml_str(test)}",
                f"framework = {toml_str(framework)}",
                f"requests_per_second = {rps:.1f}",
                f"p99_ms = {p99:.2f}",
            ]
    text = "\n".join(lines) + "\n"

    data = tomllib.loads(text)  # check it before replacing the old file
    assert isinstance(data["date"], datetime.date)
    assert len(data["results"]) == len(TESTS) * len(FRAMEWORKS)
    os.makedirs(os.path.dirname(os.path.abspath(out_file)), exist_ok=True)
    tmp = out_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out_file)
    with open(out_file, "rb") as f:
        tomllib.load(f)


def main(argv):
    if len(argv) == 4 and argv[0] == "check":
        check(*argv[1:])
    elif len(argv) == 2 and argv[0] == "parse-wrk":
        parse_wrk(argv[1])
    elif len(argv) == 3 and argv[0] == "write-toml":
        write_toml(*argv[1:])
    else:
        fail(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
