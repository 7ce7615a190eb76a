#!/usr/bin/env bash
# Benchmark (issue 19): Lifeboat's MariaDB and Redis backups against the plain tools, on the
# same data in the same run.
#
#   ./lifeboat up && mvn -B -ntp -q install -DskipTests && bench/engines.sh [--size 1024] [--keep]
#   bench/engines.sh --size 32          # a smoke run (about a minute of data, proves the script)
#
# Starts its OWN mariadbd (run as the mysql user) and redis-server on free loopback ports under
# a temp dir, loads about --size MB into each (MariaDB: the InnoDB file of a FarmTally-shaped
# billing table, INSERT ... SELECT from the sequence engine; Redis: used_memory, sessions as
# JSON strings and tallies as small hashes, written by Lua in batches), then times, one after
# the other, each pair's row printed as soon as both have run:
#   mariadb-dump --single-transaction ... | gzip > FILE      vs  lifeboat backup mariadb NAME --wait
#   redis-cli --rdb FILE && gzip FILE                        vs  lifeboat backup redis NAME --wait
#   mariadb-backup --backup --stream=xbstream | gzip > FILE  vs  lifeboat backup mariadb NAME --physical --wait
#   mariadb-backup --backup --target-dir=DIR (no compression)    (the same physical run of ours)
# and prints each time and the ratio ours / tool, with the load averages before and after. The
# report is bench/out/engines-TIME.txt. Ours runs with the stack's own config
# (examples/farmtally/lifeboat.yml, derived as the e2e tests derive theirs: its compression,
# part size, retention, client-side encryption with the stack's repository key and the payload
# codec with its payload key), on a task queue, estate and repository prefix of its own, with a
# worker JVM of this build started for the run; the offsite copy is left out (a second copy the
# plain tools do not make). Ours includes the CLI's JVM start and everything up to the
# committed manifest: upload to S3, read-back sha256, and the restore into a scratch server
# (mariadbd / redis-server) that the verification does.
# Everything it starts (servers, worker) is stopped by pid and its temp dir and repository
# prefix removed on exit, failure included (--keep leaves temp dir and prefix for a look).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

size=1024
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "bench/engines.sh: unknown argument $1 (use --size MB, --keep)" >&2; exit 2 ;;
  esac
done
[[ $size =~ ^[1-9][0-9]*$ ]] || { echo "bench/engines.sh: --size is a whole number of MB, not '$size'" >&2; exit 2; }

for t in mariadbd mariadb-install-db mariadb mariadb-dump mariadb-backup redis-server redis-cli gzip aws python3; do
  command -v "$t" >/dev/null || { echo "bench/engines.sh: $t is not installed (apt-get install mariadb-server mariadb-client mariadb-backup redis-server redis-tools)" >&2; exit 2; }
done
CP="${LIFEBOAT_CLASSPATH:-$ROOT/starter-cli/target/lifeboat-cli.jar:$ROOT/starter-cli/target/lib/*}"
[ -f starter-cli/target/lifeboat-cli.jar ] || [ -n "${LIFEBOAT_CLASSPATH:-}" ] \
  || { echo "bench/engines.sh: build first (mvn -B -ntp -q install -DskipTests)" >&2; exit 2; }
# The CLI straight from this build, with the launcher's JVM options (the launcher would build
# and keep state in this tree).
cli() { java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$CP" io.lifeboat.cli.LifeboatCli "$@"; }

base_config=$(realpath "${LIFEBOAT_CONFIG:-examples/farmtally/lifeboat.yml}")
export LIFEBOAT_S3_ACCESS_KEY=${LIFEBOAT_S3_ACCESS_KEY:-lifeboat-local}
export LIFEBOAT_S3_SECRET_KEY=${LIFEBOAT_S3_SECRET_KEY:-lifeboat-local-secret}
export LIFEBOAT_PG_PASSWORD=${LIFEBOAT_PG_PASSWORD:-lifeboat-local}
# The stack's config names the offsite keys; its offsite copy is left out below.
export LIFEBOAT_OFFSITE_ACCESS_KEY=${LIFEBOAT_OFFSITE_ACCESS_KEY:-lifeboat-offsite}
export LIFEBOAT_OFFSITE_SECRET_KEY=${LIFEBOAT_OFFSITE_SECRET_KEY:-lifeboat-offsite-secret}
export LIFEBOAT_BENCH_MARIADB_PW="bench-m-$RANDOM$RANDOM"
export LIFEBOAT_BENCH_REDIS_PW="bench-r-$RANDOM$RANDOM"

declare -A env
stack_env=$(cli config stack-env --config "$base_config") \
  || { echo "bench/engines.sh: cannot read the stack's settings (is ./lifeboat up done?)" >&2; exit 2; }
while IFS='=' read -r k v; do env[$k]=$v; done <<<"$stack_env"

out="$ROOT/bench/out"
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report="$out/engines-$stamp.txt"
run=engines$$
queue="bench-$run"
prefix="bench/$run"
# Short: the worker's scratch mariadbd puts its socket under java.io.tmpdir (below), and a
# socket path over 107 bytes makes mariadbd abort.
tmp=$(mktemp -d /tmp/lb-bench.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp/plain" "$tmp/my/data" "$tmp/my/binlog" "$tmp/my/run" "$tmp/redis"
[ "$(id -u)" = 0 ] && chown mysql:mysql "$tmp/my/data" "$tmp/my/binlog" "$tmp/my/run"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
seconds() { date +%s.%N; }
say() { printf '%s\n' "$*" | tee -a "$report"; }

maria_pid=""
worker_pid=""
rows=""
temporal_cli=${TEMPORAL_CLI:-$(command -v temporal || true)}
for c in "${LIFEBOAT_STATE_DIR:-}/venv/bin/temporal" "$(dirname "$base_config")/../../.lifeboat/venv/bin/temporal"; do
  [ -z "$temporal_cli" ] && [ -x "$c" ] && temporal_cli=$c
done
s3() {
  AWS_ACCESS_KEY_ID=$LIFEBOAT_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$LIFEBOAT_S3_SECRET_KEY \
    AWS_DEFAULT_REGION=${env[S3_REGION]} aws --endpoint-url "${env[S3_ENDPOINT]}" "$@"
}
cleanup() {
  local rc=$? p
  set +e
  if [ "$rc" != 0 ] && [ -s "${rows:-}" ]; then
    { echo "(ended early, exit $rc: the rows so far)"; cat "$rows"; } | tee -a "$report"
  fi
  # A backup cut short keeps running in Temporal with no worker on its queue: ended here.
  if [ -n "$temporal_cli" ]; then
    for p in "backup-mariadb-bench-$run-billing-manual" "backup-redis-bench-$run-cache-manual"; do
      "$temporal_cli" --address "${env[TEMPORAL_ADDRESS]}" --namespace "${env[TEMPORAL_NAMESPACE]}" \
        workflow terminate --workflow-id "$p" --reason "bench/engines.sh ended" >/dev/null 2>&1
    done
  fi
  [ -n "$worker_pid" ] && { kill "$worker_pid" 2>/dev/null; wait "$worker_pid" 2>/dev/null; }
  if [ -n "$maria_pid" ]; then
    kill "$maria_pid" 2>/dev/null
    for _ in $(seq 1 600); do kill -0 "$maria_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$maria_pid" 2>/dev/null
  fi
  if [ -f "$tmp/redis/redis.pid" ]; then
    p=$(cat "$tmp/redis/redis.pid")
    kill "$p" 2>/dev/null
    for _ in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
  fi
  if [ "$keep" = 1 ]; then
    echo "kept: $tmp and s3://${env[S3_BUCKET]}/$prefix/ (delete them when done)"
  else
    s3 s3 rm --recursive --quiet "s3://${env[S3_BUCKET]}/$prefix/" >/dev/null 2>&1 \
      || echo "bench/engines.sh: could not remove s3://${env[S3_BUCKET]}/$prefix/" >&2
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "# bench/engines.sh --size $size on $(nproc) cores, $(date -u +%FT%TZ), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
say "load before: $(uptime | sed 's/.*load average: //')"

# ---------------------------------------------------------------- the servers
mport=$(free_port)
cat > "$tmp/my/my.cnf" <<CNF
[mariadbd]
datadir=$tmp/my/data
port=$mport
bind-address=127.0.0.1
socket=$tmp/my/run/mariadb.sock
pid-file=$tmp/my/run/mariadb.pid
log-error=$tmp/my/run/error.log
log-bin=$tmp/my/binlog/mysql-bin
server-id=1
binlog-format=ROW
innodb-buffer-pool-size=1G
innodb-log-file-size=512M
innodb-io-capacity=10000
innodb-io-capacity-max=20000
CNF
as_mysql=(); [ "$(id -u)" = 0 ] && as_mysql=(--user=mysql)
mariadb-install-db --no-defaults --datadir="$tmp/my/data" --auth-root-authentication-method=normal \
  --skip-test-db "${as_mysql[@]}" > "$tmp/my/install.log" 2>&1 \
  || { echo "bench/engines.sh: mariadb-install-db failed: $(tail -1 "$tmp/my/install.log")" >&2; exit 1; }
mariadbd --defaults-file="$tmp/my/my.cnf" "${as_mysql[@]}" > /dev/null 2>&1 &
maria_pid=$!
root_sql() { mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$mport" -u root --batch --skip-column-names "$@"; }
for i in $(seq 1 600); do
  root_sql -e 'SELECT 1' >/dev/null 2>&1 && break
  kill -0 "$maria_pid" 2>/dev/null || { echo "bench/engines.sh: mariadbd stopped: $(tail -1 "$tmp/my/run/error.log")" >&2; exit 1; }
  sleep 0.1
done
root_sql -e "CREATE USER 'lifeboat'@'%' IDENTIFIED BY '$LIFEBOAT_BENCH_MARIADB_PW'; GRANT ALL PRIVILEGES ON *.* TO 'lifeboat'@'%';"
sql() { MYSQL_PWD=$LIFEBOAT_BENCH_MARIADB_PW mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$mport" -u lifeboat --batch --skip-column-names "$@"; }

rport=$(free_port)
# repl-diskless-sync-delay 0: Redis 7 otherwise waits 5 s for more replicas before the diskless
# transfer `redis-cli --rdb` asks for (both sides of the comparison would pay it).
printf 'requirepass "%s"\n' "$LIFEBOAT_BENCH_REDIS_PW" | redis-server --port "$rport" --bind 127.0.0.1 \
  --dir "$tmp/redis" --dbfilename dump.rdb --save "" --appendonly no --daemonize yes \
  --repl-diskless-sync-delay 0 --pidfile "$tmp/redis/redis.pid" --logfile "$tmp/redis/redis.log" - >/dev/null
rcli() { REDISCLI_AUTH=$LIFEBOAT_BENCH_REDIS_PW redis-cli --no-auth-warning -h 127.0.0.1 -p "$rport" "$@"; }
for i in $(seq 1 200); do [ "$(rcli PING 2>/dev/null)" = PONG ] && break; sleep 0.1; done
[ "$(rcli PING)" = PONG ] || { echo "bench/engines.sh: redis-server did not answer" >&2; exit 1; }

# ---------------------------------------------------------------- the data
db=farmtally_billing
say "== loading about $size MB into MariaDB ($db.invoice, InnoDB file size) and Redis (used_memory)"
t0=$(seconds)
sql <<SQL
SET SESSION sql_log_bin = 0;
CREATE DATABASE $db;
USE $db;
CREATE TABLE farm (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, region VARCHAR(16) NOT NULL);
INSERT INTO farm SELECT seq, CONCAT('farm-', seq), ELT(1 + seq % 5, 'north', 'south', 'east', 'west', 'central') FROM seq_1_to_1000;
CREATE TABLE invoice (
  id BIGINT PRIMARY KEY,
  farm_id INT NOT NULL,
  issued_at DATETIME NOT NULL,
  amount DECIMAL(12,2) NOT NULL,
  status VARCHAR(8) NOT NULL,
  reference CHAR(32) NOT NULL,
  note VARCHAR(255) NOT NULL,
  KEY farm_issued (farm_id, issued_at)
) ENGINE=InnoDB;
SQL
ibd="$tmp/my/data/$db/invoice.ibd"
target=$(( size * 1024 * 1024 ))
batch=$(( size >= 256 ? 500000 : 50000 ))
from=1
while [ "$(stat -c %s "$ibd")" -lt "$target" ]; do
  to=$(( from + batch - 1 ))
  sql "$db" -e "SET SESSION sql_log_bin = 0; INSERT INTO invoice SELECT seq, 1 + seq % 1000,
    '2024-01-01' + INTERVAL (seq * 7) SECOND, (seq * 7919 % 1000000) / 100,
    ELT(1 + seq % 4, 'open', 'paid', 'overdue', 'void'), MD5(seq),
    CONCAT('tally ', seq % 977, ' for ', MD5(seq * 31), ' ', REPEAT('x', seq % 40))
    FROM seq_${from}_to_${to};"
  from=$(( to + 1 ))
done
rows=$(( from - 1 ))
sql "$db" -e "ANALYZE TABLE invoice, farm" >/dev/null
# A server in its steady state, not just after a bulk load: dirty pages flushed, so the redo a
# physical backup copies is not the whole load's (bounded wait).
sql -e "SET GLOBAL innodb_max_dirty_pages_pct_lwm = 0.001; SET GLOBAL innodb_max_dirty_pages_pct = 0"
for i in $(seq 1 600); do
  [ "$(sql -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | cut -f2)" = 0 ] && break
  sleep 0.5
done
sql -e "SET GLOBAL innodb_max_dirty_pages_pct = 90; SET GLOBAL innodb_max_dirty_pages_pct_lwm = 0"
maria_mb=$(du -sm "$tmp/my/data/$db" | cut -f1)
t1=$(seconds)
say "   MariaDB: $rows invoice rows, $maria_mb MB on disk (du of the database directory), loaded in $(printf %.0f "$(echo "$t1 - $t0" | bc)") s"

# Lua fills a batch of keys in the server (no protocol to generate): a session string (JSON
# with a sha1 token) per i, a small tally hash every second i.
lua='local a, b = tonumber(ARGV[1]), tonumber(ARGV[2])
for i = a, b do
  local h = redis.sha1hex(tostring(i))
  redis.call("SET", "session:" .. i, "{\"user\":" .. i .. ",\"farm\":" .. (i % 1000) .. ",\"token\":\"" .. h .. "\",\"seen\":" .. (1700000000 + i * 3) .. "}")
  if i % 2 == 0 then
    redis.call("HSET", "tally:" .. i, "farm", i % 1000, "count", i % 977, "etag", string.sub(h, 1, 16), "note", "tally " .. (i % 977) .. " of farm " .. (i % 1000))
  end
end
return b'
used() { rcli INFO memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p'; }
t0=$(seconds)
from=1
rbatch=$(( size >= 256 ? 200000 : 20000 ))
while [ "$(used)" -lt "$target" ]; do
  rcli EVAL "$lua" 0 "$from" "$(( from + rbatch - 1 ))" >/dev/null
  from=$(( from + rbatch ))
done
t1=$(seconds)
redis_keys=$(rcli DBSIZE)
redis_mb=$(( $(used) / 1024 / 1024 ))
say "   Redis: $redis_keys keys, used_memory $redis_mb MB, loaded in $(printf %.0f "$(echo "$t1 - $t0" | bc)") s"

# ---------------------------------------------------------------- Lifeboat's config and worker
config="$tmp/lifeboat.yml"
python3 - "$base_config" "$config" <<PY
import os, sys, yaml
src, dst = sys.argv[1], sys.argv[2]
c = yaml.safe_load(open(src))
here = os.path.dirname(src)
def absolute(p):
    return p if os.path.isabs(p) else os.path.normpath(os.path.join(here, p))
c["estate"] = "bench-$run"
t = c["temporal"]
t["taskQueue"] = "$queue"
pe = t.get("payloadEncryption")
if pe and pe.get("keysetFile"):
    pe["keysetFile"] = absolute(pe["keysetFile"])
    pe["codecServerPort"] = 0          # the stack's worker owns the codec port
r = c["repository"]
r["prefix"] = "$prefix"
r["localCopyDir"] = "$tmp/local-copies"
enc = r.get("encryption")
if enc and enc.get("keyFile"):
    enc["keyFile"] = absolute(enc["keyFile"])
c["metrics"] = dict(c.get("metrics") or {}, port=int("$(free_port)"))
# The stack's own app, /etc files, offsite copy, recovery targets and other engines' sources are
# not this bench's.
for k in ("applications", "configuration", "offsite", "servers", "opensearch", "files"):
    c.pop(k, None)
if isinstance(c.get("drills"), dict):
    c["drills"].pop("serverTarget", None)
c["mariadb"] = [{"name": "billing", "address": "127.0.0.1", "port": $mport, "user": "lifeboat",
                 "passwordEnv": "LIFEBOAT_BENCH_MARIADB_PW", "databases": ["$db"],
                 "dataDir": "$tmp/my/data", "defaultsFile": "$tmp/my/my.cnf"}]
c["redis"] = [{"name": "cache", "address": "127.0.0.1", "port": $rport,
               "passwordEnv": "LIFEBOAT_BENCH_REDIS_PW", "dataDir": "$tmp/redis"}]
yaml.safe_dump(c, open(dst, "w"), sort_keys=False)
PY
keys=$(python3 -c 'import sys, yaml; c = yaml.safe_load(open(sys.argv[1]))
print(c["temporal"]["payloadEncryption"]["keysetFile"], c["repository"]["encryption"]["keyFile"])' "$config" 2>/dev/null) \
  || { echo "bench/engines.sh: $base_config names no payload key or no repository key" >&2; exit 2; }
for k in $keys; do
  [ -r "$k" ] || { echo "bench/engines.sh: no key $k: run ./lifeboat up, or point LIFEBOAT_CONFIG at the running stack's config" >&2; exit 2; }
done
check=$(cli config check --config "$config" 2>&1) \
  || { echo "bench/engines.sh: the derived config does not pass 'lifeboat config check': $check" >&2; exit 1; }
say "config: derived from $base_config (passes lifeboat config check; repository key and payload key on)"

# Its scratch files (the RDB, mariadb-backup's copy, the scratch servers) under the temp dir too,
# so nothing is left behind when the run ends early.
mkdir -p "$tmp/w" && chmod 755 "$tmp/w"
LIFEBOAT_LOG_LEVEL=INFO java -Dlifeboat.home="$ROOT" -Djava.io.tmpdir="$tmp/w" -cp "$CP" io.lifeboat.worker.WorkerMain \
  --config "$config" > "$tmp/worker.log" 2>&1 &
worker_pid=$!
for i in $(seq 1 480); do
  grep -qs 'Worker started' "$tmp/worker.log" && break
  kill -0 "$worker_pid" 2>/dev/null || { echo "bench/engines.sh: the worker exited: $(tail -3 "$tmp/worker.log")" >&2; exit 1; }
  sleep 0.5
done
grep -q 'Worker started' "$tmp/worker.log" || { echo "bench/engines.sh: the worker did not start" >&2; exit 1; }

# ---------------------------------------------------------------- the runs
declare -A secs sizes
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }
timed() { # name command...: runs, records seconds
  local name=$1 t0 t1; shift
  sync
  local rc=0
  t0=$(seconds); "$@" || rc=$?; t1=$(seconds)
  secs[$name]=$(echo "$t1 - $t0" | bc)
  return "$rc"
}
ours() { # name json-file args...
  local name=$1 json=$2; shift 2
  timed "$name" cli "$@" --wait --json --config "$config" > "$json" \
    || { cp "$tmp/worker.log" "$out/engines-$stamp-worker.log" 2>/dev/null
         echo "bench/engines.sh: lifeboat $* failed (worker log: $out/engines-$stamp-worker.log)" >&2; exit 1; }
  sizes[$name]=$(mb "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifest"]["storedBytes"])' "$json")")
}
# Manifest's startedAt..finishedAt: the tool's stream into the repository alone.
stream_secs() {
  python3 - "$1" <<'PY'
import json, sys
from datetime import datetime
m = json.load(open(sys.argv[1]))["manifest"]
f = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
print(f"{f(m['finishedAt']) - f(m['startedAt']):.1f}")
PY
}
export MYSQL_PWD=$LIFEBOAT_BENCH_MARIADB_PW
myargs=(--no-defaults --protocol=TCP -h 127.0.0.1 -P "$mport" -u lifeboat)
row() { # label plain-name ours-name ours-json: one line of the table, as soon as both ran
  local st; st=$(stream_secs "$4")
  awk -v l="$1" -v p="${secs[$2]}" -v ps="${sizes[$2]}" -v o="${secs[$3]}" -v os="${sizes[$3]}" -v st="$st" \
    'BEGIN { printf "%-32s %8.1f s %11s %8.1f s %11s %9.1f s %7.2f\n", l, p, ps, o, os, st, o / p }' >> "$rows"
  tail -1 "$rows"
}
rows="$tmp/rows.txt"
printf '%-32s %10s %11s %10s %11s %11s %7s\n' "plain tool vs ours" plain plain_size ours stored ours_stream ratio > "$rows"

say "== mariadb-dump | gzip, then lifeboat backup mariadb billing --wait"
plain_dump() { mariadb-dump "${myargs[@]}" --single-transaction --routines --events --triggers \
  --hex-blob --master-data=2 --databases "$db" | gzip > "$tmp/plain/dump.sql.gz"; }
timed plain_dump plain_dump
sizes[plain_dump]=$(mb "$(stat -c %s "$tmp/plain/dump.sql.gz")")
rm -f "$tmp/plain/dump.sql.gz"
ours ours_dump "$tmp/ours-dump.json" backup mariadb billing
row "mariadb-dump | gzip" plain_dump ours_dump "$tmp/ours-dump.json"

say "== redis-cli --rdb && gzip, then lifeboat backup redis cache --wait"
plain_rdb() { rcli --rdb "$tmp/plain/dump.rdb" >/dev/null 2>&1 && gzip "$tmp/plain/dump.rdb"; }
timed plain_rdb plain_rdb
sizes[plain_rdb]=$(mb "$(stat -c %s "$tmp/plain/dump.rdb.gz")")
rm -f "$tmp/plain/dump.rdb.gz"
ours ours_rdb "$tmp/ours-rdb.json" backup redis cache
row "redis-cli --rdb + gzip" plain_rdb ours_rdb "$tmp/ours-rdb.json"

say "== mariadb-backup --stream=xbstream | gzip, mariadb-backup --target-dir, then lifeboat backup mariadb billing --physical --wait"
plain_xb() { mariadb-backup "${myargs[@]}" --backup --stream=xbstream \
  --target-dir="$tmp/plain/xbtmp" --tmpdir="$tmp/plain" 2> "$tmp/plain/xb.log" | gzip > "$tmp/plain/backup.xb.gz"; }
timed plain_xb plain_xb
grep -q 'completed OK' "$tmp/plain/xb.log" || { echo "bench/engines.sh: mariadb-backup failed: $(tail -2 "$tmp/plain/xb.log")" >&2; exit 1; }
sizes[plain_xb]=$(mb "$(stat -c %s "$tmp/plain/backup.xb.gz")")
rm -rf "$tmp/plain/backup.xb.gz" "$tmp/plain/xbtmp"
plain_dir() { mariadb-backup "${myargs[@]}" --backup \
  --target-dir="$tmp/plain/xbdir" 2> "$tmp/plain/xbdir.log"; }
timed plain_dir plain_dir
sizes[plain_dir]="$(du -sm "$tmp/plain/xbdir" | cut -f1).0 MB"
rm -rf "$tmp/plain/xbdir"
ours ours_xb "$tmp/ours-xb.json" backup mariadb billing --physical
row "mariadb-backup xbstream | gzip" plain_xb ours_xb "$tmp/ours-xb.json"
row "mariadb-backup --target-dir" plain_dir ours_xb "$tmp/ours-xb.json"

say "load after: $(uptime | sed 's/.*load average: //')"
say ""
cat "$rows" >> "$report"
cat "$rows"
say ""
say "(ratio = ours / plain; ours: CLI start to committed manifest, verification by a scratch-server"
say " restore included; ours_stream: the manifest's startedAt..finishedAt, the tool's stream into S3 alone)"
for j in ours-dump ours-rdb ours-xb; do
  say "$j verified: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifest"]["verification"])' "$tmp/$j.json")"
done
say "report: $report"
