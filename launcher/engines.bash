# Sourced by ../lifeboat after stack.bash: the local stack's optional engines beside PostgreSQL
# (issue 19): a MariaDB, a Redis and an OpenSearch node, each started only when the config
# declares that source on this machine (`lifeboat config local-sources`, one line per source).
# apt starts no service here: each daemon runs from its own directory under .lifeboat with its
# own port (the example config's are 55436, 55437 and 55440 (+1 transport), inside the
# launcher's reserved range), is loaded once with FarmTally-shaped sample data, and is stopped
# by `down` through the pid file `up` wrote, verified against its command line. Every function
# takes its addresses as arguments and its directories from ENGINES_DIR, so tests/engines_test.sh
# runs them on free ports in a temporary directory, never on the stack's.

ENGINES_DIR=${ENGINES_DIR:-$STATE}                 # <dir>/mariadb-NAME, redis-NAME, opensearch-NAME
ENGINES_LIST="$RUN/engines.list"                    # what the last up started: down and status read it
MARIADB_SAMPLE_SQL="$ROOT/examples/farmtally/mariadb-sample.sql"
OPENSEARCH_NODE_POM="$ROOT/e2e/src/test/resources/opensearch-node/pom.xml"
OPENSEARCH_MAIN="$ROOT/e2e/src/test/resources/opensearch-node/OpenSearchMain.java"
OPENSEARCH_HEAP=${LIFEBOAT_OPENSEARCH_HEAP:-512m}
OPENSEARCH_START_SECONDS=${LIFEBOAT_OPENSEARCH_START_SECONDS:-180}

# `config local-sources` → lines "KIND NAME ADDRESS PORT ..." (see ConfigCommand.LocalSources)
load_local_sources() {
  local out rc=0 errf
  errf=$(mktemp)
  out=$(cli config local-sources --config "$CONFIG" 2>"$errf") || rc=$?
  if [ "$rc" -ne 0 ]; then
    local err; err=$(sed '/^[[:space:]]*$/d' "$errf" | head -n 1); rm -f "$errf"
    die 2 "${err#lifeboat: }"
  fi
  rm -f "$errf"
  LOCAL_SOURCES=$out
}

engine_part() { printf '%s-%s' "$1" "$2"; }          # kind name → part id (pid file name)
engine_dir() { printf '%s/%s-%s' "$ENGINES_DIR" "$1" "$2"; }

engine_is_ours() { # part pid: the process runs from this engine's directory
  read_cmdline "$2" || return 1
  local dir="$ENGINES_DIR/$1"
  case $1 in
    mariadb-*)    [[ $PROC_ARGV0 == mariadbd* && $PROC_CMD == *"--defaults-file=$dir/my.cnf"* ]] ;;
    redis-*)      [[ $PROC_ARGV0 == redis-server* && -f "$dir/redis.pid" && $(cat "$dir/redis.pid" 2>/dev/null) == "$2" ]] ;;
    opensearch-*) [[ $PROC_ARGV0 == java* && $PROC_CMD == *OpenSearchMain.java\ "$dir/home"* ]] ;;
    *) return 1 ;;
  esac
}
engine_pid() { # part → PID from its pid file, verified
  local pid
  pid=$(cat "$RUN/$1.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && engine_is_ours "$1" "$pid" && PID=$pid
}

engine_port_check() { # kind name port: refuse a port held by something not ours
  local part; part=$(engine_part "$1" "$2")
  engine_pid "$part" && return 0
  local p
  for p in "$3" ${4:+"$4"}; do
    port_listening "$p" && die "$EX_PORT_IN_USE" "port $p ($1 $2) is in use by another process; stop it or change the $1 source's port in $CONFIG"
  done
  return 0
}

# run a command as an OS user when we are root (mariadbd refuses root)
as_user() { local u=$1; shift; if is_root; then (cd / && runuser -u "$u" -- "$@"); else "$@"; fi; }
let_user_reach() { # user dir: o+x on our own directories from the state dir down, as pg_prepare_dirs does
  local u=$1 dir=$2 d
  is_root || return 0
  runuser -u "$u" -- test -x "$dir" 2>/dev/null && return 0
  d=$dir
  while [ "$d" != / ]; do
    [ "$(stat -c %u "$d")" = 0 ] && chmod o+x "$d"
    runuser -u "$u" -- test -x "$d" 2>/dev/null && break
    d=$(dirname "$d")
  done
  runuser -u "$u" -- test -x "$dir" 2>/dev/null \
    || die 1 "the $u OS user cannot reach $dir (no search permission on a parent directory); move the repo or chmod o+x its parents"
}

wait_until() { # seconds pid command...: poll until the command succeeds, the pid dies or time is up
  local secs=$1 pid=$2 i; shift 2
  for ((i = 0; i < secs * 4; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    alive "$pid" || return 1
    sleep 0.25
  done
  "$@" >/dev/null 2>&1
}

# ---- MariaDB ---------------------------------------------------------------------------------

mariadb_sock() { # dir → the server's socket (a unix socket path is limited to 107 bytes)
  local sock="$1/run/mariadb.sock"
  [ ${#sock} -le 100 ] || sock="/tmp/lifeboat-mariadb-$(printf '%s' "$1" | sha256sum | cut -c1-10).sock"
  printf '%s' "$sock"
}
mariadb_root() { # dir sql...: as root over the server's socket
  local dir=$1; shift
  mariadb --no-defaults -S "$(mariadb_sock "$dir")" -u root --batch --skip-column-names "$@"
}

start_mariadb() { # name address port user passwordEnv databases(comma or -)
  local name=$1 addr=$2 port=$3 user=$4 pwenv=$5 dbs=$6
  local part dir log pw
  part=$(engine_part mariadb "$name"); dir=$(engine_dir mariadb "$name"); log="$LOGS/$part.log"
  pw=""; [ "$pwenv" = - ] || pw=${!pwenv:-}
  mkdir -p "$dir/data" "$dir/binlog" "$dir/run" "$LOGS"
  if engine_pid "$part"; then
    say "mariadb $name: already running (pid $PID)"
  else
    if is_root; then
      id mysql >/dev/null 2>&1 || die "$EX_CANNOT_INSTALL" "mariadb $name: no mysql OS user (install mariadb-server)"
      chmod 755 "$dir"
      chown mysql:mysql "$dir/data" "$dir/binlog" "$dir/run"
      let_user_reach mysql "$dir"
    fi
    if [ ! -d "$dir/data/mysql" ]; then
      local args=(--no-defaults "--datadir=$dir/data" --auth-root-authentication-method=normal --skip-test-db)
      is_root && args+=(--user=mysql)
      if ! mariadb-install-db "${args[@]}" >"$LOGS/$part-install.log" 2>&1 </dev/null; then
        note "mariadb $name: mariadb-install-db failed; its errors (all in $(rel "$LOGS/$part-install.log")):"
        grep -i -m 5 'error\|denied\|cannot\|can.t' "$LOGS/$part-install.log" | sed 's/^/    | /' >&2 || log_tail "$LOGS/$part-install.log"
        find "$dir/data" -mindepth 1 -delete 2>/dev/null || true   # the next up starts over
        exit 1
      fi
    fi
    cat >"$dir/my.cnf" <<EOF
# written by ./lifeboat up on each start (the local stack's MariaDB $name)
[mariadbd]
datadir=$dir/data
port=$port
bind-address=$addr
socket=$(mariadb_sock "$dir")
pid-file=$dir/run/mariadb.pid
log-error=$log
log-bin=$dir/binlog/mysql-bin
server-id=1
binlog-format=ROW
innodb-buffer-pool-size=64M
EOF
    touch "$log"; is_root && chown mysql:mysql "$log"
    local argv=(mariadbd "--defaults-file=$dir/my.cnf")
    is_root && argv+=(--user=mysql)
    spawn "$part" "$log" "${argv[@]}"
    say "mariadb $name: started (pid $PID)"
  fi
  if ! wait_until 60 "$PID" mariadb_root "$dir" -e 'SELECT 1'; then
    note "mariadb $name did not answer on $addr:$port in 60 s; the end of $(rel "$log"):"
    log_tail "$log"
    exit 1
  fi
  # the account the config names, with its password from the environment (re-set on each up)
  local q="'" u=${user//\'/\'\'} p=${pw//\'/\'\'}
  mariadb_root "$dir" -e "CREATE USER IF NOT EXISTS $q$u$q@'%' IDENTIFIED BY $q$p$q;
      ALTER USER $q$u$q@'%' IDENTIFIED BY $q$p$q; GRANT ALL PRIVILEGES ON *.* TO $q$u$q@'%';" \
    >>"$LOGS/$part-setup.log" 2>&1 || die 1 "mariadb $name: could not create the user $user (see $(rel "$LOGS/$part-setup.log"))"
  [ "$dbs" = - ] && return 0
  local db exists
  for db in ${dbs//,/ }; do
    exists=$(mariadb_root "$dir" -e "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '${db//\'/\'\'}'") \
      || die 1 "mariadb $name: could not query $addr:$port"
    [ "$exists" = 0 ] || continue
    [ -f "$MARIADB_SAMPLE_SQL" ] || die 1 "mariadb $name: $(rel "$MARIADB_SAMPLE_SQL") is missing"
    if ! { printf 'CREATE DATABASE `%s`;\nUSE `%s`;\n' "$db" "$db"; cat "$MARIADB_SAMPLE_SQL"; } \
        | mariadb_root "$dir" >"$LOGS/$part-sample.log" 2>&1; then
      mariadb_root "$dir" -e "DROP DATABASE IF EXISTS \`$db\`" >/dev/null 2>&1 || true
      note "mariadb $name: loading $(rel "$MARIADB_SAMPLE_SQL") into $db failed; the end of $(rel "$LOGS/$part-sample.log"):"
      log_tail "$LOGS/$part-sample.log"
      exit 1
    fi
    say "mariadb $name: created database $db with FarmTally's billing tables"
  done
}

mariadb_answers() { # address port user passwordEnv
  local pw=""; [ "$4" = - ] || pw=${!4:-}
  MYSQL_PWD=$pw mariadb --no-defaults --protocol=TCP --connect-timeout=5 -h "$1" -P "$2" -u "$3" \
    -e 'SELECT 1' >/dev/null 2>&1
}

# ---- Redis -----------------------------------------------------------------------------------

redis_cli() { # address port passwordEnv args...
  local a=$1 p=$2 env=$3; shift 3
  local pw=""; [ "$env" = - ] || pw=${!env:-}
  if [ -n "$pw" ]; then REDISCLI_AUTH=$pw redis-cli --no-auth-warning -h "$a" -p "$p" "$@"
  else env -u REDISCLI_AUTH redis-cli -h "$a" -p "$p" "$@"; fi
}

start_redis() { # name address port passwordEnv
  local name=$1 addr=$2 port=$3 pwenv=$4
  local part dir log pw
  part=$(engine_part redis "$name"); dir=$(engine_dir redis "$name"); log="$LOGS/$part.log"
  pw=""; [ "$pwenv" = - ] || pw=${!pwenv:-}
  mkdir -p "$dir" "$LOGS"
  if engine_pid "$part"; then
    say "redis $name: already running (pid $PID)"
  else
    ( umask 077
      cat >"$dir/redis.conf" <<EOF
# written by ./lifeboat up on each start (the local stack's Redis $name)
port $port
bind $addr
dir $dir
dbfilename dump.rdb
save 300 1
appendonly no
daemonize no
pidfile $dir/redis.pid
logfile ""
repl-diskless-sync-delay 0
EOF
      [ -z "$pw" ] || printf 'requirepass "%s"\n' "${pw//\"/\\\"}" >>"$dir/redis.conf" )
    spawn "$part" "$log" redis-server "$dir/redis.conf"
    say "redis $name: started (pid $PID)"
  fi
  if ! wait_until 30 "$PID" redis_ping "$addr" "$port" "$pwenv"; then
    note "redis $name did not answer PING on $addr:$port in 30 s; the end of $(rel "$log"):"
    log_tail "$log"
    exit 1
  fi
  [ "$(redis_cli "$addr" "$port" "$pwenv" EXISTS farmtally:sample 2>/dev/null)" = 1 ] && return 0
  # FarmTally's sessions and cache: 300 session hashes with a TTL-free expiry field, cached
  # tally totals, a leaderboard and a recent-events list; the marker key last.
  local i cmds
  cmds=$(for ((i = 1; i <= 300; i++)); do
    printf 'HSET session:%08x user_id %d farm_id %d created_at 2025-%02d-%02dT08:00:00Z expires_at 2026-%02d-%02dT08:00:00Z\n' \
      $((i * 2654435761 % 4294967296)) $((1 + i * 7 % 500)) $((1 + i % 120)) $((1 + i % 12)) $((1 + i % 28)) $((1 + i % 12)) $((1 + i % 28))
  done
  for ((i = 1; i <= 200; i++)); do
    printf 'SET cache:farm:%d:tally_total %d\n' "$i" $((i * 104729 % 100000))
    printf 'ZADD leaderboard:harvest %d farm:%d\n' $((i * 7919 % 50000)) "$i"
  done
  for ((i = 1; i <= 100; i++)); do printf 'RPUSH events:recent tally:%d\n' "$i"; done
  printf 'SET farmtally:sample 1\n')
  if ! redis_cli "$addr" "$port" "$pwenv" <<<"$cmds" >"$LOGS/$part-sample.log" 2>&1 \
      || grep -q '^ERR\|^(error)' "$LOGS/$part-sample.log"; then
    note "redis $name: loading the sample sessions and cache failed; see $(rel "$LOGS/$part-sample.log")"
    exit 1
  fi
  say "redis $name: loaded FarmTally's sessions and cache ($(redis_cli "$addr" "$port" "$pwenv" DBSIZE) keys)"
}
redis_ping() { [ "$(redis_cli "$1" "$2" "$3" PING 2>/dev/null)" = PONG ]; }

# ---- OpenSearch ------------------------------------------------------------------------------

# The node's class path (OpenSearch 2.19.6, the netty4 transport, log4j), resolved by Maven from
# the e2e test's node pom once and cached while every jar is there.
opensearch_classpath() {
  local cache="$STATE/opensearch-node.classpath" f ok=1
  if [ -s "$cache" ]; then
    # the plugin writes no newline at the end: read then returns 1 although it read the line
    IFS=: read -r -a _jars <"$cache" || true
    for f in "${_jars[@]}"; do [ -f "$f" ] || { ok=0; break; }; done
    [ "$ok" = 1 ] && { OS_CP=$(cat "$cache"); return 0; }
  fi
  mkdir -p "$STATE"
  if ! mvn -B -ntp -q ${LIFEBOAT_MVN_REPO:+-Dmaven.repo.local="$LIFEBOAT_MVN_REPO"} -f "$OPENSEARCH_NODE_POM" \
      "$MVN_DEP_PLUGIN:build-classpath" -Dmdep.outputFile="$cache" >"$LOGS/opensearch-classpath.log" 2>&1 </dev/null; then
    die 1 "opensearch: cannot resolve the node's class path from Maven (see $(rel "$LOGS/opensearch-classpath.log"))"
  fi
  OS_CP=$(cat "$cache")
}

os_curl() { curl -s -m "${OS_TIMEOUT:-10}" "$@"; }

start_opensearch() { # name address port snapshotDir
  local name=$1 addr=$2 port=$3 snap=$4
  local part dir log url="http://$2:$3"
  part=$(engine_part opensearch "$name"); dir=$(engine_dir opensearch "$name"); log="$LOGS/$part.log"
  mkdir -p "$dir/home" "$snap" "$LOGS"
  if engine_pid "$part"; then
    say "opensearch $name: already running (pid $PID)"
  else
    opensearch_classpath
    # path.repo is the snapshot directory's parent: the scratch repositories sit beside it
    spawn "$part" "$log" java "-Xms$OPENSEARCH_HEAP" "-Xmx$OPENSEARCH_HEAP" -XX:+UseSerialGC -cp "$OS_CP" \
      "$OPENSEARCH_MAIN" "$dir/home" "$port" $((port + 1)) "$(dirname "$snap")" --until-stopped
    say "opensearch $name: started (pid $PID, heap $OPENSEARCH_HEAP)"
  fi
  if ! wait_until "$OPENSEARCH_START_SECONDS" "$PID" opensearch_healthy "$url"; then
    local why="exited while starting"
    if alive "$PID"; then
      why="did not answer at $url in $OPENSEARCH_START_SECONDS s (stopped)"
      stop_pid "$part" "$PID" 30
    fi
    rm -f "$RUN/$part.pid"
    die 1 "opensearch $name $why; see $(rel "$log")"
  fi
  [ "$(os_curl -o /dev/null -w '%{http_code}' -I "$url/tallies")" = 200 ] && return 0
  local i body
  os_curl -fS -X PUT "$url/tallies" -H 'Content-Type: application/json' -d '{"settings":{"number_of_shards":1,"number_of_replicas":0},"mappings":{"properties":{"farm_id":{"type":"long"},"crop":{"type":"keyword"},"quantity":{"type":"double"},"unit":{"type":"keyword"},"recorded_at":{"type":"date"},"notes":{"type":"text"}}}}' \
    >"$LOGS/$part-sample.log" 2>&1 || die 1 "opensearch $name: could not create the index tallies (see $(rel "$LOGS/$part-sample.log"))"
  local crops=(wheat barley maize oats canola soy) units=(kg t bushel crate)
  body=$(for ((i = 1; i <= 1000; i++)); do
    printf '{"index":{"_id":"%d"}}\n' "$i"
    printf '{"farm_id":%d,"crop":"%s","quantity":%d.%d,"unit":"%s","recorded_at":"2025-%02d-%02dT%02d:00:00Z","notes":"tally %d of field %d"}\n' \
      $((1 + i * 7 % 120)) "${crops[i % 6]}" $((i * 104729 % 5000)) $((i % 10)) "${units[i % 4]}" \
      $((1 + i % 12)) $((1 + i % 28)) $((i % 24)) "$i" $((1 + i % 40))
  done)
  if ! OS_TIMEOUT=120 os_curl -fS -X POST "$url/tallies/_bulk?refresh=true" -H 'Content-Type: application/x-ndjson' \
      --data-binary @- <<<"$body" >>"$LOGS/$part-sample.log" 2>&1 || grep -q '"errors":true' "$LOGS/$part-sample.log"; then
    os_curl -X DELETE "$url/tallies" >/dev/null 2>&1 || true
    die 1 "opensearch $name: loading the sample tallies failed (see $(rel "$LOGS/$part-sample.log"))"
  fi
  say "opensearch $name: created the index tallies (1000 documents)"
}
opensearch_healthy() { [ "$(os_curl -o /dev/null -w '%{http_code}' "$1/_cluster/health?wait_for_status=yellow&timeout=2s")" = 200 ]; }

# ---- the verbs' parts ------------------------------------------------------------------------

# up: the port check for every engine the config declares (before anything starts)
engines_port_check() {
  local kind name addr port rest
  while read -r kind name addr port rest; do
    [ -n "$kind" ] || continue
    case $kind in
      opensearch) engine_port_check "$kind" "$name" "$port" $((port + 1)) ;;
      *) engine_port_check "$kind" "$name" "$port" ;;
    esac
  done <<<"$LOCAL_SOURCES"
}

# the packages an engine needs, installed when missing (apt starts no service: we do)
ensure_engine_tools() { # kind
  case $1 in
    mariadb)
      { command -v mariadbd && command -v mariadb-install-db && command -v mariadb-dump \
          && command -v mariadb-backup; } >/dev/null 2>&1 \
        || apt_install "mariadb-server, mariadb-client and mariadb-backup (mariadb: in the config)" \
          mariadb-server mariadb-client mariadb-backup ;;
    redis)
      { command -v redis-server && command -v redis-cli && command -v redis-check-rdb; } >/dev/null 2>&1 \
        || apt_install "redis-server and redis-tools (redis: in the config)" redis-server redis-tools ;;
  esac
}

# up: start each declared engine; the list of what was started goes to ENGINES_LIST (kept
# across ups: what an earlier up started and this config no longer names is still stopped by down)
start_engines() {
  local kind name addr port a b c
  [ -n "$LOCAL_SOURCES" ] || return 0
  mkdir -p "$RUN"
  while read -r kind name addr port a b c; do
    [ -n "$kind" ] || continue
    ensure_engine_tools "$kind"
    case $kind in
      mariadb) start_mariadb "$name" "$addr" "$port" "$a" "$b" "$c" ;;
      redis) start_redis "$name" "$addr" "$port" "$a" ;;
      opensearch) start_opensearch "$name" "$addr" "$port" "$a" ;;
      *) continue ;;
    esac
    # one line per engine: its line from an earlier up (another port, say) is replaced
    { grep -v "^$kind $name " "$ENGINES_LIST" 2>/dev/null || true
      printf '%s\n' "$kind $name $addr $port $a${b:+ $b}${c:+ $c}"; } >"$ENGINES_LIST.new"
    mv -f "$ENGINES_LIST.new" "$ENGINES_LIST"
  done <<<"$LOCAL_SOURCES"
}

# down: stop every engine up started (by its verified pid), then forget the list
stop_engines() {
  [ -f "$ENGINES_LIST" ] || return 0
  local kind name rest part i
  while read -r kind name rest; do
    [ -n "$kind" ] || continue
    part=$(engine_part "$kind" "$name")
    if ! engine_pid "$part"; then
      rm -f "$RUN/$part.pid"
      say "$kind $name: not running"
      continue
    fi
    stop_pid "$part" "$PID" 60
    for ((i = 0; i < 100; i++)); do alive "$PID" || break; sleep 0.1; done
    alive "$PID" && die 1 "$kind $name (pid $PID) is still running"
    rm -f "$RUN/$part.pid"
    say "$kind $name: stopped (pid $PID)"
  done <"$ENGINES_LIST"
  rm -f "$ENGINES_LIST"
}

# status: one row per engine up started; false when one is down or does not answer
status_engines() {
  [ -f "$ENGINES_LIST" ] || return 0
  local kind name addr port a b c part state answers all=0 pidtxt
  while read -r kind name addr port a b c; do
    [ -n "$kind" ] || continue
    part=$(engine_part "$kind" "$name")
    state=stopped answers=no pidtxt=""
    if engine_pid "$part"; then state=running pidtxt=" (pid $PID)"; fi
    case $kind in
      mariadb) mariadb_answers "$addr" "$port" "$a" "$b" && answers=yes ;;
      redis) redis_ping "$addr" "$port" "$a" && answers=yes ;;
      opensearch) OS_TIMEOUT=5 opensearch_healthy "http://$addr:$port" && answers=yes ;;
    esac
    printf '%-10s %-52s %-20s %s\n' "$kind" "$name $addr:$port" "$state$pidtxt" "$answers"
    [ "$state" = running ] && [ "$answers" = yes ] || all=1
  done <"$ENGINES_LIST"
  return $all
}

# up's closing table
print_engines() {
  [ -f "$ENGINES_LIST" ] || return 0
  local kind name addr port rest
  while read -r kind name addr port rest; do
    [ -n "$kind" ] && printf '%-10s %s\n' "$kind" "$name at $addr:$port"
  done <"$ENGINES_LIST"
}
