#!/usr/bin/env bash
# Benchmark: `lifeboat backup files NAME --wait` (restic init if absent, restic backup through a
# workflow, restic check --read-data-subset=5%, forget --prune, manifest) against plain
# `restic backup` of the same tree into a repository of its own in the same bucket. With
# --engine borg: `borg create` through Lifeboat (with borg check --verify-data and prune) against
# plain `borg create` into a repository of its own beside it (both under bench/out).
#
#   ./lifeboat up && bench/files.sh [--engine restic|borg] [--files 2000] [--mb 200] [--keep]
#
# Starts its own worker (`lifeboat worker`, on a task queue of its own) so the restic password
# variable reaches it; stops it (by its pid) at the end. Prints both times and the ratio
# lifeboat/plain for the first (full) and the second (nothing changed) backup.
set -euo pipefail
cd "$(dirname "$0")/.."

nfiles=2000
mb=200
keep=0
engine=restic
while [ $# -gt 0 ]; do
  case "$1" in
    --engine) engine="$2"; shift 2 ;;
    --files) nfiles="$2"; shift 2 ;;
    --mb) mb="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "bench/files.sh: unknown argument $1 (use --engine restic|borg, --files N, --mb N, --keep)" >&2; exit 2 ;;
  esac
done
case "$engine" in restic|borg) ;; *) echo "bench/files.sh: --engine must be restic or borg, not $engine" >&2; exit 2 ;; esac
command -v "$engine" >/dev/null || { echo "bench/files.sh: $engine is not installed (./lifeboat up installs it)" >&2; exit 2; }

LIFEBOAT=${LIFEBOAT:-./lifeboat}
base_config=${LIFEBOAT_CONFIG:-examples/farmtally/lifeboat.yml}
export LIFEBOAT_S3_ACCESS_KEY=${LIFEBOAT_S3_ACCESS_KEY:-lifeboat-local}
export LIFEBOAT_S3_SECRET_KEY=${LIFEBOAT_S3_SECRET_KEY:-lifeboat-local-secret}
export LIFEBOAT_OFFSITE_ACCESS_KEY=${LIFEBOAT_OFFSITE_ACCESS_KEY:-lifeboat-offsite}
export LIFEBOAT_OFFSITE_SECRET_KEY=${LIFEBOAT_OFFSITE_SECRET_KEY:-lifeboat-offsite-secret}
export LIFEBOAT_BENCH_RESTIC_PASSWORD=bench-$RANDOM-$RANDOM

declare -A env
stack_env=$("$LIFEBOAT" config stack-env --config "$base_config") \
  || { echo "bench/files.sh: cannot read the stack's settings (is ./lifeboat up done?)" >&2; exit 2; }
while IFS='=' read -r k v; do env[$k]=$v; done <<<"$stack_env"

out=bench/out
mkdir -p "$out"
run=files-$(date +%s)
tree="$out/$run-tree"
prefix="bench-$run"
queue="bench-files-$$"
keys=$(cd "$(dirname "$base_config")" && cd "$(dirname "$(sed -n 's/^ *keyFile: *\([^ #]*\).*/\1/p' "$(basename "$base_config")" | head -1)")" 2>/dev/null && pwd)
config="$out/$run.yml"
cat > "$config" <<YAML
estate: bench-$run
temporal:
  address: "${env[TEMPORAL_ADDRESS]}"
  namespace: "${env[TEMPORAL_NAMESPACE]}"
  taskQueue: "$queue"
  webUi: "${env[WEB_UI]}"
  payloadEncryption: {keysetFile: "$keys/payload.json", codecServerPort: 0}
repository:
  endpoint: "${env[S3_ENDPOINT]}"
  bucket: "${env[S3_BUCKET]}"
  prefix: $prefix
  region: "${env[S3_REGION]}"
  accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
  secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
metrics: {port: $(( 20000 + RANDOM % 20000 ))}
databases:
  - {name: bench_unused, host: 127.0.0.1, port: 5432, user: bench}
files:
YAML
if [ "$engine" = borg ]; then
  cat >> "$config" <<YAML
  - {name: tree, paths: ["$(realpath -m "$tree")"], engine: borg,
     repositoryPath: "$(realpath -m "$out/$run-borg-lifeboat")",
     passwordEnv: LIFEBOAT_BENCH_RESTIC_PASSWORD, keep: {last: 10}}
YAML
else
  cat >> "$config" <<YAML
  - {name: tree, paths: ["$(realpath -m "$tree")"], engine: restic,
     passwordEnv: LIFEBOAT_BENCH_RESTIC_PASSWORD, keep: {last: 10}, checkReadDataPercent: 5}
YAML
fi

echo "making $nfiles files, $mb MB in $tree"
mkdir -p "$tree"
per=$(( mb * 1024 / nfiles ))   # KiB per file
for i in $(seq 1 "$nfiles"); do
  d="$tree/d$(( i % 50 ))"; mkdir -p "$d"
  head -c "$(( per * 1024 ))" /dev/urandom > "$d/f$i.bin"
done

"$LIFEBOAT" worker --config "$config" > "$out/$run-worker.log" 2>&1 &
worker=$!
cleanup() {
  kill "$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
  [ "$keep" = 1 ] || rm -rf "$tree" "$out/$run-borg-lifeboat" "$out/$run-borg-plain"
}
trap cleanup EXIT
sleep 5
kill -0 "$worker" 2>/dev/null \
  || { echo "bench/files.sh: the worker did not start: $(tail -1 "$out/$run-worker.log")" >&2; exit 1; }

seconds() { date +%s.%N; }
plain_env=(env RESTIC_PASSWORD="$LIFEBOAT_BENCH_RESTIC_PASSWORD"
  AWS_ACCESS_KEY_ID="$LIFEBOAT_S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$LIFEBOAT_S3_SECRET_KEY"
  RESTIC_REPOSITORY="s3:${env[S3_ENDPOINT]}/${env[S3_BUCKET]}/$prefix/plain")
borg_env=(env BORG_PASSPHRASE="$LIFEBOAT_BENCH_RESTIC_PASSWORD" BORG_REPO="$out/$run-borg-plain")
if [ "$engine" = borg ]; then
  "${borg_env[@]}" borg init --encryption=repokey "$out/$run-borg-plain" >/dev/null 2>&1 </dev/null
else
  "${plain_env[@]}" restic init >/dev/null
fi
plain() { # pass
  if [ "$engine" = borg ]; then
    "${borg_env[@]}" borg create --compression lz4 "$out/$run-borg-plain::$1" "$(realpath -m "$tree")" </dev/null
  else
    "${plain_env[@]}" restic backup -q "$tree" >/dev/null
  fi
}

result() { # label lifeboat_seconds plain_seconds
  awk -v l="$1" -v a="$2" -v b="$3" -v e="$engine" 'BEGIN { printf "%-22s lifeboat %7.2f s   %s %7.2f s   ratio %.2f\n", l, a, e, b, a / b }'
}
for pass in full unchanged; do
  t0=$(seconds); plain "$pass"; t1=$(seconds)
  "$LIFEBOAT" backup files tree --wait --json --config "$config" > "$out/$run-$pass.json"
  t2=$(seconds)
  result "$pass backup" "$(echo "$t2 - $t1" | bc)" "$(echo "$t1 - $t0" | bc)"
  # The engine's own step alone (its activity in the workflow: the tool plus the run's tag and
  # the generation lookup a retry needs), against the same plain run: the part of the total
  # that is not verification, retention, the CLI's start or the workflow around it.
  step=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join("%s=%.2f" % (s["step"], (s["finishedAtMillis"] - s["startedAtMillis"]) / 1000) for s in d["steps"]))' "$out/$run-$pass.json")
  result "  its backup step" "$(printf '%s\n' $step | sed -n 's/^backup=//p')" "$(echo "$t1 - $t0" | bc)"
  echo "  steps: $step"
done
if [ "$engine" = borg ]; then
  echo "(lifeboat includes init, borg check --verify-data, prune and compact, and the manifest; see $out/$run-*.json for its steps)"
else
  echo "(lifeboat includes init, check --read-data-subset=5%, forget and the manifest; see $out/$run-*.json for its steps)"
fi
echo "the repositories are under s3://${env[S3_BUCKET]}/$prefix/ (delete them when done)"
