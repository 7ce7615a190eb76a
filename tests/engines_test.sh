#!/usr/bin/env bash
# The local stack's optional engines (launcher/engines.bash, issue 19) with real daemons, on
# free ports picked now and a temporary state directory: never the stack's fixed ports or its
# .lifeboat, so this runs beside a running stack. What the config declares (through the CLI's
# `config local-sources`) is what starts: a MariaDB with the billing tables, a Redis with
# sessions and cache, an OpenSearch node with the tallies index; a second start changes nothing
# and loads nothing twice; status sees each answer; stop leaves no process and no open port;
# a restart keeps the data; a port held by another process and an OpenSearch node that cannot
# start fail with one line. A config without the sections starts nothing.
# Needs the build (starter-cli/target) and mariadb-server, redis-server; prints `ok - NAME` /
# `not ok - NAME` and `N passed, M failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
TMP=$(mktemp -d)
chmod 755 "$TMP"      # the mysql OS user runs mariadbd from under it
passed=0 failed=0 FOREIGN_PID=""

ok() { printf 'ok - %s\n' "$1"; passed=$((passed + 1)); }
not_ok() {
  printf 'not ok - %s\n' "$1"; failed=$((failed + 1))
  [ -z "${2:-}" ] || printf '%s\n' "$2" | tail -n 15 | sed 's/^/#   /'
}

for tool in mariadbd mariadb-install-db redis-server redis-cli java curl; do
  command -v "$tool" >/dev/null 2>&1 || { not_ok "$tool is installed (./lifeboat test installs it)"; printf '%s passed, %s failed\n' "$passed" "$failed"; exit 1; }
done
CP="$ROOT/starter-cli/target/lifeboat-cli.jar:$ROOT/starter-cli/target/lib/*"
[ -f "$ROOT/starter-cli/target/lifeboat-cli.jar" ] || { not_ok "the CLI is built (mvn package)"; printf '%s passed, %s failed\n' "$passed" "$failed"; exit 1; }

# The launcher's parts with the state directory moved into TMP, then one function.
eng() { # function args...: run in a subshell as the launcher would
  ( set -Eeuo pipefail
    # shellcheck source=launcher/common.bash
    . "$ROOT/launcher/common.bash"
    STATE="$TMP/state" RUN="$TMP/state/run" LOGS="$TMP/state/logs"
    LIFEBOAT_CLASSPATH=$CP
    # shellcheck source=launcher/build.bash
    . "$ROOT/launcher/build.bash"
    # shellcheck source=launcher/stack.bash
    . "$ROOT/launcher/stack.bash"
    # shellcheck source=launcher/engines.bash
    . "$ROOT/launcher/engines.bash"
    classpath
    mkdir -p "$RUN" "$LOGS"
    CONFIG=$TMP/lifeboat.yml
    "$@" )
}
up_engines() { load_local_sources; engines_port_check; start_engines; }

free_port() { # a free loopback port whose successor is free too (OpenSearch's transport)
  python3 - <<'EOF'
import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p + 1)); t.close(); s.close(); print(p); break
    except OSError:
        s.close(); t.close()
EOF
}
listening() {
  awk -v p="$(printf ':%04X' "$1")" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
MY_PORT=$(free_port); RD_PORT=$(free_port); OS_PORT=$(free_port)
export TEST_MARIADB_PASSWORD="maria-$$" TEST_REDIS_PASSWORD="redis-$$"

cleanup() {
  [ -z "$FOREIGN_PID" ] || { kill "$FOREIGN_PID" 2>/dev/null; wait "$FOREIGN_PID" 2>/dev/null; }
  eng stop_engines >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

base_config() {
  cat <<EOF
estate: enginetest
repository:
  endpoint: http://127.0.0.1:9
  bucket: engine-test
  accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
  secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
databases:
  - {name: farmtally_production, host: 127.0.0.1, port: 9, user: lifeboat}
EOF
}
engines_config() {
  base_config
  cat <<EOF
mariadb:
  - {name: billing, port: $MY_PORT, user: lifeboat, passwordEnv: TEST_MARIADB_PASSWORD, databases: [farmtally_billing]}
  - {name: elsewhere, host: db2, port: 3306, all: true}
redis:
  - {name: sessions, port: $RD_PORT, passwordEnv: TEST_REDIS_PASSWORD}
  - {name: remote, address: 10.1.2.3}
opensearch:
  - {name: search, url: "http://127.0.0.1:$OS_PORT", snapshotDir: state/opensearch-search/repo/lifeboat}
hosts:
  - {name: db2, address: 10.0.0.2}
EOF
}

# ---- what the config declares on this machine, one line each
engines_config >"$TMP/lifeboat.yml"
if out=$(java -cp "$CP" io.lifeboat.cli.LifeboatCli config local-sources --config "$TMP/lifeboat.yml" 2>&1); then
  expect="mariadb billing 127.0.0.1 $MY_PORT lifeboat TEST_MARIADB_PASSWORD farmtally_billing
redis sessions 127.0.0.1 $RD_PORT TEST_REDIS_PASSWORD
opensearch search 127.0.0.1 $OS_PORT $TMP/state/opensearch-search/repo/lifeboat"
  if [ "$out" = "$expect" ]; then ok "config local-sources: the three local sources, one line each (not db2's, not 10.1.2.3)"
  else not_ok "config local-sources: the three local sources, one line each" "got:
$out
expected:
$expect"; fi
else
  not_ok "config local-sources exits 0" "$out"
fi

# ---- up: all three start with their sample data
if eng up_engines >"$TMP/up.out" 2>&1; then ok "the engines start ($(grep -c started "$TMP/up.out") started)"
else not_ok "the engines start" "$(cat "$TMP/up.out")"; fi

my() { MYSQL_PWD=$TEST_MARIADB_PASSWORD mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$MY_PORT" -u lifeboat --batch --skip-column-names "$@"; }
rd() { REDISCLI_AUTH=$TEST_REDIS_PASSWORD redis-cli --no-auth-warning -h 127.0.0.1 -p "$RD_PORT" "$@"; }
osc() { curl -s -m 30 "http://127.0.0.1:$OS_PORT$1"; }
counts() {
  printf 'customers=%s invoices=%s payments=%s keys=%s sessions=%s tallies=%s\n' \
    "$(my -e 'select count(*) from farmtally_billing.customers' 2>&1)" \
    "$(my -e 'select count(*) from farmtally_billing.invoices' 2>&1)" \
    "$(my -e 'select count(*) from farmtally_billing.payments' 2>&1)" \
    "$(rd DBSIZE 2>&1)" "$(rd --scan --pattern 'session:*' 2>&1 | wc -l)" \
    "$(osc /tallies/_count | sed -n 's/.*"count":\([0-9]*\).*/\1/p')"
}
c1=$(counts)
if [[ $c1 == "customers=500 invoices=2000 payments=1400 keys=503 sessions=300 tallies=1000" ]]; then
  ok "sample data: MariaDB billing tables (as the config's user, its password), Redis sessions and cache, the tallies index: $c1"
else
  not_ok "sample data in all three" "$c1"
fi
if MYSQL_PWD=wrong mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$MY_PORT" -u lifeboat -e 'select 1' >/dev/null 2>&1; then
  not_ok "mariadb refuses a wrong password"
else ok "mariadb refuses a wrong password"; fi
if [ "$(redis-cli -h 127.0.0.1 -p "$RD_PORT" DBSIZE 2>&1)" = 503 ]; then not_ok "redis requires its password"
else ok "redis requires its password"; fi
if [ "$(id -u)" = 0 ]; then
  pid=$(cat "$TMP/state/run/mariadb-billing.pid" 2>/dev/null)
  u=$(ps -o user= -p "$pid" 2>/dev/null | tr -d ' ')
  if [ "$u" = mysql ]; then ok "mariadbd runs as the mysql OS user (we are root)"; else not_ok "mariadbd runs as the mysql OS user" "pid $pid user '$u'"; fi
fi

pids() { local f; for f in "$TMP"/state/run/*-*.pid; do [ -f "$f" ] && printf '%s=%s ' "${f##*/}" "$(cat "$f")"; done; }
p1=$(pids)

# ---- up again: the same processes, nothing loaded twice
if eng up_engines >"$TMP/up2.out" 2>&1 && [ "$(grep -c 'already running' "$TMP/up2.out")" = 3 ] \
    && ! grep -q 'created\|loaded' "$TMP/up2.out"; then
  ok "a second start says each of the 3 is already running and loads nothing"
else not_ok "a second start says each of the 3 is already running and loads nothing" "$(cat "$TMP/up2.out")"; fi
[ -n "$p1" ] && [ "$(pids)" = "$p1" ] && ok "a second start keeps the same pids ($p1)" || not_ok "a second start keeps the same pids" "$p1 / $(pids)"
[ "$(counts)" = "$c1" ] && ok "a second start leaves the data as it was" || not_ok "a second start leaves the data as it was" "$(counts)"

if eng status_engines >"$TMP/status.out" 2>&1 && [ "$(grep -c ' running (pid [0-9]*) *yes$' "$TMP/status.out")" = 3 ]; then
  ok "status: each of the 3 running and answering"
else not_ok "status: each of the 3 running and answering" "$(cat "$TMP/status.out")"; fi

# ---- stop: nothing of ours left
if eng stop_engines >"$TMP/down.out" 2>&1 && [ "$(grep -c 'stopped' "$TMP/down.out")" = 3 ]; then ok "stop stops the 3"
else not_ok "stop stops the 3" "$(cat "$TMP/down.out")"; fi
left=""
for p in $p1; do p=${p#*=}; kill -0 "$p" 2>/dev/null && left+=" $p"; done
for p in "$MY_PORT" "$RD_PORT" "$OS_PORT" $((OS_PORT + 1)); do listening "$p" && left+=" port:$p"; done
[ -z "$left" ] && ok "after stop no engine process runs and their ports are closed" || not_ok "after stop nothing is left" "$left"
[ -z "$(pids)" ] && [ ! -f "$TMP/state/run/engines.list" ] && ok "after stop no pid files and no engines list" || not_ok "after stop no pid files" "$(pids)"
if eng status_engines >"$TMP/status2.out" 2>&1 && [ ! -s "$TMP/status2.out" ]; then ok "status after stop lists no engine"
else not_ok "status after stop lists no engine" "$(cat "$TMP/status2.out")"; fi

# ---- a restart keeps the data and loads nothing again
# (not inside `if`: bash ignores set -e in a condition, and a failing step would pass unseen)
eng up_engines >"$TMP/up3.out" 2>&1; rc=$?
if [ "$rc" = 0 ] && ! grep -q 'created\|loaded' "$TMP/up3.out" && [ "$(counts)" = "$c1" ]; then
  ok "a restart keeps the data and loads nothing again"
else not_ok "a restart keeps the data and loads nothing again" "exit $rc; $(cat "$TMP/up3.out"; counts)"; fi
eng stop_engines >/dev/null 2>&1

# ---- a port held by another process: one line, exit 4, nothing started
python3 -m http.server "$RD_PORT" --bind 127.0.0.1 >/dev/null 2>&1 </dev/null &
FOREIGN_PID=$!
for _ in $(seq 50); do listening "$RD_PORT" && break; sleep 0.1; done
rc=0; eng up_engines >"$TMP/up4.out" 2>"$TMP/up4.err" || rc=$?
if [ "$rc" = 4 ] && [ "$(wc -l <"$TMP/up4.err")" = 1 ] && grep -q "port $RD_PORT (redis sessions)" "$TMP/up4.err" && [ -z "$(pids)" ]; then
  ok "a taken port fails with one line (exit 4) and starts nothing: $(cat "$TMP/up4.err")"
else not_ok "a taken port fails with one line (exit 4) and starts nothing" "exit $rc; $(cat "$TMP/up4.err"); $(pids)"; fi
kill "$FOREIGN_PID" 2>/dev/null; wait "$FOREIGN_PID" 2>/dev/null; FOREIGN_PID=""

# ---- an OpenSearch node that cannot start: one line, bounded, nothing left running
{ base_config; printf 'opensearch:\n  - {name: broken, url: "http://127.0.0.1:%s", snapshotDir: state/os-broken/repo/lifeboat}\n' "$OS_PORT"; } >"$TMP/lifeboat.yml"
rc=0; LIFEBOAT_OPENSEARCH_HEAP=1k LIFEBOAT_OPENSEARCH_START_SECONDS=60 eng up_engines >"$TMP/up5.out" 2>"$TMP/up5.err" || rc=$?
if [ "$rc" = 1 ] && [ "$(wc -l <"$TMP/up5.err")" = 1 ] && grep -q '^lifeboat: opensearch broken exited while starting' "$TMP/up5.err" && [ -z "$(pids)" ]; then
  ok "an OpenSearch node that cannot start fails with one line: $(cat "$TMP/up5.err")"
else not_ok "an OpenSearch node that cannot start fails with one line" "exit $rc; $(cat "$TMP/up5.err"); $(pids)"; fi

# ---- a config without the sections starts nothing
base_config >"$TMP/lifeboat.yml"
if eng up_engines >"$TMP/up6.out" 2>&1 && [ ! -s "$TMP/up6.out" ] && [ -z "$(pids)" ]; then ok "a config without mariadb/redis/opensearch starts no daemon"
else not_ok "a config without mariadb/redis/opensearch starts no daemon" "$(cat "$TMP/up6.out"; pids)"; fi

printf '%s passed, %s failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
