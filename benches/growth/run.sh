#!/usr/bin/env bash
# Growth benchmark: start-up time and resident memory of `versus serve` against content size.
#
#   bash benches/growth/run.sh
#
# For each size it generates a content tree (benches/growth/generate.py: N topics, 4 frameworks),
# checks it with `versus check`, then starts `versus serve --workers 1` on 127.0.0.1:0 REPS times and
# measures
#   - start-up: from exec to the "listening on" log line (its own timestamp), wall clock, and the CPU
#     time (user + system) the process had used by then, from /proc/PID/stat;
#   - memory: VmRSS and VmHWM (peak) from /proc/PID/status once listening, and again after a short warm
#     fetch of a few pages (home, compare, topics in three encodings, search, feed, sitemap);
#   - content size: files, bytes of Markdown, and the pages pre-rendered (the sitemap's URLs but
#     /recommend, which is rendered per request).
# The bundled site (content/) is measured the same way. benches/growth/report.py prints the table and
# a least-squares fit against topic count; the report goes to target/growth-results.txt.
#
# Settings (environment):
#   GROWTH_SIZES       topic counts                      default "250 500 1000 2000 4000"
#   GROWTH_REPS        start-ups per size up to 1000     default 2
#   GROWTH_BIG_REPS    start-ups per size above 1000     default 1
#   GROWTH_FRAMEWORKS  frameworks in generated trees     default 4
#   GROWTH_KEEP=1      keep the generated trees (under target/growth.*)
#   VERSUS_BIN         the binary                        default target/release/versus
# About 5 minutes on an idle 2-core machine, 10 with other work running (start-up costs ~28 ms of
# CPU per topic); the 4000-topic tree is ~50 MB.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
bin=${VERSUS_BIN:-target/release/versus}
sizes=${GROWTH_SIZES:-250 500 1000 2000 4000}
reps=${GROWTH_REPS:-2}
big_reps=${GROWTH_BIG_REPS:-1}
frameworks=${GROWTH_FRAMEWORKS:-4}

if [[ ! -x $bin ]]; then
    echo "error: $bin is missing; build it with cargo build --release (or set VERSUS_BIN)" >&2
    exit 1
fi
for tool in curl python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done

mkdir -p target
work=$(mktemp -d "$root/target/growth.XXXXXX")
server_pid=
cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [[ ${GROWTH_KEEP:-0} != 1 ]]; then
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

raw=target/growth-raw.tsv
{
    echo "# date=$(date -u +%Y-%m-%dT%H:%M:%SZ) cpus=$(nproc) kernel=$(uname -r)" \
        "mem_gib=$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)" \
        "binary=$bin frameworks=$frameworks reps=$reps big_reps=$big_reps"
    printf '%s\t' label topics frameworks files md_bytes html_pages rep \
        startup_ms cpu_ms rss_listen_kb hwm_listen_kb rss_warm_kb hwm_warm_kb check_ms load1
    echo
} >"$raw"

ticks=$(getconf CLK_TCK)

status_kb() { # PID FIELD
    awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"
}

cpu_ms() { # PID: user + system CPU time so far
    # Fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the command name.
    local stat
    stat=$(<"/proc/$1/stat")
    stat=${stat##*) }
    read -r -a f <<<"$stat"
    echo $(( (f[11] + f[12]) * 1000 / ticks ))
}

warm_fetch() { # BASE SITEMAP_FILE
    local base=$1 sitemap=$2 paths n
    local get=(curl -s -o /dev/null --max-time 30 --fail)
    "${get[@]}" -H 'Accept-Encoding: br' "$base/"
    "${get[@]}" -H 'Accept-Encoding: gzip' "$base/compare"
    mapfile -t paths < <(grep -o '/topics/[a-z0-9-]*' "$sitemap")
    n=${#paths[@]}
    for t in "${paths[0]}" "${paths[n / 2]}" "${paths[n - 1]}"; do
        "${get[@]}" "$base$t"
        "${get[@]}" -H 'Accept-Encoding: br' "$base$t"
        "${get[@]}" -H 'Accept-Encoding: gzip' "$base$t"
    done
    for q in session 'template cache' "$(basename "${paths[n / 2]}" | cut -d- -f1)"; do
        "${get[@]}" -G --data-urlencode "q=$q" "$base/search"
    done
    "${get[@]}" -H 'Accept-Encoding: br' "$base/feed.xml"
    "${get[@]}" "$base/api/questionnaire"
}

measure() { # LABEL DIR TOPICS
    local label=$1 dir=$2 topics=$3
    local files md_bytes check_ms html_pages
    files=$(find "$dir" -type f ! -name '.versus-growth' | wc -l)
    md_bytes=$(find "$dir" -type f -name '*.md' -print0 | xargs -0 cat | wc -c)
    local t0 t1
    t0=$(date +%s%N)
    if ! "$bin" check --content "$dir" >"$work/check.out" 2>"$work/check.err"; then
        # Stale-review warnings are fine; errors are not.
        cat "$work/check.err" >&2
        echo "error: $dir is not valid content" >&2
        exit 1
    fi
    t1=$(date +%s%N)
    check_ms=$(( (t1 - t0) / 1000000 ))
    local fw
    fw=$(sed -n 's/.* \([0-9]*\) frameworks.*/\1/p' "$work/check.out")
    local r n_reps=$reps
    if ((topics > 1000)); then n_reps=$big_reps; fi
    for ((r = 1; r <= n_reps; r++)); do
        local err=$work/serve.err load1 start listen_at startup cpu rss hwm rss2 hwm2 addr
        : >"$err"
        load1=$(cut -d' ' -f1 /proc/loadavg)
        start=$(date +%s%N)
        "$bin" serve --content "$dir" --bind 127.0.0.1:0 --workers 1 2>"$err" &
        server_pid=$!
        until grep -q 'listening on' "$err"; do
            if ! kill -0 "$server_pid" 2>/dev/null; then
                cat "$err" >&2
                echo "error: versus serve exited before listening" >&2
                exit 1
            fi
            sleep 0.02
        done
        cpu=$(cpu_ms "$server_pid")
        rss=$(status_kb "$server_pid" VmRSS)
        hwm=$(status_kb "$server_pid" VmHWM)
        # The log line's own timestamp (UTC, microseconds) is when the server was listening.
        listen_at=$(grep -m1 'listening on' "$err" | sed 's/\x1b\[[0-9;]*m//g' | awk '{print $1}')
        listen_at=$(date -d "$listen_at" +%s%N)
        startup=$(( (listen_at - start) / 1000 ))
        addr=$(grep -m1 -o 'listening on http://[0-9.:]*' "$err" | sed 's/listening on //')
        if ((r == 1)); then
            curl -s --max-time 30 "$addr/sitemap.xml" >"$work/sitemap.xml"
            html_pages=$(( $(grep -c '<loc>' "$work/sitemap.xml") - 1 ))
        fi
        warm_fetch "$addr" "$work/sitemap.xml"
        rss2=$(status_kb "$server_pid" VmRSS)
        hwm2=$(status_kb "$server_pid" VmHWM)
        kill -TERM "$server_pid"
        wait "$server_pid" || true
        server_pid=
        printf '%s\t' "$label" "$topics" "$fw" "$files" "$md_bytes" "$html_pages" "$r" \
            "$(awk -v u="$startup" 'BEGIN {printf "%.1f", u / 1000}')" "$cpu" \
            "$rss" "$hwm" "$rss2" "$hwm2" "$check_ms" "$load1" >>"$raw"
        echo >>"$raw"
        printf '  %-8s rep %d: start-up %6.0f ms (cpu %6d ms), RSS %7d kB (peak %7d kB), load %s\n' \
            "$label" "$r" "$(awk -v u="$startup" 'BEGIN {print u / 1000}')" "$cpu" "$rss" "$hwm" \
            "$load1" >&2
    done
}

began=$(date +%s)
echo "bundled site (content/)" >&2
measure bundled content "$(find content/topics -name '*.md' | wc -l)"
for n in $sizes; do
    echo "generating $n topics, $frameworks frameworks" >&2
    python3 benches/growth/generate.py "$work/t$n" --topics "$n" --frameworks "$frameworks"
    measure "t$n" "$work/t$n" "$n"
    [[ ${GROWTH_KEEP:-0} == 1 ]] || rm -rf "$work/t$n"
done
echo "measured in $(($(date +%s) - began)) s" >&2

python3 benches/growth/report.py "$raw" | tee target/growth-results.txt
echo "(raw measurements in $raw; this report in target/growth-results.txt)" >&2
