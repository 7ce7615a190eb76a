#!/usr/bin/env bash
# The local stack with real processes: ./lifeboat up / up again / status / down, a port held
# by a foreign process, a malformed config. The ports are fixed, so this runs only when the
# stack is down at its start (`./lifeboat test` calls it before its own `up`); it leaves the
# stack down. Prints `ok - NAME` / `not ok - NAME` and `N passed, M failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
LB="$ROOT/lifeboat"
STATE="$ROOT/.lifeboat"
TMP=$(mktemp -d)
passed=0 failed=0 FOREIGN_PID=""

ok() { printf 'ok - %s\n' "$1"; passed=$((passed + 1)); }
not_ok() {
  printf 'not ok - %s\n' "$1"; failed=$((failed + 1))
  [ -z "${2:-}" ] || printf '%s\n' "$2" | tail -n 15 | sed 's/^/#   /'
}
check() { # name command...: ok when the command succeeds
  local name=$1; shift
  if "$@" >"$TMP/check.out" 2>&1; then ok "$name"; else not_ok "$name" "$(cat "$TMP/check.out")"; fi
}
cleanup() {
  [ -z "$FOREIGN_PID" ] || { kill "$FOREIGN_PID" 2>/dev/null; wait "$FOREIGN_PID" 2>/dev/null; }
  "$LB" down >/dev/null 2>&1 </dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

listening() { # port: some socket LISTENs on it
  awk -v p="$(printf ':%04X' "$1")" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
our_processes() { # prints "pid argv" of any temporal/java/postgres process that lives off .lifeboat
  local d a=() c
  for d in /proc/[0-9]*; do
    [ -r "$d/cmdline" ] || continue
    mapfile -d '' -t a <"$d/cmdline" 2>/dev/null || continue
    [ ${#a[@]} -gt 0 ] || continue
    case ${a[0]##*/} in temporal*|java*|postgres|postmaster|mariadbd) ;; *) continue ;; esac
    c="${a[*]}"
    [[ $c == *"$STATE/"* || $c == *"-Dlifeboat.home=$ROOT "* ]] && printf '%s %s\n' "${d#/proc/}" "$c"
  done
}
pid_files() { local f; for f in "$STATE"/run/*.pid; do [ -f "$f" ] && printf '%s=%s\n' "${f##*/}" "$(cat "$f")"; done; }
lines() { sed '/^[[:space:]]*$/d' "$1" | wc -l; }

# The stack's addresses, from the config via the CLI (defaults if that fails)
S3_ENDPOINT=http://127.0.0.1:9000 S3_BUCKET=farmtally-backups S3_REGION=us-east-1
S3_ACCESS_KEY=${LIFEBOAT_S3_ACCESS_KEY:-lifeboat-local} S3_SECRET_KEY=${LIFEBOAT_S3_SECRET_KEY:-lifeboat-local-secret}
PG_HOST=127.0.0.1 PG_PORT=55432 PG_USER=lifeboat PG_DATABASE=farmtally_production
TEMPORAL_ADDRESS=127.0.0.1:7233 TEMPORAL_NAMESPACE=default METRICS_PORT=9464 WEB_UI=http://localhost:8233
OFFSITE_ENDPOINT="" OFFSITE_BUCKET="" OFFSITE_ACCESS_KEY="" OFFSITE_SECRET_KEY=""
if env_out=$("$LB" config stack-env 2>/dev/null </dev/null); then
  while IFS='=' read -r k v; do
    case $k in
      S3_ENDPOINT|S3_BUCKET|S3_REGION|S3_ACCESS_KEY|S3_SECRET_KEY|PG_HOST|PG_PORT|PG_USER|PG_DATABASE|\
      TEMPORAL_ADDRESS|TEMPORAL_NAMESPACE|METRICS_PORT|WEB_UI|\
      OFFSITE_ENDPOINT|OFFSITE_BUCKET|OFFSITE_ACCESS_KEY|OFFSITE_SECRET_KEY) printf -v "$k" '%s' "$v" ;;
    esac
  done <<<"$env_out"
fi
S3_PORT=${S3_ENDPOINT##*:}; S3_PORT=${S3_PORT%%/*}
T_PORT=${TEMPORAL_ADDRESS##*:}
UI_PORT=${WEB_UI##*:}; UI_PORT=${UI_PORT%%/*}
PORTS=("$T_PORT" "$UI_PORT" "$S3_PORT" "$PG_PORT" 14000 8055)   # + pebble, pebble-challtestsrv
# The offsite copy's endpoint (issue #8), when the config has one: a second s3proxy
PARTS_UP=7   # 4 parts, the app, pebble, pebble-challtestsrv
if [ -n "$OFFSITE_ENDPOINT" ]; then
  OFFSITE_PORT=${OFFSITE_ENDPOINT##*:}; OFFSITE_PORT=${OFFSITE_PORT%%/*}
  PORTS+=("$OFFSITE_PORT")
  PARTS_UP=8
fi
# The MariaDB, Redis and OpenSearch the config declares on this machine (issue 19): up starts
# each, a second up says it is already running, down closes its ports.
ENGINE_LINES=$("$LB" config local-sources 2>/dev/null </dev/null) || ENGINE_LINES=""
ENGINES=0
while read -r kind _ _ port _; do
  [ -n "$kind" ] || continue
  ENGINES=$((ENGINES + 1)); PORTS+=("$port")
  [ "$kind" != opensearch ] || PORTS+=("$((port + 1))")
done <<<"$ENGINE_LINES"
PARTS_UP=$((PARTS_UP + ENGINES))
TEMPORAL="$STATE/bin/temporal"
AWS="$STATE/bin/aws"

# ---- precondition
busy=""
for p in "${PORTS[@]}" "$METRICS_PORT"; do listening "$p" && busy+=" $p"; done
if [ -n "$busy$(our_processes)" ]; then
  not_ok "the stack is down at the start (ports in use:${busy:- none}; run ./lifeboat down first)"
  printf '%s passed, %s failed\n' "$passed" "$failed"
  trap - EXIT; rm -rf "$TMP"
  exit 1
fi
ok "the stack is down at the start"

# ---- up
t0=$(date +%s)
if "$LB" up >"$TMP/up.out" 2>"$TMP/up.err" </dev/null; then
  ok "up exits 0 ($(( $(date +%s) - t0 )) s)"
else
  not_ok "up exits 0" "$(cat "$TMP/up.out" "$TMP/up.err")"
fi

temporal_serving() { "$TEMPORAL" operator cluster health --address "$TEMPORAL_ADDRESS" | grep -qx 'SERVING'; }
check "temporal: cluster health is SERVING" temporal_serving

attributes_listed() {
  local list sa
  list=$("$TEMPORAL" operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE") || return 1
  for sa in LifeboatDatabase LifeboatKind LifeboatOutcome LifeboatRtoStatus LifeboatWaitingStep; do
    grep -qw "$sa" <<<"$list" || { echo "missing $sa"; return 1; }
  done
}
check "temporal: the five Lifeboat search attributes are registered" attributes_listed

ui_200() { local c; c=$(curl -s -o /dev/null -m 10 -w '%{http_code}' "$WEB_UI"); echo "HTTP $c"; [ "$c" = 200 ]; }
check "temporal web UI $WEB_UI answers 200" ui_200

# Encryption on by default: both keys made by up (0600; the repository key group-readable by
# postgres when we are root), and the web UI decodes payloads through the worker's codec server.
keys_made() {
  local k="$STATE/keys"
  stat -c '%n %a %U:%G' "$k/repository.json" "$k/payload.json" || return 1
  [ "$(stat -c %a "$k/payload.json")" = 600 ] && [[ $(stat -c %a "$k/repository.json") =~ ^6[04]0$ ]]
}
check "keys: up made .lifeboat/keys/repository.json and payload.json, owner-only" keys_made
ui_codec() {
  curl -fsS -m 10 "$WEB_UI/api/v1/settings" | grep -o '"Codec":{"Endpoint":"[^"]*"' \
    | grep -q '"Endpoint":"http://127.0.0.1:8234"'
}
check "temporal web UI decodes through the codec endpoint http://127.0.0.1:8234" ui_codec
codec_cors() {
  curl -fsS -m 10 -D - -o /dev/null -X OPTIONS -H "Origin: $WEB_UI" \
    -H 'Access-Control-Request-Method: POST' http://127.0.0.1:8234/decode \
    | tr -d '\r' | grep -qi "^access-control-allow-origin: $WEB_UI\$"
}
check "worker: the codec server allows the web UI's origin" codec_cors

s3_ls() {
  AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY" AWS_DEFAULT_REGION="$S3_REGION" \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    "$AWS" --endpoint-url "$S3_ENDPOINT" s3 ls "s3://$S3_BUCKET"
}
check "s3: aws s3 ls s3://$S3_BUCKET works" s3_ls

offsite_ls() {
  AWS_ACCESS_KEY_ID="$OFFSITE_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$OFFSITE_SECRET_KEY" AWS_DEFAULT_REGION=us-east-1 \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    "$AWS" --endpoint-url "$OFFSITE_ENDPOINT" s3 ls "s3://$OFFSITE_BUCKET"
}
[ -z "$OFFSITE_ENDPOINT" ] || check "offsite: aws s3 ls s3://$OFFSITE_BUCKET works at $OFFSITE_ENDPOINT" offsite_ls

pg_users() {
  local n
  n=$(PGPASSWORD=${LIFEBOAT_PG_PASSWORD:-lifeboat-local} /usr/lib/postgresql/15/bin/psql -X -At \
        -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DATABASE" -c 'select count(*) from users') || return 1
  echo "users: $n"; [ "${n:-0}" -gt 0 ]
}
check "postgres: $PG_DATABASE has users (psql as $PG_USER over $PG_HOST:$PG_PORT)" pg_users

worker_up() {
  local pid; pid=$(cat "$STATE/run/worker.pid") || return 1
  kill -0 "$pid" && grep -q 'Worker started' "$STATE/logs/worker.log"
}
check "worker: running and logged \"Worker started\"" worker_up

app_health() { curl -fsS -m 5 "http://127.0.0.1:${LIFEBOAT_APP_PORT:-3300}/api/health"; }
check "app: the sample app answers /api/health under PM2" app_health
pm2_daemons() { # our PM2 daemon (its PM2_HOME is .lifeboat/pm2), if any
  local d c
  for d in /proc/[0-9]*; do
    c=$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null) || continue
    [[ $c == *"God Daemon ($STATE/pm2)"* ]] && printf '%s %s\n' "${d#/proc/}" "$c"
  done
  return 0
}

# ---- up again changes nothing
pid_files >"$TMP/pids.1"
if "$LB" up >"$TMP/up2.out" 2>"$TMP/up2.err" </dev/null; then
  ok "second up exits 0"
else
  not_ok "second up exits 0" "$(cat "$TMP/up2.out" "$TMP/up2.err")"
fi
pid_files >"$TMP/pids.2"
if [ -s "$TMP/pids.1" ] && diff -q "$TMP/pids.1" "$TMP/pids.2" >/dev/null; then
  ok "second up keeps the same pids ($(tr '\n' ' ' <"$TMP/pids.2"))"
else
  not_ok "second up keeps the same pids" "$(diff "$TMP/pids.1" "$TMP/pids.2")"
fi
# 4 parts, the app, the ACME server's two processes (pebble, pebble-challtestsrv), the offsite
# s3proxy, the engines
if [ "$(grep -c 'already running' "$TMP/up2.out")" -eq "$PARTS_UP" ]; then
  ok "second up says each of the $PARTS_UP parts (with the app and pebble) is already running"
else
  not_ok "second up says each of the $PARTS_UP parts (with the app and pebble) is already running" "$(cat "$TMP/up2.out")"
fi

check "status exits 0 with everything up" "$LB" status
engines_answer() {
  local rows; rows=$("$LB" status 2>&1 | grep -E '^(mariadb|redis|opensearch) ') || true
  printf '%s\n' "$rows"
  [ "$(grep -c ' running (pid [0-9]*) *yes$' <<<"$rows")" -eq "$ENGINES" ]
}
[ "$ENGINES" -eq 0 ] || check "status: each of the $ENGINES engines (mariadb/redis/opensearch) runs and answers" engines_answer

# ---- down
if "$LB" down >"$TMP/down.out" 2>&1 </dev/null; then ok "down exits 0"; else not_ok "down exits 0" "$(cat "$TMP/down.out")"; fi
left=$(our_processes)
if [ -z "$left" ]; then ok "after down no process of ours runs"; else not_ok "after down no process of ours runs" "$left"; fi
left=$(pm2_daemons)
if [ -z "$left" ]; then ok "after down no PM2 daemon of ours runs"; else not_ok "after down no PM2 daemon of ours runs" "$left"; fi
if [ -z "$(pid_files)" ]; then ok "after down no pid files are left"; else not_ok "after down no pid files are left" "$(pid_files)"; fi
open=""; for p in "${PORTS[@]}"; do listening "$p" && open+=" $p"; done
if [ -z "$open" ]; then ok "after down ports ${PORTS[*]} are closed"; else not_ok "after down ports ${PORTS[*]} are closed" "still listening:$open"; fi
if "$LB" down >"$TMP/down2.out" 2>&1 </dev/null; then ok "a second down exits 0"; else not_ok "a second down exits 0" "$(cat "$TMP/down2.out")"; fi
if "$LB" status >"$TMP/status.out" 2>&1 </dev/null; then not_ok "status exits non-zero with the stack down" "$(cat "$TMP/status.out")"
else ok "status exits non-zero with the stack down"; fi

# ---- a port held by a foreign process
python3 -m http.server "$S3_PORT" --bind 127.0.0.1 >"$TMP/foreign.log" 2>&1 </dev/null &
FOREIGN_PID=$!
for _ in $(seq 50); do listening "$S3_PORT" && break; sleep 0.1; done
rc=0; "$LB" up >"$TMP/up3.out" 2>"$TMP/up3.err" </dev/null || rc=$?
if [ "$rc" -ne 0 ] && [ "$(lines "$TMP/up3.err")" -eq 1 ] && grep -q "port $S3_PORT" "$TMP/up3.err"; then
  ok "up with port $S3_PORT taken fails with one line (exit $rc): $(cat "$TMP/up3.err")"
else
  not_ok "up with port $S3_PORT taken fails with one line" "exit $rc; stderr: $(cat "$TMP/up3.err")"
fi
if [ -z "$(our_processes)" ] && [ -z "$(pid_files)" ] && ! listening "$T_PORT"; then
  ok "up with port $S3_PORT taken starts nothing"
else
  not_ok "up with port $S3_PORT taken starts nothing" "$(our_processes; pid_files)"
fi
kill "$FOREIGN_PID" 2>/dev/null; wait "$FOREIGN_PID" 2>/dev/null; FOREIGN_PID=""

# ---- a malformed config
printf 'estate: farmtally\nrepository: {endpoint: [unclosed\n  bucket: x\n' >"$TMP/bad.yml"
rc=0; "$LB" up --config "$TMP/bad.yml" >"$TMP/up4.out" 2>"$TMP/up4.err" </dev/null || rc=$?
if [ "$rc" -ne 0 ] && [ "$(lines "$TMP/up4.err")" -eq 1 ]; then
  ok "up with a malformed config fails with one line (exit $rc): $(cat "$TMP/up4.err")"
else
  not_ok "up with a malformed config fails with one line" "exit $rc; stderr: $(cat "$TMP/up4.err")"
fi
if [ -z "$(our_processes)" ] && [ -z "$(pid_files)" ]; then
  ok "up with a malformed config starts nothing"
else
  not_ok "up with a malformed config starts nothing" "$(our_processes; pid_files)"
fi

printf '%s passed, %s failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
