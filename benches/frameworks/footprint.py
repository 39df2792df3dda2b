"""Helpers for benches/frameworks/footprint.sh (standard library only).

  footprint.py requirements FRAMEWORK REQUIREMENTS_TXT
      Print the pins of REQUIREMENTS_TXT that one framework's environment
      needs: the framework's own distributions plus gunicorn. Fails if
      requirements.txt pins a distribution this file does not know about.
  footprint.py measure
      Measure install size, import time, cold start and memory of both apps
      and write the TOML file. Reads FOOTPRINT_* variables set by
      footprint.sh (see there).

Definitions (also in README.md):
  install_bytes     the apparent size (sum of st_size) of every regular file
                    under the environment's site-packages, the .pyc files pip
                    compiled at install time included
  install_packages  distributions found in that site-packages, not counting
                    pip, setuptools and wheel (the environment is created
                    without them, so there are none to exclude in practice)
  import_ms         `python -X importtime -c "import app"` in the app's
                    directory: the cumulative time of the top-level module
                    `app`, i.e. importing the framework modules the app uses
                    and running its module body (for Django that includes
                    settings.configure() and get_wsgi_application(), which
                    calls django.setup()); median of the runs
  cold_start_ms_*   from just before the gunicorn process is spawned (one
                    sync worker) to the end of the first 200 response to
                    GET /plaintext, polling the port every 5 ms
  worker_rss_kib    VmRSS of the one worker process after that response
  master_rss_kib    VmRSS of the gunicorn master at the same moment
                    (medians of the runs)
"""

import datetime
import importlib.metadata
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from report import machine, toml_str  # noqa: E402  (same directory, stdlib only)

FRAMEWORKS = ("django", "flask")
APPS = {
    "django": ("django_app", "app:application"),
    "flask": ("flask_app", "app:app"),
}
# Which pinned distributions belong to which environment. Anything else that
# requirements.txt pins is an error, so that a new dependency is not silently
# left out of one side; `pip check` in each environment catches a missing one.
OWN = {
    "django": {"django", "asgiref", "sqlparse"},
    "flask": {"flask", "werkzeug", "jinja2", "markupsafe", "itsdangerous", "click", "blinker"},
}
SHARED = {"gunicorn"}
EXCLUDED = {"pip", "setuptools", "wheel"}


def fail(message):
    print(f"footprint.py: {message}", file=sys.stderr)
    sys.exit(1)


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements_txt):
    out = {}
    with open(requirements_txt) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            m = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+!-]+)", line)
            if not m:
                fail(f"{requirements_txt}: not an exact pin: {line!r}")
            out[norm(m.group(1))] = line
    known = set().union(*OWN.values(), SHARED)
    unknown = sorted(set(out) - known)
    if unknown:
        fail(f"requirements.txt pins {unknown}; assign them to a framework in footprint.py")
    missing = sorted(known - set(out))
    if missing:
        fail(f"requirements.txt does not pin {missing}")
    return out


def requirements(framework, requirements_txt):
    if framework not in OWN:
        fail(f"unknown framework {framework!r}")
    p = pins(requirements_txt)
    for name in sorted(OWN[framework] | SHARED):
        print(p[name])


# --- measuring -----------------------------------------------------------------


def site_packages(venv):
    out = subprocess.run(
        [os.path.join(venv, "bin", "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    if not os.path.isdir(out):
        fail(f"no site-packages at {out}")
    return out


def tree_bytes(path):
    """(all, translations, bytecode): apparent bytes of the regular files under
    path, and the part of them in */locale/* directories and in .pyc files
    (the last two are only logged, to explain the total)."""
    total = locale = pyc = 0
    for root, dirs, files in os.walk(path):
        for name in files:
            full = os.path.join(root, name)
            if os.path.islink(full):
                continue
            size = os.lstat(full).st_size
            total += size
            if f"{os.sep}locale{os.sep}" in os.sep + os.path.relpath(full, path):
                locale += size
            if name.endswith(".pyc"):
                pyc += size
    return total, locale, pyc


def distributions(sp):
    names = {}
    for dist in importlib.metadata.distributions(path=[sp]):
        names[norm(dist.metadata["Name"])] = dist.version
    return {n: v for n, v in names.items() if n not in EXCLUDED}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_once(port):
    """One GET /plaintext; (status, body) or None if nothing listens yet."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
    except (ConnectionRefusedError, ConnectionResetError):
        return None
    with s:
        s.sendall(b"GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        chunks = []
        while True:
            try:
                data = s.recv(65536)
            except ConnectionResetError:
                return None
            if not data:
                break
            chunks.append(data)
    raw = b"".join(chunks)
    if not raw:
        return None  # accepted by the master's socket, closed before a worker answered
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, body


def children(pid):
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name is in parentheses and may contain spaces
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            out.append(int(entry))
    return out


def vm_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                value, unit = line.split()[1:3]
                assert unit == "kB"
                return int(value)
    fail(f"no VmRSS for pid {pid}")


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cold_start(framework, venv, logdir):
    app_dir, wsgi = APPS[framework]
    port = free_port()
    log = os.path.join(logdir, f"{framework}.log")
    cmd = [
        os.path.join(venv, "bin", "gunicorn"),
        "--bind", f"127.0.0.1:{port}",
        "--workers", "1", "--worker-class", "sync",
        "--chdir", os.path.join(HERE, app_dir), "--no-control-socket",
        "--log-level", "warning", "--error-logfile", log,
        wsgi,
    ]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    try:
        while True:
            result = get_once(port)
            if result is not None:
                break
            if proc.poll() is not None:
                fail(f"{framework}: gunicorn exited with {proc.returncode}; see {log}")
            if time.perf_counter() - t0 > 60:
                fail(f"{framework}: no response within 60 s")
            time.sleep(0.005)
        elapsed_ms = (time.perf_counter() - t0) * 1000
        status, body = result
        if status != 200 or body != b"Hello, World!":
            fail(f"{framework}: GET /plaintext gave {status} {body[:80]!r}")
        workers = children(proc.pid)
        if len(workers) != 1:
            fail(f"{framework}: expected one worker, found {workers}")
        worker_rss = vm_rss_kib(workers[0])
        master_rss = vm_rss_kib(proc.pid)
    finally:
        stop(proc)
    with open(log) as f:
        text = f.read()
    if re.search(r"\[(ERROR|CRITICAL)\]|Traceback|WORKER TIMEOUT", text):
        fail(f"{framework}: gunicorn logged an error:\n{text}")
    return elapsed_ms, worker_rss, master_rss


def import_ms(framework, venv):
    app_dir, _ = APPS[framework]
    proc = subprocess.run(
        [os.path.join(venv, "bin", "python"), "-X", "importtime", "-c", "import app"],
        cwd=os.path.join(HERE, app_dir), capture_output=True, text=True,
    )
    if proc.returncode != 0:
        fail(f"{framework}: importing the app failed:\n{proc.stderr}")
    for line in proc.stderr.splitlines():
        # "import time:       self [us] |  cumulative | imported package"
        m = re.fullmatch(r"import time:\s+(\d+) \|\s+(\d+) \| app", line)
        if m:
            return int(m.group(2)) / 1000
    fail(f"{framework}: no importtime line for the top-level module app")


def bare_import_ms(framework, venv):
    """The same, for a bare `import django` / `import flask` (logged only)."""
    proc = subprocess.run(
        [os.path.join(venv, "bin", "python"), "-X", "importtime", "-c", f"import {framework}"],
        capture_output=True, text=True, check=True,
    )
    for line in proc.stderr.splitlines():
        m = re.fullmatch(rf"import time:\s+(\d+) \|\s+(\d+) \| {framework}", line)
        if m:
            return int(m.group(2)) / 1000
    fail(f"{framework}: no importtime line for {framework}")


def measure():
    env = os.environ
    runs = int(env["FOOTPRINT_RUNS"])
    warmup = int(env["FOOTPRINT_WARMUP"])
    out_file = env["FOOTPRINT_OUTPUT"]
    venvs = {fw: env[f"FOOTPRINT_VENV_{fw.upper()}"] for fw in FRAMEWORKS}
    logdir = env["FOOTPRINT_WORK"]
    req = pins(env["FOOTPRINT_REQUIREMENTS"])

    install = {}
    versions = {}
    for fw in FRAMEWORKS:
        sp = site_packages(venvs[fw])
        dists = distributions(sp)
        expected = {name: req[name].split("==")[1] for name in OWN[fw] | SHARED}
        if dists != expected:
            fail(f"{fw}: site-packages holds {dists}, expected {expected}")
        total, locale, pyc = tree_bytes(sp)
        install[fw] = (total, len(dists))
        versions.update(dists)
        print(f"==> {fw}: {total} bytes in {sp} ({locale} in */locale/*, {pyc} in .pyc files), "
              f"{len(dists)} distributions: " + ", ".join(f"{n} {v}" for n, v in sorted(dists.items())))

    samples = {fw: {"cold": [], "worker": [], "master": [], "import": [], "bare": []} for fw in FRAMEWORKS}
    for i in range(warmup + runs):
        order = FRAMEWORKS if i % 2 == 0 else FRAMEWORKS[::-1]
        for fw in order:
            cold, worker, master = cold_start(fw, venvs[fw], logdir)
            imp = import_ms(fw, venvs[fw])
            bare = bare_import_ms(fw, venvs[fw])
            label = "warm-up" if i < warmup else f"run {i - warmup + 1}/{runs}"
            print(f"    {label:>9} {fw:<6} cold start {cold:7.1f} ms  worker {worker} KiB  "
                  f"master {master} KiB  import app {imp:6.1f} ms  import {fw} {bare:6.1f} ms")
            if i >= warmup:
                s = samples[fw]
                s["cold"].append(cold)
                s["worker"].append(worker)
                s["master"].append(master)
                s["import"].append(imp)
                s["bare"].append(bare)

    notes = (
        "Minimal one-file apps with no database, no middleware and no extensions, on a shared "
        f"{os.cpu_count()}-core VM with a warm file cache: real applications import and allocate far more, "
        "and a serverless platform adds its own start-up work. Medians of the runs; "
        "import_ms is importing the app module (the framework parts it uses and its setup), "
        "not a bare `import django` or `import flask`."
    )
    if env.get("FOOTPRINT_LOAD_BEFORE"):
        notes += f" 1-minute load average just before the run: {env['FOOTPRINT_LOAD_BEFORE']}."

    lines = [
        "# Written by benches/frameworks/footprint.sh \u2014 do not edit by hand.",
        f"date = {datetime.date.today().isoformat()}",
        f"machine = {toml_str(machine())}",
        f"python = {toml_str(platform.python_version())}",
        f"notes = {toml_str(notes)}",
        f"runs = {runs}",
        "",
        "[versions]",
        f"django = {toml_str(versions['django'])}",
        f"flask = {toml_str(versions['flask'])}",
        f"gunicorn = {toml_str(versions['gunicorn'])}",
    ]
    for fw in FRAMEWORKS:
        s = samples[fw]
        med = statistics.median
        lines += [
            "",
            "[[results]]",
            f"framework = {toml_str(fw)}",
            f"install_bytes = {install[fw][0]}",
            f"install_packages = {install[fw][1]}",
            f"import_ms = {med(s['import']):.1f}",
            f"cold_start_ms_median = {med(s['cold']):.1f}",
            f"cold_start_ms_min = {min(s['cold']):.1f}",
            f"cold_start_ms_max = {max(s['cold']):.1f}",
            f"worker_rss_kib = {round(med(s['worker']))}",
            f"master_rss_kib = {round(med(s['master']))}",
        ]
        print(f"==> {fw}: median bare `import {fw}` {med(s['bare']):.1f} ms "
              f"(min {min(s['bare']):.1f}, max {max(s['bare']):.1f}); not written to the file")
    text = "\n".join(lines) + "\n"

    data = tomllib.loads(text)  # check it before replacing the old file
    assert isinstance(data["date"], datetime.date)
    assert [r["framework"] for r in data["results"]] == list(FRAMEWORKS)
    os.makedirs(os.path.dirname(os.path.abspath(out_file)), exist_ok=True)
    tmp = out_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out_file)
    with open(out_file, "rb") as f:
        tomllib.load(f)
    print(text, end="")


def main(argv):
    if len(argv) == 3 and argv[0] == "requirements":
        requirements(argv[1], argv[2])
    elif argv == ["measure"]:
        measure()
    else:
        fail(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
