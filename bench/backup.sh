#!/usr/bin/env bash
# Benchmark: `lifeboat backup db NAME --wait` (pg_dump -Z0 | zstd on several cores | sha256 |
# S3 multipart, then read back, checksummed and pg_restore --list'ed) against plain
# `pg_dump -Fc` to a local file, on the same database in the same run.
#
#   ./lifeboat up && bench/backup.sh [--scale 130] [--keep] [--no-restore]
#
# Then the restore of the md5 database: `pg_restore -j2` of pg_dump's file into a new
# database against `lifeboat recover db bench_md5 --latest --wait` (skipped with --no-restore).
# Every timed run starts once the stack's archive has caught up (bench/lib/archive.sh).
#
# Two databases: pgbench as it comes (its filler is blanks: compresses ~50x) and the same with
# pgbench_accounts.filler holding md5 text (~6x, closer to real data). Prints the ratio
# ours/plain for each; results go in docs/benchmarks.md. Ours runs as the default stack does:
# client-side encryption and the payload codec on (the stack's own keys).
set -euo pipefail
cd "$(dirname "$0")/.."

scale=130
keep=0
restore=1
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-restore) restore=0; shift ;;
    *) echo "bench/backup.sh: unknown argument $1 (use --scale N, --keep, --no-restore)" >&2; exit 2 ;;
  esac
done

LIFEBOAT=${LIFEBOAT:-./lifeboat}
base_config=${LIFEBOAT_CONFIG:-examples/farmtally/lifeboat.yml}
export LIFEBOAT_S3_ACCESS_KEY=${LIFEBOAT_S3_ACCESS_KEY:-lifeboat-local}
export LIFEBOAT_S3_SECRET_KEY=${LIFEBOAT_S3_SECRET_KEY:-lifeboat-local-secret}
export LIFEBOAT_PG_PASSWORD=${LIFEBOAT_PG_PASSWORD:-lifeboat-local}
PGBIN=${LIFEBOAT_PG_BIN:-/usr/lib/postgresql/15/bin}

declare -A env
while IFS='=' read -r k v; do env[$k]=$v; done < <("$LIFEBOAT" config stack-env --config "$base_config")
export PGHOST=${env[PG_HOST]} PGPORT=${env[PG_PORT]} PGUSER=${env[PG_USER]} PGPASSWORD=$LIFEBOAT_PG_PASSWORD

out=bench/out
mkdir -p "$out"
config="$out/bench.yml"
# The default stack's settings, derived from its config by `lifeboat config stack-env`:
# client-side encryption of every object (the repository key) and the payload codec (the
# stack's namespace holds encrypted payloads, which a CLI without the key cannot read), and a
# retention at least the base config's (a shorter one fails the checks' validation: 7 daily).
key_line() { # repository.encryption / temporal.payloadEncryption as the base config has them
  local file=$1 envvar=$2 fkey=$3 ekey=$4
  if [ -n "$file" ]; then printf '%s: "%s"' "$fkey" "$file"
  elif [ -n "$envvar" ]; then printf '%s: %s' "$ekey" "$envvar"; fi
}
repo_key=$(key_line "${env[REPOSITORY_KEY_FILE]:-}" "${env[REPOSITORY_KEY_ENV]:-}" keyFile keyEnv)
payload_key=$(key_line "${env[PAYLOAD_KEYSET_FILE]:-}" "${env[PAYLOAD_KEYSET_ENV]:-}" keysetFile keysetEnv)
[ -z "${env[REPOSITORY_KEY_FILE]:-}" ] || [ -f "${env[REPOSITORY_KEY_FILE]}" ] \
  || { echo "bench/backup.sh: no repository key ${env[REPOSITORY_KEY_FILE]}: run ./lifeboat up first" >&2; exit 2; }
[ -z "${env[PAYLOAD_KEYSET_FILE]:-}" ] || [ -f "${env[PAYLOAD_KEYSET_FILE]}" ] \
  || { echo "bench/backup.sh: no payload key ${env[PAYLOAD_KEYSET_FILE]}: run ./lifeboat up first" >&2; exit 2; }
payload_line=${payload_key:+"  payloadEncryption: {$payload_key, codecServerPort: 0}"}
repo_line=${repo_key:+"  encryption: {$repo_key}"}
retention_days=${env[RETENTION_FULL_DAYS]:-30}
[ "$retention_days" -ge 30 ] || retention_days=30
cat > "$config" <<YAML
estate: bench
temporal:
  address: "${env[TEMPORAL_ADDRESS]}"
  namespace: "${env[TEMPORAL_NAMESPACE]}"
  taskQueue: "${env[TASK_QUEUE]}"
  webUi: "${env[WEB_UI]}"
$payload_line
repository:
$repo_line
  endpoint: "${env[S3_ENDPOINT]}"
  bucket: "${env[S3_BUCKET]}"
  prefix: bench
  region: "${env[S3_REGION]}"
  accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
  secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
  partSizeMb: 32
databases:
  - {name: bench_pgbench, host: "$PGHOST", port: $PGPORT, user: "$PGUSER", passwordEnv: LIFEBOAT_PG_PASSWORD}
  - {name: bench_md5, host: "$PGHOST", port: $PGPORT, user: "$PGUSER", passwordEnv: LIFEBOAT_PG_PASSWORD}
retention: {fullDays: $retention_days}
compression: {level: 3, workers: 2}
YAML
"$LIFEBOAT" config check --config "$config" >/dev/null \
  || { echo "bench/backup.sh: the derived $config does not validate (above)" >&2; exit 2; }

prepare() {
  local db=$1 md5=$2
  # The table comment is written last, so a half-prepared database is never taken as ready.
  local want="lifeboat bench scale $scale${md5:+ md5}"
  if [ "$("$PGBIN/psql" -XtAc "select 1 from pg_database where datname='$db'" postgres)" = 1 ] &&
     [ "$("$PGBIN/psql" -XtAc "select obj_description('pgbench_accounts'::regclass)" "$db" 2>/dev/null)" = "$want" ]; then
    echo "== $db exists at scale $scale"
    return
  fi
  echo "== creating $db (pgbench -i -s $scale${md5:+, filler = md5 text})"
  "$PGBIN/dropdb" --if-exists "$db"
  "$PGBIN/createdb" "$db"
  "$PGBIN/pgbench" -q -i -s "$scale" "$db" 2>&1 | tail -1
  if [ -n "$md5" ]; then
    "$PGBIN/psql" -Xq -v ON_ERROR_STOP=1 "$db" <<'SQL'
create table accounts_md5 as
  select aid, bid, abalance,
         rpad(md5(aid::text) || md5((aid::bigint * 7919)::text), 84) :: char(84) as filler
  from pgbench_accounts;
drop table pgbench_accounts;
alter table accounts_md5 rename to pgbench_accounts;
alter table pgbench_accounts add primary key (aid);
vacuum analyze pgbench_accounts;
SQL
  fi
  "$PGBIN/psql" -Xq -c "comment on table pgbench_accounts is '$want'" "$db"
}

seconds() { date +%s.%N; }
. "$(dirname "$0")/lib/archive.sh"


report=$out/backup-$(date -u +%Y%m%dT%H%M%SZ).txt
{
  echo "# bench/backup.sh --scale $scale on $(nproc) cores, $(date -u +%FT%TZ)"
  printf '%-14s %10s %12s %12s %12s %12s %8s\n' database db_size plain_s plain_size ours_s ours_size ratio
} > "$report"

for spec in "bench_pgbench:" "bench_md5:md5"; do
  db=${spec%%:*}; md5=${spec#*:}
  prepare "$db" "$md5"
  archive_settle bench/backup.sh
  size=$("$PGBIN/psql" -XtAc "select pg_size_pretty(pg_database_size('$db'))" postgres)
  sync
  rm -f "$out/$db.pgc"
  t0=$(seconds); "$PGBIN/pg_dump" -Fc -f "$out/$db.pgc" "$db"; t1=$(seconds)
  plain=$(echo "$t1 - $t0" | bc); plain_size=$(du -h "$out/$db.pgc" | cut -f1)
  t0=$(seconds); "$LIFEBOAT" backup db "$db" --wait --config "$config" | tee "$out/$db.lifeboat.txt"; t1=$(seconds)
  ours=$(echo "$t1 - $t0" | bc)
  ours_size=$(grep -E '^  size ' "$out/$db.lifeboat.txt" | grep -oE '[0-9.]+ [KMGT]?i?B stored' | cut -d' ' -f1-2 || true)
  ratio=$(echo "scale=2; $ours / $plain" | bc)
  printf '%-14s %10s %12.1f %12s %12.1f %12s %8s\n' "$db" "$size" "$plain" "$plain_size" "$ours" "$ours_size" "$ratio" >> "$report"
  [ "$db" = bench_md5 ] && [ "$restore" = 1 ] || rm -f "$out/$db.pgc"
done

if [ "$restore" = 1 ]; then
  # The restore of the md5 database: `pg_restore -j2` of pg_dump's own file into a new
  # database against `lifeboat recover db NAME --latest --wait` (the dump just taken: download,
  # decrypt, zstd, pg_restore into a scratch database, check, swap; the CLI's JVM included).
  # Both write about 2 GB of WAL that the stack's shipper then archives: each starts settled.
  archive_settle bench/backup.sh
  "$PGBIN/dropdb" --if-exists bench_restore_plain
  "$PGBIN/createdb" bench_restore_plain
  t0=$(seconds); "$PGBIN/pg_restore" -j2 -d bench_restore_plain "$out/bench_md5.pgc"; t1=$(seconds)
  plain=$(echo "$t1 - $t0" | bc)
  "$PGBIN/dropdb" bench_restore_plain
  rm -f "$out/bench_md5.pgc"
  archive_settle bench/backup.sh
  t0=$(seconds)
  "$LIFEBOAT" recover db bench_md5 --latest --wait --config "$config" > "$out/bench_md5.recover.txt"
  t1=$(seconds)
  ours=$(echo "$t1 - $t0" | bc)
  grep -E '^recovered|^    restore ' "$out/bench_md5.recover.txt" || true
  # the replaced copy the recovery keeps (2 GB): not needed here
  for kept in $("$PGBIN/psql" -XtAc "select datname from pg_database where datname like 'bench\_md5\_replaced\_%'" postgres); do
    "$PGBIN/dropdb" "$kept"
  done
  printf '%-14s %10s %12.1f %12s %12.1f %12s %8s\n' "restore md5" "" "$plain" "-j2" "$ours" "recover" \
    "$(echo "scale=2; $ours / $plain" | bc)" >> "$report"
fi

echo
cat "$report"
echo "(ratio = ours / plain; ours includes upload to S3, read-back sha256 and pg_restore --list;"
echo " restore: pg_restore -j2 of pg_dump's file against recover db --latest --wait)"
if [ "$keep" = 0 ]; then
  for db in bench_pgbench bench_md5; do "$PGBIN/dropdb" --if-exists "$db"; done
fi
