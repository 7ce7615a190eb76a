#!/usr/bin/env bash
# Benchmark: many databases backed up at once (issue 21).
#
#   ./lifeboat up && bench/scale.sh [--count 200] [--max-mb 200] [--workers 1]
#       [--trigger schedules|cli] [--starters 4] [--keep]
#
# Creates --count databases bench_scale_NNN of mixed sizes (1 MB up to --max-mb, spread
# quadratically: many small, a few large; md5 text, which compresses about 2x) in the stack's
# PostgreSQL, starts --workers worker processes of this build on a task queue of the bench's
# own (bench-scale-PID, each with the default `worker:` sizing unless LIFEBOAT_BENCH_WORKER_YAML
# says otherwise), has every backup start in the same minute (--trigger schedules, the default:
# `lifeboat schedules apply` with every database's backupSchedule set to the next minute but
# one, and the bench's schedules deleted at the end; --trigger cli: `lifeboat backup db NAME`,
# --starters CLIs at a time, each a JVM), waits for all of them, and prints:
#   - how many committed, how many failed, how many activity timeouts their histories hold;
#   - the total time (first start to last close) and each backup's p50 / p95 (start to close);
#   - the orchestration overhead of an activity step: the median gap between one step's
#     completion and the next step's start in a backup run alone afterwards (workflow task and
#     activity dispatch, no queueing), and the same median across the loaded runs.
# The databases are dropped at the end unless --keep; the backups stay under the repository
# prefix bench-scale (retention removes them). Ours runs as the default stack does: client-side
# encryption and the payload codec on (the stack's own keys).
set -euo pipefail
cd "$(dirname "$0")/.."

count=200
max_mb=200
workers=1
starters=4
trigger=schedules
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --max-mb) max_mb="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --starters) starters="$2"; shift 2 ;;
    --trigger) trigger="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "bench/scale.sh: unknown argument $1 (use --count N, --max-mb N, --workers N, --trigger schedules|cli, --starters N, --keep)" >&2; exit 2 ;;
  esac
done
for v in "$count" "$max_mb" "$workers" "$starters"; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "bench/scale.sh: counts are whole numbers from 1, not '$v'" >&2; exit 2; }
done
case $trigger in schedules|cli) ;; *) echo "bench/scale.sh: --trigger is schedules or cli, not '$trigger'" >&2; exit 2 ;; esac
[ "$count" -le 999 ] || { echo "bench/scale.sh: --count is at most 999" >&2; exit 2; }

base_config=${LIFEBOAT_CONFIG:-examples/farmtally/lifeboat.yml}
export LIFEBOAT_S3_ACCESS_KEY=${LIFEBOAT_S3_ACCESS_KEY:-lifeboat-local}
export LIFEBOAT_S3_SECRET_KEY=${LIFEBOAT_S3_SECRET_KEY:-lifeboat-local-secret}
export LIFEBOAT_PG_PASSWORD=${LIFEBOAT_PG_PASSWORD:-lifeboat-local}
PGBIN=${LIFEBOAT_PG_BIN:-/usr/lib/postgresql/15/bin}
CP="${LIFEBOAT_CLASSPATH:-$PWD/starter-cli/target/lifeboat-cli.jar:$PWD/starter-cli/target/lib/*}"
[ -f starter-cli/target/lifeboat-cli.jar ] || [ -n "${LIFEBOAT_CLASSPATH:-}" ] \
  || { echo "bench/scale.sh: build first (mvn -B -ntp -q install -DskipTests)" >&2; exit 2; }
# The CLI straight from this build (the launcher would build and keep state in this tree).
cli() { java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CP" io.lifeboat.cli.LifeboatCli "$@"; }
TEMPORAL_CLI=${TEMPORAL_CLI:-$(command -v temporal || echo "${LIFEBOAT_STATE_DIR:-.lifeboat}/venv/bin/temporal")}
[ -x "$TEMPORAL_CLI" ] || { echo "bench/scale.sh: no temporal CLI (set TEMPORAL_CLI)" >&2; exit 2; }

declare -A env
while IFS='=' read -r k v; do env[$k]=$v; done < <(cli config stack-env --config "$base_config")
export PGHOST=${env[PG_HOST]} PGPORT=${env[PG_PORT]} PGUSER=${env[PG_USER]} PGPASSWORD=$LIFEBOAT_PG_PASSWORD
export PGOPTIONS='-c client_min_messages=warning'
tctl() { "$TEMPORAL_CLI" --address "${env[TEMPORAL_ADDRESS]}" --namespace "${env[TEMPORAL_NAMESPACE]}" "$@"; }

out=bench/out/scale-$$
mkdir -p "$out"
queue=bench-scale-$$
estate=benchscale$$
keys=$(cd "$(dirname "$base_config")" && cd "$(dirname "$(sed -n 's/^ *keyFile: *\([^ #]*\).*/\1/p' "$(basename "$base_config")" | head -1)")" 2>/dev/null && pwd)
[ -n "$keys" ] && [ -f "$keys/repository.json" ] && [ -f "$keys/payload.json" ] \
  || { echo "bench/scale.sh: no keys beside $base_config's repository.encryption.keyFile: run ./lifeboat up first" >&2; exit 2; }

names=()
for ((i = 1; i <= count; i++)); do names+=("$(printf 'bench_scale_%03d' "$i")"); done
# Size of database i in MB: 1 .. max_mb, quadratic (many small ones, a few large ones).
size_mb() { python3 -c "import sys; i,n,m=map(int,sys.argv[1:]); print(max(1, round(1+(m-1)*((i-1)/max(1,n-1))**2)))" "$1" "$count" "$max_mb"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

write_config() { # $1 file, $2 metrics port, $3 the databases' backupSchedule
  {
    cat <<YAML
estate: $estate
temporal:
  address: "${env[TEMPORAL_ADDRESS]}"
  namespace: "${env[TEMPORAL_NAMESPACE]}"
  taskQueue: "$queue"
  webUi: "${env[WEB_UI]}"
  payloadEncryption: {keysetFile: "$keys/payload.json", codecServerPort: 0}
repository:
  encryption: {keyFile: "$keys/repository.json"}
  endpoint: "${env[S3_ENDPOINT]}"
  bucket: "${env[S3_BUCKET]}"
  prefix: bench-scale
  region: "${env[S3_REGION]}"
  accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
  secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
  partSizeMb: 16
retention: {fullDays: 30}
compression: {level: 3, workers: 2}
schedules: {timezone: UTC}
metrics: {port: $2}
${LIFEBOAT_BENCH_WORKER_YAML:-}
databases:
YAML
    for db in "${names[@]}"; do
      echo "  - {name: $db, host: \"$PGHOST\", port: $PGPORT, user: \"$PGUSER\", passwordEnv: LIFEBOAT_PG_PASSWORD, backupSchedule: \"$3\"}"
    done
  } > "$1"
}

pids=()
bench_schedules() { # the ids of this bench's schedules
  tctl schedule list -o json 2>/dev/null | python3 -c '
import json, sys
for s in json.load(sys.stdin) or []:
    i = s.get("scheduleId", "")
    if sys.argv[1] in i: print(i)' "$estate" || true
}
cleanup() {
  local p
  for p in $(bench_schedules); do tctl schedule delete --schedule-id "$p" >/dev/null 2>&1 || true; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$keep" = 0 ]; then
    for db in "${names[@]}"; do "$PGBIN/dropdb" --if-exists "$db" 2>/dev/null || true; done
  fi
}
trap cleanup EXIT

echo "== creating $count databases (1 to $max_mb MB)"
t0=$(date +%s)
{
  for ((i = 1; i <= count; i++)); do
    db=${names[i-1]}
    rows=$(( $(size_mb "$i") * 1000000 / 110 ))
    echo "drop database if exists $db;"
    echo "create database $db;"
    echo "\\c $db"
    echo "create table filler as select g as id, md5(g::text) as a, md5((g * 7919)::text) as b from generate_series(1, $rows) g;"
  done
} | "$PGBIN/psql" -Xq -v ON_ERROR_STOP=1 -d postgres >/dev/null
total_mb=$("$PGBIN/psql" -XtAc "select round(sum(pg_database_size(datname)) / 1e6) from pg_database where datname like 'bench\\_scale\\_%'" postgres)
echo "   $total_mb MB in $(( $(date +%s) - t0 )) s"
. "$(dirname "$0")/lib/archive.sh"
archive_settle bench/scale.sh

echo "== starting $workers worker(s) on task queue $queue"
for ((w = 1; w <= workers; w++)); do
  write_config "$out/worker-$w.yml" "$(free_port)" "0 2 * * *"
  LIFEBOAT_LOG_LEVEL=INFO java -Dlifeboat.home="$PWD" -cp "$CP" io.lifeboat.worker.WorkerMain \
    --config "$out/worker-$w.yml" > "$out/worker-$w.log" 2>&1 &
  pids+=($!)
done
config=$out/worker-1.yml
for ((w = 1; w <= workers; w++)); do
  for ((i = 0; i < 240; i++)); do
    grep -q 'Worker started' "$out/worker-$w.log" && break
    kill -0 "${pids[w-1]}" 2>/dev/null || { echo "bench/scale.sh: worker $w exited; see $out/worker-$w.log" >&2; exit 1; }
    sleep 0.5
  done
  grep -q 'Worker started' "$out/worker-$w.log" || { echo "bench/scale.sh: worker $w did not start; see $out/worker-$w.log" >&2; exit 1; }
done

if [ "$trigger" = cli ]; then
  echo "== starting $count backups through the CLI ($starters at a time)"
  start_epoch=$(date +%s)
  printf '%s\n' "${names[@]}" | xargs -P "$starters" -I{} sh -c \
    'java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$0" io.lifeboat.cli.LifeboatCli backup db {} --json --config "$1" > "$2/start-{}.json" 2> "$2/start-{}.err" || echo "start of {} failed: $(tail -1 "$2/start-{}.err")"' \
    "$CP" "$config" "$out"
  echo "   all started in $(( $(date +%s) - start_epoch )) s"
else
  # Every database's schedule fires in the same minute: the next but one (apply is a JVM).
  fire=$(( ($(date +%s) / 60 + 2) * 60 ))
  write_config "$out/apply.yml" "$(free_port)" "$(date -u -d "@$fire" +'%-M %-H') * * *"
  echo "== schedules for $(date -u -d "@$fire" +%H:%M) UTC: lifeboat schedules apply"
  cli schedules apply --config "$out/apply.yml" > "$out/apply.txt" 2>&1 \
    || { echo "bench/scale.sh: schedules apply failed: $(tail -1 "$out/apply.txt")" >&2; exit 1; }
  [ "$(date +%s)" -lt "$fire" ] \
    || { echo "bench/scale.sh: schedules apply took past $(date -u -d "@$fire" +%H:%M); run again" >&2; exit 1; }
  echo "   $(bench_schedules | wc -l) schedules of estate $estate; waiting for $(date -u -d "@$fire" +%H:%M:%S)"
  sleep $(( fire - $(date +%s) ))
fi

list_runs() { # JSON lines of this bench's backup runs
  tctl workflow list --query "TaskQueue='$queue' AND WorkflowType='DatabaseBackupWorkflow'" -o jsonl --limit 10000 2>/dev/null || true
}
echo "== waiting for every backup to close"
# The issue asks that the sample cluster's archiving keeps up meanwhile (lag under 2 segments):
# sampled every 2 s until the last backup closes.
( while :; do echo "$(date +%s) $(archive_lag)"; sleep 2; done ) > "$out/archive-lag.txt" 2>/dev/null &
lag_pid=$!
while :; do
  open=$(tctl workflow count --query "TaskQueue='$queue' AND WorkflowType='DatabaseBackupWorkflow' AND ExecutionStatus='Running'" 2>/dev/null | grep -oE '[0-9]+' | head -1)
  closed=$(tctl workflow count --query "TaskQueue='$queue' AND WorkflowType='DatabaseBackupWorkflow' AND ExecutionStatus!='Running'" 2>/dev/null | grep -oE '[0-9]+' | head -1)
  printf '\r   %s running, %s closed   ' "${open:-?}" "${closed:-?}"
  [ "${open:-1}" = 0 ] && [ "${closed:-0}" -ge "$count" ] && break
  sleep 5
done
kill "$lag_pid" 2>/dev/null || true
echo
list_runs > "$out/runs.jsonl"
python3 - "$out/runs.jsonl" > "$out/ids.txt" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    line = line.strip()
    if line:
        r = json.loads(line)
        e = r.get("execution", {})
        print(e.get("workflowId"), e.get("runId"))
PY
while read -r wid rid; do
  tctl workflow show --workflow-id "$wid" --run-id "$rid" -o json > "$out/history-$wid.json" 2>/dev/null || true
done < "$out/ids.txt"

echo "== one backup alone (the orchestration overhead without queueing)"
alone=${names[0]}
cli backup db "$alone" --wait --config "$config" > "$out/alone.txt" 2>&1 || true
alone_wid=$(tctl workflow list --query "TaskQueue='$queue' AND WorkflowType='DatabaseBackupWorkflow'" -o jsonl --limit 1 2>/dev/null \
  | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["execution"]["workflowId"])')
tctl workflow show --workflow-id "$alone_wid" -o json > "$out/alone-history.json" 2>/dev/null || true

report=$out/report.txt
python3 - "$out" "$count" "$workers" "$max_mb" "$total_mb" "$alone_wid" > "$report" <<'PY'
import glob, json, os, statistics, sys
from datetime import datetime
out, count, workers, max_mb, total_mb, alone = sys.argv[1:]

def ts(s):
    s = s.rstrip("Z")
    if "." in s:
        head, frac = s.split(".")
        s = head + "." + frac[:6]
    return datetime.fromisoformat(s).timestamp()

def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo = int(k); hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)

def kind(e):
    return e.get("eventType", "").replace("EVENT_TYPE_", "").replace("_", "").lower()

def gaps(events):
    """Seconds from each activity's completion to the next activity's start."""
    done, result = None, []
    for e in events:
        k = kind(e)
        if k == "activitytaskstarted" and done is not None:
            result.append(ts(e["eventTime"]) - done)
            done = None
        elif k == "activitytaskcompleted":
            done = ts(e["eventTime"])
    return result

runs = [json.loads(l) for l in open(os.path.join(out, "runs.jsonl")) if l.strip()]
status = {}
durations, starts, closes = [], [], []
for r in runs:
    st = r.get("status", "?")
    status[st] = status.get(st, 0) + 1
    if r.get("closeTime"):
        s, c = ts(r["startTime"]), ts(r["closeTime"])
        durations.append(c - s); starts.append(s); closes.append(c)
timeouts, loaded_gaps = 0, []
for f in glob.glob(os.path.join(out, "history-*.json")):
    try:
        events = json.load(open(f)).get("events", [])
    except ValueError:
        continue
    timeouts += sum(1 for e in events if kind(e) == "activitytasktimedout")
    loaded_gaps += gaps(events)
alone_gaps = []
try:
    alone_gaps = gaps(json.load(open(os.path.join(out, "alone-history.json"))).get("events", []))
except (OSError, ValueError):
    pass
committed = status.get("WORKFLOW_EXECUTION_STATUS_COMPLETED", 0) + status.get("Completed", 0)
print(f"# bench/scale.sh --count {count} --max-mb {max_mb} --workers {workers} on {os.cpu_count()} cores, "
      f"{datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ')}")
print(f"databases           {count} ({total_mb} MB on disk in all, empty ones included)")
print(f"committed           {committed} of {len(runs)}   statuses {status}")
print(f"activity timeouts   {timeouts}")
if durations:
    print(f"total               {max(closes) - min(starts):.1f} s (first start to last close)")
    print(f"per backup          p50 {pct(durations, 50):.1f} s   p95 {pct(durations, 95):.1f} s   max {max(durations):.1f} s")
lags = [int(l.split()[1]) for l in open(os.path.join(out, "archive-lag.txt")) if len(l.split()) == 2]
if lags:
    print(f"archive lag         max {max(lags)} segments, mean {statistics.mean(lags):.2f} ({len(lags)} samples every 2 s while the backups ran)")
if alone_gaps:
    print(f"step overhead       median {statistics.median(alone_gaps) * 1000:.0f} ms between steps of a backup run alone ({len(alone_gaps)} gaps)")
if loaded_gaps:
    print(f"step overhead, load median {statistics.median(loaded_gaps) * 1000:.0f} ms   p95 {pct(loaded_gaps, 95) * 1000:.0f} ms (includes waiting for slots)")
PY
echo
cat "$report"
ok=$(grep -c '^committed *\([0-9]*\) of \1 ' "$report" || true)
grep -q '^activity timeouts   0$' "$report" && [ "$ok" = 1 ] || { echo "bench/scale.sh: not every backup committed cleanly (see $out)" >&2; exit 1; }
