#!/usr/bin/env bash
# Benchmark: point-in-time recovery's backup half (this file's functions are meant to be
# extended with the restore half: see "restore half" below).
#
#   ./lifeboat up && bench/pitr.sh [--scale 130] [--wal-mb 1024] [--keep] [--no-restore] [--base-only] [--tps-only]
#
# 1. A throwaway PostgreSQL 15 cluster (run as the postgres OS user, its own port) that archives
#    through `lifeboat wal-push` exactly as the sample cluster does (asynchronous: spool +
#    shipper), loaded with pgbench -i -s SCALE (about 2 GB at 130).
# 2. Our base backup (`lifeboat backup base NAME --wait`: format 2, the server compresses
#    (pg_basebackup --compress=server-zstd -X stream), the file is uploaded and unpacked while it
#    is written, checked by pg_verifybackup with the streamed WAL while the archive is awaited,
#    stored object re-read) against `pgbackrest backup --type=full --compress-type=lz4
#    --process-max=2` of the same cluster to a local repository (ours 3 times on one worker:
#    fresh, second, warm; LIFEBOAT_BENCH_OURS_RUNS), pgBackRest once with --archive-check=n
#    (the cluster archives to ours) and once with its default archive-check=y (the cluster then
#    archives into both). Prints both ratios ours/pgBackRest.
# 3. What archiving costs the database: pgbench TPS with ours against archive_command=/bin/true
#    (--tps-only: just this, after the cluster is made), the archive lag and the shipper's and
#    the local S3 server's CPU beside it.
# 4. pgbench at full speed until about WAL_MB of WAL is written after the base backup, sampling
#    pg_stat_archiver every second: archive lag in segments (current segment minus the last
#    archived one, minus one) and failures.
# 5. The restore half (below, skipped with --no-restore): PITR to a target after that WAL, ours
#    against pgbackrest restore --type=time with asynchronous archive-get.
# LIFEBOAT_BENCH_ZSTD_WORKERS sets the server's zstd workers for ours (config compression.workers,
# default 2; 1 was measured 2026-11-22 and was not faster).
# Everything is left in place with --keep for the restore half (the WAL after the base backup is
# what a PITR replays); otherwise the cluster, the worker and the repository prefix are removed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

scale=130
wal_mb=1024
keep=0
restore=1
base_only=0
tps_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --wal-mb) wal_mb="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-restore) restore=0; shift ;;
    --base-only) base_only=1; restore=0; shift ;;
    --tps-only) tps_only=1; restore=0; shift ;;
    *) echo "bench/pitr.sh: unknown argument $1 (use --scale N, --wal-mb N, --keep, --no-restore, --base-only, --tps-only)" >&2; exit 2 ;;
  esac
done

# pgBackRest is what ours is compared with: installed here when missing (as the stack installs
# its own tools), never a step done by hand.
command -v pgbackrest >/dev/null || {
  echo "== installing pgbackrest (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q pgbackrest >/dev/null \
    || { echo "bench/pitr.sh: apt-get install pgbackrest failed" >&2; exit 2; }
}
export LIFEBOAT_S3_ACCESS_KEY=${LIFEBOAT_S3_ACCESS_KEY:-lifeboat-local}
export LIFEBOAT_S3_SECRET_KEY=${LIFEBOAT_S3_SECRET_KEY:-lifeboat-local-secret}
PGBIN=${LIFEBOAT_PG_BIN:-/usr/lib/postgresql/15/bin}
CP="$ROOT/starter-cli/target/lifeboat-cli.jar:$ROOT/starter-cli/target/lib/*"
BENCH=${LIFEBOAT_BENCH_DIR:-/var/lib/lifeboat-bench/pitr}   # the postgres user must enter it
PORT=${LIFEBOAT_BENCH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
DB=${LIFEBOAT_BENCH_DB:-bench_pitr}
TQ=${LIFEBOAT_BENCH_TQ:-lifeboat-bench-pitr}
TAG=$(date -u +%Y%m%dT%H%M%SZ)
PREFIX=bench/pitr-$TAG
OUT="$ROOT/bench/out"
RESULTS="$OUT/pitr-$TAG.txt"
mkdir -p "$OUT"

. "$(dirname "$0")/lib/archive.sh"   # segment_lag
say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
psql_b() { "$PGBIN/psql" -X -q -t -A -h 127.0.0.1 -p "$PORT" -U postgres -d "${2:-postgres}" -c "$1"; }
now_ms() { date +%s%3N; }
# The CLI as users run it: the launcher (its JVM options and class archive), without the
# build check (the script checks the build once, below).
cli() { LIFEBOAT_SKIP_BUILD=1 "$ROOT/lifeboat" "$@"; }

declare -A env
stack_env() {
  while IFS='=' read -r k v; do env[$k]=$v; done < <(cli config stack-env --config examples/farmtally/lifeboat.yml)
}

write_config() {
  CONFIG="$BENCH/lifeboat.yml"
  cat > "$CONFIG" <<YAML
estate: bench-pitr
temporal: {address: "${env[TEMPORAL_ADDRESS]}", namespace: "${env[TEMPORAL_NAMESPACE]}", taskQueue: "$TQ"}
repository:
  endpoint: "${env[S3_ENDPOINT]}"
  bucket: "${env[S3_BUCKET]}"
  prefix: "$PREFIX"
  region: "${env[S3_REGION]}"
  accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
  secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
  partSizeMb: 32
databases:
  - {name: $DB, host: 127.0.0.1, port: $PORT, user: postgres}
compression: {level: 3, workers: ${LIFEBOAT_BENCH_ZSTD_WORKERS:-2}}
metrics: {port: ${LIFEBOAT_BENCH_METRICS_PORT:-19479}}
YAML
  chmod 644 "$CONFIG"
}

# --- the cluster -------------------------------------------------------------------------------
setup_cluster() {
  as_pg "$PGBIN/pg_ctl" -D "$BENCH/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$BENCH"
  mkdir -p "$BENCH/spool" "$BENCH/pgbackrest"
  chmod 755 "$BENCH" "$(dirname "$BENCH")"
  write_config
  # The shipper keeps the launcher's idle exit (60 s). With 30 s it used to exit during the timed
  # base backup, and the backup's last segment then waited for a new shipper JVM (5 s here).
  printf 'LIFEBOAT_S3_ACCESS_KEY=%s\nLIFEBOAT_S3_SECRET_KEY=%s\n' \
    "$LIFEBOAT_S3_ACCESS_KEY" "$LIFEBOAT_S3_SECRET_KEY" > "$BENCH/wal.env"
  chmod 600 "$BENCH/wal.env"
  [ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$BENCH"
  as_pg "$PGBIN/initdb" -D "$BENCH/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  cat >> "$BENCH/data/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BENCH'
wal_level = replica
max_wal_senders = 4
max_wal_size = 4GB
shared_buffers = 256MB
archive_mode = on
archive_command = 'LIFEBOAT_ENV_FILE=$BENCH/wal.env $ROOT/lifeboat wal-push --config $CONFIG --spool $BENCH/spool --database $DB %p %f'
CONF
  as_pg "$PGBIN/pg_ctl" -D "$BENCH/data" -l "$BENCH/postgres.log" -w start >/dev/null
  psql_b "create database $DB"
  local t0; t0=$(now_ms)
  "$PGBIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -i -s "$scale" -q "$DB" >/dev/null 2>&1
  psql_b "checkpoint"
  say "cluster: pgbench -i -s $scale in $(( ($(now_ms) - t0) / 1000 )) s, database $(psql_b "select pg_size_pretty(pg_database_size('$DB'))")"
}

start_worker() {
  LIFEBOAT_LOG_LEVEL=INFO java ${LIFEBOAT_BENCH_WORKER_JAVA_OPTS:-} -cp "$CP" io.lifeboat.worker.WorkerMain --config "$CONFIG" --task-queue "$TQ" \
    > "$BENCH/worker.log" 2>&1 &
  WORKER_PID=$!
  for _ in $(seq 1 120); do grep -q 'Worker started' "$BENCH/worker.log" && return 0; sleep 0.5; done
  echo "bench/pitr.sh: the worker did not start; see $BENCH/worker.log" >&2; exit 1
}

wait_archived() {
  local t0; t0=$(now_ms)
  psql_b "select pg_switch_wal()" >/dev/null
  for _ in $(seq 1 1200); do
    [ "$(psql_b "select count(*) from pg_ls_archive_statusdir() where name like '%.ready'")" = 0 ] && break
    sleep 0.5
  done
  say "archive caught up with the load $(( ($(now_ms) - t0) / 1000 )) s after it ended"
}

# --- base backups ------------------------------------------------------------------------------
# CPU seconds (user + system) of a process and its waited-for children, from /proc.
cpu_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; }
ticks_s() { awk "BEGIN{printf \"%.1f\", $1 / $(getconf CLK_TCK)}"; }
# The postmaster's waited-for children: every backend that ended (a base backup's walsenders).
server_ticks() { awk '{print $16 + $17}' "/proc/$(head -1 "$BENCH/data/postmaster.pid")/stat"; }

bench_base_ours() {
  local t0 t1 json w0 w1 s0 s1
  w0=$(cpu_ticks "$WORKER_PID")
  s0=$(server_ticks)
  t0=$(now_ms)
  json=$(/usr/bin/time -f '%U %S' -o "$BENCH/cli.cpu" bash -c 'LIFEBOAT_SKIP_BUILD=1 "$0/lifeboat" "$@"' \
    "$ROOT" backup base "$DB" --wait --json --config "$CONFIG")
  t1=$(now_ms)
  w1=$(cpu_ticks "$WORKER_PID")
  s1=$(server_ticks)
  # CPU: the worker with pg_basebackup, tar and pg_verifybackup (its children); the CLI; the
  # server's backends that ended meanwhile (the walsenders, which read the files and, format 2,
  # compress them: pgBackRest reads and compresses in its own processes).
  say "ours (${OURS_LABEL:-}), CPU: worker + children $(ticks_s $((w1 - w0))) s, CLI $(awk '{printf "%.1f", $1 + $2}' "$BENCH/cli.cpu") s, server (walsenders, ended backends) $(ticks_s $((s1 - s0))) s"
  OURS_MS=$((t1 - t0))
  printf '%s\n' "$json" > "$OUT/pitr-$TAG-base.json"
  read -r OURS_STREAM_MS OURS_RAW OURS_STORED < <(python3 -c '
import json,sys; from datetime import datetime
m=json.load(sys.stdin)["manifest"]
f=lambda s: datetime.fromisoformat(s.replace("Z","+00:00")).timestamp()
print(int((f(m["finishedAt"])-f(m["startedAt"]))*1000), m["rawBytes"], m["storedBytes"])' <<<"$json")
  BASE_STOP_SEGMENT=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["manifest"]["stopWalSegment"])' <<<"$json")
  # Where the time went: CLI start and workflow start until the first step, each step, and the
  # CLI noticing the result after the last one.
  say "ours (${OURS_LABEL:-}), steps: $(python3 -c '
import json,sys
t0,t1=int(sys.argv[1]),int(sys.argv[2]); r=json.load(sys.stdin); s=r["steps"]
out=["before first step %.1f s" % ((s[0]["startedAtMillis"]-t0)/1000)]
out+=["%s %.1f s" % (x["step"], (x["finishedAtMillis"]-x["startedAtMillis"])/1000) for x in s if x["finishedAtMillis"]]
c=[x for x in s if x["step"]=="commit-manifest"]
if c: out.append("CLI start to committed manifest %.1f s" % ((c[0]["finishedAtMillis"]-t0)/1000))
out.append("after last step %.1f s" % ((t1-max(x["finishedAtMillis"] or 0 for x in s))/1000))
print(", ".join(out))' "$t0" "$t1" <<<"$json")"
  say "ours (${OURS_LABEL:-}): $(awk "BEGIN{printf \"%.1f\", $OURS_MS/1000}") s total (CLI start to its exit; pg_basebackup stream $(awk "BEGIN{printf \"%.1f\", $OURS_STREAM_MS/1000}") s), $((OURS_RAW / 1048576)) MiB -> $((OURS_STORED / 1048576)) MiB stored, pg_verifybackup passed"
}

bench_base_pgbackrest() {
  local conf="$BENCH/pgbackrest/pgbackrest.conf" t0 t1 size
  cat > "$conf" <<CONF
[global]
repo1-path=$BENCH/pgbackrest/repo
log-path=$BENCH/pgbackrest
lock-path=$BENCH/pgbackrest
log-level-console=warn
repo1-retention-full=1
[bench]
pg1-path=$BENCH/data
pg1-port=$PORT
pg1-socket-path=$BENCH
CONF
  [ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$BENCH/pgbackrest"
  as_pg pgbackrest --config="$conf" --stanza=bench stanza-create >/dev/null
  local s0; s0=$(server_ticks)
  t0=$(now_ms)
  # archive-check=n: WAL goes to our archive, not pgBackRest's; the copy itself is the same.
  local as=(); [ "$(id -u)" -ne 0 ] || as=(runuser -u postgres --)
  (cd / && /usr/bin/time -f '%U %S' -o "$BENCH/pgbr.cpu" "${as[@]}" pgbackrest --config="$conf" --stanza=bench backup --type=full \
    --compress-type=lz4 --process-max=2 --archive-check=n >/dev/null)
  t1=$(now_ms)
  PGBR_MS=$((t1 - t0))
  say "pgBackRest, CPU: $(awk '{printf "%.1f", $1 + $2}' "$BENCH/pgbr.cpu") s (with its processes), server (ended backends) $(ticks_s $(( $(server_ticks) - s0 ))) s"
  size=$(du -sb "$BENCH/pgbackrest/repo/backup" | cut -f1)
  say "pgBackRest: $(awk "BEGIN{printf \"%.1f\", $PGBR_MS/1000}") s (backup --type=full --compress-type=lz4 --process-max=2), $((size / 1048576)) MiB in its repository"
  # Ours also proves the backup restorable (pg_verifybackup); pgBackRest's nearest step is its
  # verify command (checksums of the repository's files), timed separately for comparison.
  t0=$(now_ms)
  as_pg pgbackrest --config="$conf" --stanza=bench verify >/dev/null 2>&1 || true
  PGBR_VERIFY_MS=$(( $(now_ms) - t0 ))
  say "pgBackRest verify: $(awk "BEGIN{printf \"%.1f\", $PGBR_VERIFY_MS/1000}") s"
  say "ratio ours (first on a fresh worker)/pgBackRest (archive-check=n): $(awk "BEGIN{printf \"%.2f\", $OURS_COLD_MS/$PGBR_MS}") total vs backup"
  say "ratio ours (second run)/pgBackRest (archive-check=n): $(awk "BEGIN{printf \"%.2f\", $OURS_SECOND_MS/$PGBR_MS}") total vs backup"
  say "ratio ours (warm worker)/pgBackRest (archive-check=n): $(awk "BEGIN{printf \"%.2f\", $OURS_MS/$PGBR_MS}") total vs backup, $(awk "BEGIN{printf \"%.2f\", $OURS_MS/($PGBR_MS+$PGBR_VERIFY_MS)}") total vs backup+verify, $(awk "BEGIN{printf \"%.2f\", $OURS_STREAM_MS/$PGBR_MS}") stream only vs backup (target <= 1.0)"
  bench_base_pgbackrest_archived
}

# The same pgBackRest backup with its default archive-check=y, as its users run it: it then
# waits until its own archive holds the backup's last segment, as ours waits for ours. For
# that the cluster archives into both repositories (ours, then pgBackRest's asynchronous
# archive-push) from here until the end of this measurement; then back to ours alone.
bench_base_pgbackrest_archived() {
  local conf="$BENCH/pgbackrest/pgbackrest.conf" t0 t1 ours_cmd both
  mkdir -p "$BENCH/pgbackrest/spool"
  cat >> "$conf" <<CONF
[global:archive-push]
archive-async=y
spool-path=$BENCH/pgbackrest/spool
process-max=2
compress-type=lz4
CONF
  [ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$BENCH/pgbackrest"
  ours_cmd=$(psql_b "show archive_command")
  both="$ours_cmd && pgbackrest --config=$conf --stanza=bench archive-push %p"
  psql_b "alter system set archive_command = '$both'" >/dev/null
  psql_b "select pg_reload_conf()" >/dev/null
  psql_b "select pg_switch_wal()" >/dev/null
  sleep 2
  local as=(); [ "$(id -u)" -ne 0 ] || as=(runuser -u postgres --)
  t0=$(now_ms)
  (cd / && /usr/bin/time -f '%U %S' -o "$BENCH/pgbr2.cpu" "${as[@]}" pgbackrest --config="$conf" --stanza=bench backup --type=full \
    --compress-type=lz4 --process-max=2 >/dev/null)
  t1=$(now_ms)
  PGBR_CHECKED_MS=$((t1 - t0))
  psql_b "alter system reset archive_command" >/dev/null
  psql_b "select pg_reload_conf()" >/dev/null
  say "pgBackRest (archive-check=y, archiving into its repository too): $(awk "BEGIN{printf \"%.1f\", $PGBR_CHECKED_MS/1000}") s, CPU $(awk '{printf "%.1f", $1 + $2}' "$BENCH/pgbr2.cpu") s"
  say "ratio ours (first on a fresh worker)/pgBackRest (archive-check=y): $(awk "BEGIN{printf \"%.2f\", $OURS_COLD_MS/$PGBR_CHECKED_MS}") total vs backup"
  say "ratio ours (second run)/pgBackRest (archive-check=y): $(awk "BEGIN{printf \"%.2f\", $OURS_SECOND_MS/$PGBR_CHECKED_MS}") total vs backup"
  say "ratio ours (warm worker)/pgBackRest (archive-check=y): $(awk "BEGIN{printf \"%.2f\", $OURS_MS/$PGBR_CHECKED_MS}") total vs backup (target <= 1.0; both ratios are printed: =n is pgBackRest without its WAL wait, =y with it)"
}

# --- WAL after the base backup, and the archive lag under full pgbench load -------------------
# The same load with one JVM per segment (wal-push without --spool), for 40 s: the reason the
# asynchronous design exists. Archiving goes back to asynchronous afterwards.
bench_wal_lag_sync() {
  local cmd="LIFEBOAT_ENV_FILE=$BENCH/wal.env $ROOT/lifeboat wal-push --config $CONFIG --database $DB %p %f"
  psql_b "alter system set archive_command = '$cmd'" >/dev/null
  psql_b "select pg_reload_conf()" >/dev/null
  wal_mb=1000000 LAG_LABEL="one JVM per segment (no spool)" LAG_MAX_SECONDS=40 bench_wal_lag
  psql_b "alter system reset archive_command" >/dev/null
  psql_b "select pg_reload_conf()" >/dev/null
  # let the asynchronous path catch up before the next measurement
  local i; for i in $(seq 1 600); do
    [ "$(psql_b "select count(*) from pg_ls_archive_statusdir() where name like '%.ready'")" = 0 ] && break
    sleep 1
  done
}

bench_wal_lag() {
  local segs=$(( wal_mb / 16 )) start_lsn samples=0 lagsum=0 lagmax=0 cur last lag t0 pid
  start_lsn=$(psql_b "select pg_current_wal_lsn()")
  local f0; f0=$(psql_b "select failed_count from pg_stat_archiver")
  t0=$(now_ms)
  "$PGBIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -c 4 -j 2 -T 3600 -N "$DB" \
    > "$BENCH/pgbench.log" 2>&1 &
  pid=$!
  while :; do
    sleep 1
    read -r cur last written < <(psql_b "select pg_walfile_name(pg_current_wal_lsn()),
      coalesce(last_archived_wal, '-'), pg_wal_lsn_diff(pg_current_wal_lsn(), '$start_lsn')::bigint
      from pg_stat_archiver" | tr '|' ' ')
    lag=$(segment_lag "$cur" "$last")
    samples=$((samples + 1)); lagsum=$((lagsum + lag)); [ "$lag" -le "$lagmax" ] || lagmax=$lag
    [ "$written" -lt $((segs * 16 * 1048576)) ] || break
    [ -z "${LAG_MAX_SECONDS:-}" ] || [ $(( ($(now_ms) - t0) / 1000 )) -lt "$LAG_MAX_SECONDS" ] || break
  done
  kill -TERM "$pid" 2>/dev/null || true   # background jobs ignore SIGINT
  wait "$pid" 2>/dev/null || true
  local secs=$(( ($(now_ms) - t0) / 1000 ))
  local f1; f1=$(psql_b "select failed_count from pg_stat_archiver")
  psql_b "select pg_switch_wal()" >/dev/null
  WAL_END_LSN=$(psql_b "select pg_current_wal_lsn()")
  say "WAL (${LAG_LABEL:-asynchronous wal-push}): $((written / 1048576)) MiB in ${secs} s under pgbench -c 4 -j 2 -N ($(awk "BEGIN{printf \"%.2f\", $written/16777216/$secs}") segments/s)"
  say "archive lag (${LAG_LABEL:-asynchronous wal-push}): max $lagmax segments, mean $(awk "BEGIN{printf \"%.2f\", $lagsum/$samples}") over $samples samples; archiver failures during the run: $((f1 - f0))"
}

# --- what archiving costs the database: pgbench TPS with ours against archive_command=/bin/true
# The same pgbench (-c 4 -j 2 -N) for LIFEBOAT_BENCH_TPS_SECONDS (default 30) twice: first with
# archiving that does nothing, then with ours (asynchronous wal-push: spool + shipper), the
# archive lag sampled every second. The local S3 server's CPU is reported apart (in production
# it is another machine), and so is the shipper's.
lag_now() {
  local cur last
  read -r cur last < <(psql_b "select pg_walfile_name(pg_current_wal_lsn()), coalesce(last_archived_wal, '-') from pg_stat_archiver" | tr '|' ' ')
  segment_lag "$cur" "$last"
}
run_tps() { # prints pgbench's tps
  "$PGBIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -c 4 -j 2 -N -T "$1" "$DB" 2>/dev/null \
    | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1
}
bench_tps() {
  local secs=${LIFEBOAT_BENCH_TPS_SECONDS:-30} tps_true tps_ours lagmax=0 lag s3 s3a s3b sh sha shb
  psql_b "alter system set archive_command = '/bin/true'" >/dev/null
  psql_b "select pg_reload_conf()" >/dev/null
  psql_b "select pg_switch_wal()" >/dev/null
  tps_true=$(run_tps "$secs")
  psql_b "alter system reset archive_command" >/dev/null
  psql_b "select pg_reload_conf()" >/dev/null
  psql_b "select pg_switch_wal()" >/dev/null
  wait_archived
  s3=$(pgrep -f 's3proxy|minio server' | head -1 || true)
  sh=$(cat "$BENCH/spool/$DB/shipper.pid" 2>/dev/null || true)
  s3a=$( [ -n "$s3" ] && cpu_ticks "$s3" || echo 0); sha=$( [ -n "$sh" ] && cpu_ticks "$sh" || echo 0)
  ( while :; do lag_now; sleep 1; done ) > "$BENCH/tps-lag.txt" 2>/dev/null &
  local sampler=$!
  tps_ours=$(run_tps "$secs")
  kill "$sampler" 2>/dev/null || true
  s3b=$( [ -n "$s3" ] && cpu_ticks "$s3" || echo 0); shb=$( [ -n "$sh" ] && [ -r "/proc/$sh/stat" ] && cpu_ticks "$sh" || echo "$sha")
  lagmax=$(sort -n "$BENCH/tps-lag.txt" | tail -1)
  say "pgbench -c 4 -j 2 -N for $secs s: $tps_true tps with archive_command=/bin/true, $tps_ours tps archiving through ours: ratio $(awk "BEGIN{printf \"%.2f\", $tps_ours/$tps_true}") (target >= 0.9)"
  say "archive lag meanwhile: max ${lagmax:-?} segments (target under 2); CPU in those $secs s: the shipper $(ticks_s $((shb - sha))) s, the local S3 server $(ticks_s $((s3b - s3a))) s (another machine in production)"
}

# --- restore half: point-in-time recovery to a target near the end of that WAL ---------------
# Ours (`lifeboat recover db NAME --to T --wait`) against `pgbackrest restore --type=time` of
# pgBackRest's own full backup with asynchronous archive-get (archive-async=y, process-max=2,
# a spool), each counted from its start until the server has promoted and answers. Ours is
# timed from the CLI's start to the end of its replay step (the promoted server answered on
# its scratch port); its verify and swap steps are printed apart.

# A target just after the load: then a few commits, so the archive holds a commit past the
# target (PostgreSQL stops before the first commit after it). Nothing writes in between, so a
# digest taken now is the data at the target.
pick_target() {
  TARGET_ISO=$(psql_b "select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
  TARGET_PG=$(python3 -c "import sys; t=sys.argv[1]; print(t.replace('T',' ').replace('Z','+00'))" "$TARGET_ISO")
  TARGET_DIGEST=$(psql_b "$DIGEST_SQL" "$DB")
  sleep 1
  "$PGBIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -c 2 -j 1 -t 200 -N "$DB" >/dev/null 2>&1
  local last; last=$(psql_b "select pg_walfile_name(pg_current_wal_lsn())")
  psql_b "select pg_switch_wal()" >/dev/null
  for _ in $(seq 1 600); do
    [[ "$(psql_b "select coalesce(last_archived_wal, '') from pg_stat_archiver")" < "$last" ]] || break
    sleep 0.5
  done
  say "target: $TARGET_ISO (then 400 more transactions; archived through $last)"
}
DIGEST_SQL="select md5(string_agg(abalance::text, ',' order by aid)) || '/' || (select count(*) from pgbench_history) from pgbench_accounts"

# pgBackRest restores from its own repository: give it the WAL our archive holds (not timed).
seed_pgbackrest_archive() {
  local conf="$BENCH/pgbackrest/pgbackrest.conf" dir="$BENCH/walcopy" n=0 f t0
  t0=$(now_ms)
  rm -rf "$dir"; mkdir -p "$dir"
  AWS_ACCESS_KEY_ID=$LIFEBOAT_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$LIFEBOAT_S3_SECRET_KEY \
    AWS_DEFAULT_REGION=${env[S3_REGION]} aws --endpoint-url "${env[S3_ENDPOINT]}" \
    s3 sync --quiet "s3://${env[S3_BUCKET]}/$PREFIX/wal/$DB/00000001/" "$dir/"
  for f in "$dir"/*.zst; do
    local seg; seg=$(basename "$f" .zst)
    [[ "$seg" =~ ^[0-9A-F]{24}$ ]] || continue
    [[ "$seg" < "$BASE_STOP_SEGMENT" ]] && continue
    zstd -dq --rm -f "$f" -o "$dir/$seg"
    chown postgres:postgres "$dir/$seg" 2>/dev/null || true
    as_pg pgbackrest --config="$conf" --stanza=bench --archive-async=n --compress-type=lz4 \
      archive-push "$dir/$seg" >/dev/null
    n=$((n + 1))
  done
  rm -rf "$dir"
  say "seeded pgBackRest's archive with $n segments in $(( ($(now_ms) - t0) / 1000 )) s (not timed)"
}

bench_restore_pgbackrest() {
  local conf="$BENCH/pgbackrest/pgbackrest.conf" dir="$BENCH/pgbr-data" port2=$((PORT + 1)) t0 t1
  cat >> "$conf" <<CONF
spool-path=$BENCH/pgbackrest/spool
[global:archive-get]
archive-async=y
process-max=2
CONF
  mkdir -p "$BENCH/pgbackrest/spool" "$dir"
  chmod 700 "$dir"
  [ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$BENCH/pgbackrest" "$dir"
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  t0=$(now_ms)
  as_pg pgbackrest --config="$conf" --stanza=bench --pg1-path="$dir" --type=time \
    "--target=$TARGET_PG" --target-action=promote --process-max=2 restore >/dev/null
  as_pg "$PGBIN/pg_ctl" -D "$dir" -l "$BENCH/pgbr-restore.log" -W \
    -o "-p $port2 -c archive_mode=off" start >/dev/null
  until [ "$("$PGBIN/psql" -X -q -t -A -h 127.0.0.1 -p "$port2" -U postgres -d postgres \
      -c 'select pg_is_in_recovery()' 2>/dev/null)" = f ]; do
    sleep 0.1
    as_pg "$PGBIN/pg_ctl" -D "$dir" status >/dev/null 2>&1 || {
      echo "bench/pitr.sh: pgBackRest's restored server stopped; see $BENCH/pgbr-restore.log" >&2; exit 1; }
  done
  t1=$(now_ms)
  PGBR_RESTORE_MS=$((t1 - t0))
  local digest; digest=$("$PGBIN/psql" -X -q -t -A -h 127.0.0.1 -p "$port2" -U postgres -d "$DB" -c "$DIGEST_SQL")
  [ "$digest" = "$TARGET_DIGEST" ] || say "WARNING: pgBackRest's copy differs from the data at the target"
  as_pg "$PGBIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
  rm -rf "$dir"
  say "pgBackRest: $(awk "BEGIN{printf \"%.1f\", $PGBR_RESTORE_MS/1000}") s restore --type=time + start until promoted and answering (archive-async=y, process-max=2)$( [ "$digest" = "$TARGET_DIGEST" ] && echo ', data = target')"
}

bench_restore_ours() {
  local t0 json t1
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  t0=$(now_ms)
  json=$(cli recover db "$DB" --to "$TARGET_ISO" --wait --json --config "$CONFIG")
  t1=$(now_ms)
  printf '%s\n' "$json" > "$OUT/pitr-$TAG-recover.json"
  read -r REPLAY_END DL_MS REPLAY_MS VERIFY_SWAP_MS SEGS < <(python3 -c '
import json,sys
r=json.load(sys.stdin); s={t["step"]: t for t in r["steps"]}
d=lambda n: s[n]["finishedAtMillis"]-s[n]["startedAtMillis"]
print(s["replay"]["finishedAtMillis"], d("download"), d("replay"), d("verify")+d("swap"),
      r["report"]["facts"].get("Replay","?").split()[0])' <<<"$json")
  OURS_RESTORE_MS=$((REPLAY_END - t0))
  local digest; digest=$(psql_b "$DIGEST_SQL" "$DB")
  [ "$digest" = "$TARGET_DIGEST" ] || say "WARNING: our copy differs from the data at the target"
  say "ours:       $(awk "BEGIN{printf \"%.1f\", $OURS_RESTORE_MS/1000}") s from the CLI's start until promoted and answering (download $(awk "BEGIN{printf \"%.1f\", $DL_MS/1000}") s, replay of $SEGS segments $(awk "BEGIN{printf \"%.1f\", $REPLAY_MS/1000}") s); then verify + swap $(awk "BEGIN{printf \"%.1f\", $VERIFY_SWAP_MS/1000}") s, $(awk "BEGIN{printf \"%.1f\", ($t1-$t0)/1000}") s in all$( [ "$digest" = "$TARGET_DIGEST" ] && echo ', data = target')"
  say "ratio ours/pgBackRest (until promoted): $(awk "BEGIN{printf \"%.2f\", $OURS_RESTORE_MS/$PGBR_RESTORE_MS}") (target <= 1.0)"
}

cleanup() {
  [ -z "${WORKER_PID:-}" ] || kill "$WORKER_PID" 2>/dev/null || true
  # a run that failed half-way leaves its workflow open without a worker: end it
  "${LIFEBOAT_TEMPORAL_BIN:-temporal}" workflow terminate --address "${env[TEMPORAL_ADDRESS]}" \
    --workflow-id "backup-base-bench-pitr-$DB-manual" --reason "bench/pitr.sh ended" >/dev/null 2>&1 || true
  if [ "$keep" = 1 ]; then
    say "kept: cluster $BENCH (port $PORT), repository prefix $PREFIX, config $CONFIG"
    return 0
  fi
  as_pg "$PGBIN/pg_ctl" -D "$BENCH/data" -m fast stop >/dev/null 2>&1 || true
  for p in "$BENCH/spool/$DB/shipper.pid" "$BENCH/spool/$DB/fetch/prefetcher.pid"; do
    [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
  done
  rm -rf "$BENCH"
  AWS_ACCESS_KEY_ID=$LIFEBOAT_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$LIFEBOAT_S3_SECRET_KEY \
    AWS_DEFAULT_REGION=${env[S3_REGION]} aws --endpoint-url "${env[S3_ENDPOINT]}" \
    s3 rm --recursive --quiet "s3://${env[S3_BUCKET]}/$PREFIX/" || true
}

main() {
  [ -f "$ROOT/starter-cli/target/lifeboat-cli.jar" ] || { echo "bench/pitr.sh: build first (./lifeboat up builds)" >&2; exit 3; }
  say "bench/pitr.sh $TAG: scale $scale, $(nproc) cores, $(uptime | sed 's/.*load average/load average/')"
  stack_env
  trap cleanup EXIT
  # a run whose worker was killed leaves its workflow open: end it, it is this script's own
  "${LIFEBOAT_TEMPORAL_BIN:-temporal}" workflow terminate --address "${env[TEMPORAL_ADDRESS]}" \
    --workflow-id "backup-base-bench-pitr-$DB-manual" --reason "bench/pitr.sh restarted" >/dev/null 2>&1 || true
  "${LIFEBOAT_TEMPORAL_BIN:-temporal}" workflow terminate --address "${env[TEMPORAL_ADDRESS]}" \
    --workflow-id "recover-db-bench-pitr-$DB" --reason "bench/pitr.sh restarted" >/dev/null 2>&1 || true
  setup_cluster
  start_worker
  if [ "$tps_only" = 1 ]; then
    wait_archived
    bench_tps
    say "results in $RESULTS"
    return
  fi
  # The load wrote ~1.6 GB of WAL in seconds; a base backup ends only once the WAL it needs is
  # archived, so timing it now would time the archive's backlog. Wait for the backlog, and let
  # the (long-running, in production) worker answer once: the archive check warms it up.
  wait_archived
  # The launcher writes the CLI's class archive (AppCDS) with a training run before the first
  # command after a build; make it here, untimed, as a host's first command would.
  rm -f "$ROOT/.lifeboat/run/cli.jsa"
  cli wal check "$DB" --config "$CONFIG" >/dev/null || true
  # OURS_RUNS times (default 3): the first base backup of a just-started worker pays for its
  # JIT (Tink, the multipart upload, the base-backup code: about 3 s of CPU here), and C2 is
  # still compiling the unpack loop during the second (measured: 0.4-0.7 s of C2 CPU in the
  # second and third, the unpack ending 0.4 s after the stream, then 15-30 ms from the fourth);
  # a production worker is long-running. Every run is printed; ratios for the first (fresh),
  # the second, and the last (warm).
  OURS_LABEL="run 1, first on a fresh worker" bench_base_ours
  OURS_COLD_MS=$OURS_MS
  OURS_ALL="$(awk "BEGIN{printf \"%.1f\", $OURS_MS/1000}")"
  for k in $(seq 2 "${LIFEBOAT_BENCH_OURS_RUNS:-3}"); do
    OURS_LABEL="run $k, warm worker" bench_base_ours
    [ "$k" = 2 ] && OURS_SECOND_MS=$OURS_MS
    OURS_ALL="$OURS_ALL, $(awk "BEGIN{printf \"%.1f\", $OURS_MS/1000}")"
  done
  OURS_SECOND_MS=${OURS_SECOND_MS:-$OURS_MS}
  say "ours, every run: $OURS_ALL s (the last is the warm figure)"
  bench_base_pgbackrest
  if [ "$base_only" = 0 ]; then
    bench_tps
    bench_wal_lag_sync
    bench_wal_lag
  fi
  if [ "$restore" = 1 ]; then
    pick_target
    seed_pgbackrest_archive
    bench_restore_pgbackrest
    bench_restore_ours
  fi
  say "results in $RESULTS"
}

main
