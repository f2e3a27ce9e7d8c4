#!/usr/bin/env bash
# Measures `inv sync` from the outside, against the independent fake Scaleway API
# (fake_scaleway.py): wall time, peak RSS, requests and 429s, and whether the inventory
# holds exactly what the fake served.
#
# Usage: benches/outside/measure.sh [OBJECTS...]        (default: 10000 100000)
# Environment:
#   INV=target/release/inv  the inv binary to measure (build it with `cargo build --release`)
#   RUNS=1                  syncs per size (each into a fresh database, same fake)
#   LATENCY_MS=30 RATE=100  the fake's latency per request and requests/s limit
#   LIMITER=bucket          bucket (token bucket), window (sliding 1 s) or fixed
#   SEED=1 SPREAD=skewed    the generated organization
#   INV_ARGS=               extra arguments for `inv sync`
#   FAKE_ARGS=              extra arguments for fake_scaleway.py (e.g. --unavailable
#                           block_volumes:it-mil-1)
#   KEEP=                   non-empty: keep the work directory (databases, logs)
#   TIMER=python            time with Python's resource module even if /usr/bin/time -v works
# Exit status: 0 when every sync exited 0 and every check passed, 1 otherwise.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
INV=${INV:-$HERE/../../target/release/inv}
RUNS=${RUNS:-1}
LATENCY_MS=${LATENCY_MS:-30}
RATE=${RATE:-100}
LIMITER=${LIMITER:-bucket}
SEED=${SEED:-1}
SPREAD=${SPREAD:-skewed}
INV_ARGS=${INV_ARGS:-}
FAKE_ARGS=${FAKE_ARGS:-}
PY=${PYTHON:-python3}

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)

[ -x "$INV" ] || { echo "measure.sh: $INV is not an executable (set INV=...)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/inv-outside.XXXXXX")
fake_pid=
cleanup() {
    if [ -n "$fake_pid" ] && kill -0 "$fake_pid" 2>/dev/null; then
        kill -TERM "$fake_pid" 2>/dev/null
        wait "$fake_pid" 2>/dev/null
    fi
    if [ -n "${KEEP:-}" ]; then echo "work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${TIMER:-auto}" != python ] && [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
    timer=gnu
else
    timer=python
fi

# GET a fake-only path (stats) without needing curl.
fetch() {
    "$PY" -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode())' "$1"
}

rows="$work/rows.jsonl"
: >"$rows"
status=0
echo "inv: $INV ($("$INV" --version 2>/dev/null || echo '?'))" >&2
echo "fake: latency ${LATENCY_MS} ms, ${RATE} requests/s (${LIMITER}), seed ${SEED}, ${SPREAD} zones; timer: ${timer}" >&2

for objects in "${sizes[@]}"; do
    out="$work/fake-$objects.out"
    : >"$out"
    "$PY" "$HERE/fake_scaleway.py" --objects "$objects" --seed "$SEED" --spread "$SPREAD" \
        --latency-ms "$LATENCY_MS" --rate "$RATE" --limiter "$LIMITER" --port 0 \
        --log "$work/requests-$objects.jsonl" $FAKE_ARGS >"$out" 2>"$work/fake-$objects.err" &
    fake_pid=$!
    for _ in $(seq 1 600); do
        [ "$(wc -l <"$out")" -ge 2 ] && break
        kill -0 "$fake_pid" 2>/dev/null || break
        sleep 0.2
    done
    if [ "$(wc -l <"$out")" -lt 2 ]; then
        echo "the fake did not start:" >&2; cat "$work/fake-$objects.err" >&2; exit 1
    fi
    url=$(sed -n 1p "$out")
    info=$(sed -n 2p "$out")
    read -r access_key secret_key < <(printf '%s' "$info" | "$PY" -c \
        'import json, sys; d = json.load(sys.stdin); print(d["access_key"], d["secret_key"])')

    for run in $(seq 1 "$RUNS"); do
        db="$work/inventory-$objects-$run.db"
        cfg="$work/home"
        mkdir -p "$cfg/config"
        fetch "$url/__stats?reset=1" >/dev/null
        : >"$work/requests-$objects.jsonl"
        # A clean environment: no scw profile, no configured organization (inv finds it
        # from the access key, as the minimum request count assumes).
        cmd=(env -i PATH="$PATH" HOME="$cfg" XDG_CONFIG_HOME="$cfg/config"
             SCW_ACCESS_KEY="$access_key" SCW_SECRET_KEY="$secret_key" SCW_API_URL="$url"
             "$INV" sync --db "$db" $INV_ARGS)
        start=$(date +%s.%N)
        if [ "$timer" = gnu ]; then
            /usr/bin/time -v -o "$work/time.txt" "${cmd[@]}" >"$work/inv.out" 2>"$work/inv.err"
            rc=$?
            rss_kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$work/time.txt")
        else
            # Wall time from inside, so that Python's own start-up is not counted.
            timing=$("$PY" -c '
import resource, subprocess, sys, time
out, err = open(sys.argv[1] + ".out", "w"), open(sys.argv[1] + ".err", "w")
t, epoch = time.monotonic(), time.time()
rc = subprocess.call(sys.argv[2:], stdout=out, stderr=err)
wall = time.monotonic() - t
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, epoch, epoch + wall)
sys.exit(rc)' "$work/inv" "${cmd[@]}")
            rc=$?
            read -r rss_kb start end <<<"$timing"
        fi
        [ "$timer" = gnu ] && end=$(date +%s.%N)
        fetch "$url/__stats" >"$work/stats.json"
        if ! "$PY" - "$work/stats.json" "$db" "$rc" "$start" "$end" "${rss_kb:-0}" \
                "$LATENCY_MS" "$RATE" "$run" "$work/inv.err" >>"$rows" <<'PY'
import json, sqlite3, sys

stats_path, db, rc, start, end, rss_kb, latency_ms, rate, run, err_path = sys.argv[1:]
stats = json.load(open(stats_path))
rc, wall = int(rc), float(end) - float(start)
problems = []
if rc != 0:
    tail = open(err_path, errors="replace").read().strip().splitlines()[-5:]
    problems.append(f"inv exited {rc}: " + " | ".join(tail))

inv_run = {}
try:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    q = lambda sql: con.execute(sql).fetchone()[0]
    for table, expected in stats["tables"].items():
        got = q(f'SELECT count(*) FROM "{table}"')
        if got != expected:
            problems.append(f"{table}: {got} rows, the fake served {expected}")
    kinds = stats["kinds"]
    for table, api, kind in [("volumes", "instance", "instance_volumes"),
                             ("volumes", "block", "block_volumes"),
                             ("volume_snapshots", "instance", "instance_snapshots"),
                             ("volume_snapshots", "block", "block_snapshots")]:
        got = q(f"SELECT count(*) FROM {table} WHERE api = '{api}'")
        if got != kinds[kind]:
            problems.append(f"{table} api={api}: {got} rows, the fake served {kinds[kind]}")
    link_sql = {
        "instance_mounts_volume": "SELECT count(*) FROM instance_mounts_volume",
        "flexible_ip_identifies_instance": "SELECT count(*) FROM (SELECT DISTINCT "
            "flexible_ip_id, instance_id FROM flexible_ip_identifies_instance)",
        "user_member_of_group": "SELECT count(*) FROM user_member_of_group",
        "application_member_of_group": "SELECT count(*) FROM application_member_of_group",
        "user_has_api_key": "SELECT count(*) FROM user_has_api_key",
        "application_has_api_key": "SELECT count(*) FROM application_has_api_key",
        "volume_has_snapshot": "SELECT count(*) FROM volume_has_snapshot",
    }
    for link, expected in (stats["links"] or {}).items():
        got = q(link_sql[link])
        if got != expected:
            problems.append(f"{link}: {got} rows, the fake implies {expected}")
    row = con.execute("SELECT status, requests, retries, throttled FROM sync_runs "
                      "ORDER BY id DESC LIMIT 1").fetchone()
    inv_run = dict(zip(["status", "requests", "retries", "throttled"], row))
    if inv_run["status"] != "complete":
        problems.append(f"inv recorded the sync as {inv_run['status']}")
    if inv_run["requests"] != stats["requests"]:
        problems.append(f"inv counted {inv_run['requests']} requests, "
                        f"the fake {stats['requests']}")
except Exception as e:  # a missing or unreadable database is a failed check
    problems.append(f"database check failed: {e}")

odd_status = {s: n for s, n in stats["by_status"].items() if s not in ("200", "429")}
# listings the fake was told to answer 501 "unknown service": once each, no retry
if odd_status.get("501") == len(stats["settings"]["unavailable"]):
    del odd_status["501"]
if odd_status:
    problems.append(f"non-200 answers: {odd_status}")
if stats["notes"]:
    problems.append(f"unexpected requests: {stats['notes']} e.g. {stats['note_examples']}")

bound = max(stats["minimum_requests"] / float(rate), 2 * float(latency_ms) / 1000)
print(json.dumps({
    "objects": stats["objects"], "run": int(run), "wall": wall, "bound": bound,
    "ratio": wall / bound, "requests": stats["requests"],
    "minimum": stats["minimum_requests"], "throttled": stats["throttled_429"],
    "max_in_flight": stats["max_in_flight"], "rss_mb": int(rss_kb) / 1024,
    "repeated": stats["repeated_requests"], "api_span": stats["span_s"] or 0,
    "before_first": (stats["first_arrival_epoch"] or float(start)) - float(start),
    "after_last": float(end) - (stats["last_done_epoch"] or float(end)),
    "inv": inv_run, "rc": rc, "problems": problems}))
sys.exit(1 if problems else 0)
PY
        then
            status=1
        fi
        tail -1 "$rows" | "$PY" -c '
import json, sys
r = json.loads(sys.stdin.read())
line = "  %(objects)s objects, run %(run)s: %(wall).2f s, %(requests)s requests, %(throttled)s x 429, rc %(rc)s" % r
print(line + ("  PROBLEMS: " + "; ".join(r["problems"]) if r["problems"] else ""))' >&2
        if [ -n "${KEEP:-}" ]; then
            cp "$work/requests-$objects.jsonl" "$work/requests-$objects-$run.jsonl"
            cp "$work/inv.err" "$work/inv-$objects-$run.err"
        fi
    done
    kill -TERM "$fake_pid" 2>/dev/null
    wait "$fake_pid" 2>/dev/null
    fake_pid=
done

"$PY" - "$rows" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print("| objects | run | wall s | lower bound s | ratio | requests | minimum | 429s "
      "| max in flight | peak RSS MB | checks | start→1st request s | API span s "
      "| last answer→exit s |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
for r in rows:
    print(f"| {r['objects']} | {r['run']} | {r['wall']:.2f} | {r['bound']:.2f} | "
          f"{r['ratio']:.2f} | {r['requests']} | {r['minimum']} | {r['throttled']} | "
          f"{r['max_in_flight']} | {r['rss_mb']:.1f} | "
          f"{'ok' if not r['problems'] else 'FAILED'} | {r['before_first']:.2f} | "
          f"{r['api_span']:.2f} | {r['after_last']:.2f} |")
by_size = {}
for r in rows:
    by_size.setdefault(r["objects"], []).append(r)
if any(len(v) > 1 for v in by_size.values()):
    print()
    print("| objects | runs | median wall s | lower bound s | median ratio | requests "
          "| 429s (all runs) | peak RSS MB (max) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, rs in by_size.items():
        print(f"| {n} | {len(rs)} | {statistics.median(r['wall'] for r in rs):.2f} | "
              f"{rs[0]['bound']:.2f} | {statistics.median(r['ratio'] for r in rs):.2f} | "
              f"{'/'.join(str(r['requests']) for r in rs)} | "
              f"{sum(r['throttled'] for r in rs)} | {max(r['rss_mb'] for r in rs):.1f} |")
for r in rows:
    for p in r["problems"]:
        print(f"\n- {r['objects']} objects, run {r['run']}: {p}")
PY
exit $status
