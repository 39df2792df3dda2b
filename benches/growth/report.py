#!/usr/bin/env python3
"""Summarise the growth benchmark: a table per content size and a linear fit against topic count.

    python3 benches/growth/report.py target/growth-raw.tsv

Reads the rows benches/growth/run.sh writes (one per start-up), takes the median of the repetitions
of each size, fits y = a + b * topics by least squares over the generated trees (the bundled site is
shown but not fitted: it has 2 frameworks and hand-written pages), and says whether growth is linear:
R^2, the marginal cost per topic on the first and the last step between sizes and their ratio (about
1 when linear, about the ratio of the sizes when quadratic), and the share of a quadratic term at the
largest size. Standard library only.
"""

from __future__ import annotations

import statistics
import sys
from collections import OrderedDict

MIB = 1024.0  # /proc reports kB (KiB)


def load(path: str):
    meta = ""
    header: list[str] = []
    rows: list[dict] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\t")
            if not line:
                continue
            if line.startswith("#"):
                meta = line[1:].strip()
                continue
            cells = line.split("\t")
            if not header:
                header = cells
                continue
            row = dict(zip(header, cells))
            for k, v in row.items():
                if k != "label":
                    row[k] = float(v)
            rows.append(row)
    return meta, rows


def fit(xs: list[float], ys: list[float]):
    """Least squares y = a + b x: (a, b, r2)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx
    a = my - b * mx
    ss_res = sum((y - (a + b * x)) ** 2 for x, y in zip(xs, ys))
    ss_tot = sum((y - my) ** 2 for y in ys)
    return a, b, (1.0 - ss_res / ss_tot) if ss_tot else 1.0


def fit_quadratic(xs: list[float], ys: list[float]):
    """Least squares y = a + b x + c x^2 (normal equations, 3x3): (a, b, c)."""
    s = [sum(x**k for x in xs) for k in range(5)]
    t = [sum(y * x**k for x, y in zip(xs, ys)) for k in range(3)]
    m = [[s[0], s[1], s[2], t[0]], [s[1], s[2], s[3], t[1]], [s[2], s[3], s[4], t[2]]]
    for i in range(3):  # Gauss-Jordan with partial pivoting
        p = max(range(i, 3), key=lambda r: abs(m[r][i]))
        m[i], m[p] = m[p], m[i]
        for r in range(3):
            if r != i:
                f = m[r][i] / m[i][i]
                m[r] = [a - f * b for a, b in zip(m[r], m[i])]
    return tuple(m[i][3] / m[i][i] for i in range(3))


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "target/growth-raw.tsv"
    meta, rows = load(path)
    groups: OrderedDict[str, list[dict]] = OrderedDict()
    for r in rows:
        groups.setdefault(r["label"], []).append(r)

    def med(rs, key):
        return statistics.median(r[key] for r in rs)

    summary = []
    for label, rs in groups.items():
        loads = [r["load1"] for r in rs]
        summary.append({
            "label": label,
            "topics": rs[0]["topics"],
            "frameworks": rs[0]["frameworks"],
            "files": rs[0]["files"],
            "md_mib": rs[0]["md_bytes"] / MIB / MIB,
            "pages": rs[0]["html_pages"],
            "reps": len(rs),
            "startup": med(rs, "startup_ms"),
            "startup_min": min(r["startup_ms"] for r in rs),
            "startup_max": max(r["startup_ms"] for r in rs),
            "cpu": med(rs, "cpu_ms"),
            "rss": med(rs, "rss_listen_kb") / MIB,
            "hwm": med(rs, "hwm_listen_kb") / MIB,
            "rss_warm": med(rs, "rss_warm_kb") / MIB,
            "hwm_warm": med(rs, "hwm_warm_kb") / MIB,
            "check": med(rs, "check_ms"),
            "load": f"{min(loads):.1f}-{max(loads):.1f}" if len(set(loads)) > 1 else f"{loads[0]:.1f}",
        })

    out: list[str] = []
    p = out.append
    p("versus growth benchmark: start-up time and resident memory against content size")
    p(meta)
    p("Each row is the median of `reps` start-ups of `versus serve --workers 1`; start-up is exec to the")
    p("'listening on' log line (wall, and CPU = user+system time by then); RSS/peak are VmRSS/VmHWM once")
    p("listening and after a warm fetch of ~20 requests; load = 1-minute load average at each start.")
    p("")
    cols = ("site", "topics", "fw", "files", "MiB md", "pages", "reps", "start-up ms (min-max)",
            "CPU ms", "RSS MiB", "peak MiB", "RSS warm MiB", "check ms", "load")
    table = [cols]
    for s in summary:
        table.append((
            s["label"], f"{s['topics']:.0f}", f"{s['frameworks']:.0f}", f"{s['files']:.0f}",
            f"{s['md_mib']:.1f}", f"{s['pages']:.0f}", f"{s['reps']}",
            f"{s['startup']:.0f} ({s['startup_min']:.0f}-{s['startup_max']:.0f})",
            f"{s['cpu']:.0f}", f"{s['rss']:.1f}", f"{s['hwm']:.1f}", f"{s['rss_warm']:.1f}",
            f"{s['check']:.0f}", s["load"],
        ))
    widths = [max(len(row[i]) for row in table) for i in range(len(cols))]
    for i, row in enumerate(table):
        p("  ".join(c.rjust(w) if j else c.ljust(w) for j, (c, w) in enumerate(zip(row, widths))))
        if i == 0:
            p("  ".join("-" * w for w in widths))
    p("")

    generated = [s for s in summary if s["label"] != "bundled"]
    generated.sort(key=lambda s: s["topics"])
    verdicts = []
    if len(generated) >= 3:
        xs = [s["topics"] for s in generated]
        p(f"Least-squares fit over the {len(xs)} generated trees, y = intercept + slope * topics.")
        p("marginal = (y[i] - y[i-1]) / (topics[i] - topics[i-1]) on the first and the last step; their")
        p("ratio is ~1 for linear growth and ~%.0f for quadratic growth over these sizes; quad share ="
          % (((xs[-1] + xs[-2]) / 2) / ((xs[0] + xs[1]) / 2)))
        p("c*N^2 / y(N) at the largest N from a fit y = a + b*N + c*N^2.")
        p("")
        metrics = [
            ("wall start-up", "startup", "ms", 1.0),
            ("CPU start-up", "cpu", "ms", 1.0),
            ("RSS listening", "rss", "KiB", MIB),
            ("peak RSS (HWM)", "hwm", "KiB", MIB),
            ("RSS after warm fetch", "rss_warm", "KiB", MIB),
        ]
        cols = ("metric", "slope/topic", "intercept", "R^2", "marginal first", "marginal last",
                "ratio", "quad share", "verdict")
        table = [cols]
        for name, key, unit, scale in metrics:
            ys = [s[key] * scale for s in generated]
            a, b, r2 = fit(xs, ys)
            first = (ys[1] - ys[0]) / (xs[1] - xs[0])
            last = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
            ratio = last / first if first > 0 else float("inf")
            _, _, c = fit_quadratic(xs, ys)
            quad = c * xs[-1] ** 2 / ys[-1]
            if r2 >= 0.99 and 0.67 <= ratio <= 1.5 and abs(quad) < 0.1:
                verdict = "linear"
            elif ratio > 1.5 and quad >= 0.1:
                verdict = "SUPER-LINEAR"
            elif r2 >= 0.99 and quad < 0.1:
                verdict = "linear (marginal costs differ)"
            else:
                verdict = "inconclusive"
            verdicts.append((name, verdict))
            intercept = f"{a:.0f} ms" if unit == "ms" else f"{a / MIB:.1f} MiB"
            table.append((name, f"{b:.2f} {unit}", intercept, f"{r2:.4f}", f"{first:.2f}",
                          f"{last:.2f}", f"{ratio:.2f}", f"{quad * 100:+.1f}%", verdict))
        widths = [max(len(row[i]) for row in table) for i in range(len(cols))]
        for i, row in enumerate(table):
            p("  ".join(c.rjust(w) if 0 < j < len(cols) - 1 else c.ljust(w)
                        for j, (c, w) in enumerate(zip(row, widths))))
            if i == 0:
                p("  ".join("-" * w for w in widths))
        p("")
        md_per_topic = (generated[-1]["md_mib"] - generated[0]["md_mib"]) * MIB / (xs[-1] - xs[0])
        rss_slope = fit(xs, [s["rss"] * MIB for s in generated])[1]
        p(f"Markdown per generated topic: {md_per_topic:.1f} KiB; resident memory per topic: "
          f"{rss_slope:.0f} KiB ({rss_slope / md_per_topic:.1f}x the Markdown: the rendered page with its")
        p("brotli and gzip variants, the parsed content and the search index's share).")
        bad = [n for n, v in verdicts if v == "SUPER-LINEAR"]
        unsure = [n for n, v in verdicts if v == "inconclusive"]
        if bad:
            p(f"Conclusion: NOT linear: {', '.join(bad)} grow faster than the topic count.")
        elif len(unsure) == len(verdicts):
            p("Conclusion: INCONCLUSIVE from this run: no measure passes the linearity test and none "
              "shows super-linear growth; the machine's load made the numbers too noisy (see the load "
              "column; repeat with more GROWTH_REPS on a quieter machine).")
        elif unsure:
            p(f"Conclusion: linear where measurable; {', '.join(unsure)} too noisy to call linear or not "
              "(see the load column).")
        else:
            p("Conclusion: start-up time and resident memory grow linearly with the topic count "
              f"from {xs[0]:.0f} to {xs[-1]:.0f} topics.")
    else:
        p("(fewer than 3 generated sizes: no fit)")

    bundled = next((s for s in summary if s["label"] == "bundled"), None)
    if bundled:
        p("")
        p(f"Bundled site ({bundled['topics']:.0f} topics, {bundled['pages']:.0f} pre-rendered pages, "
          f"{bundled['md_mib'] * MIB:.0f} KiB of Markdown): start-up {bundled['startup']:.0f} ms "
          f"(CPU {bundled['cpu']:.0f} ms), RSS {bundled['rss']:.1f} MiB once listening "
          f"(peak {bundled['hwm']:.1f} MiB), {bundled['rss_warm']:.1f} MiB after the warm fetch; "
          f"load {bundled['load']}.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
