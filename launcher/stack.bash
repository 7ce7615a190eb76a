# Sourced by ../lifeboat: the local stack (Temporal, s3proxy, the offsite s3proxy, PostgreSQL,
# the worker; fake-gcs-server and Azurite in launcher/clouds.bash): its addresses from the
# config, pid files, each part's start and stop, the keys, and the verbs up, down and status.

# `config stack-env` → SE_* variables; parsed, never eval'd. Also cached for status/down.
STACK_KEYS=(S3_ENDPOINT S3_BUCKET S3_REGION S3_ACCESS_KEY S3_SECRET_KEY PG_HOST PG_PORT PG_USER
            PG_DATABASE TEMPORAL_ADDRESS TEMPORAL_NAMESPACE METRICS_PORT)
parse_stack_env() { # reads KEY=VALUE lines on stdin
  local line k v
  # split at the first '=' by hand: read with IFS='=' drops one trailing '=' of the value
  # (an Azure key's base64 padding)
  while IFS= read -r line; do
    line=${line%$'\r'}
    [[ $line == *=* ]] || continue
    k=${line%%=*}; v=${line#*=}
    case $k in
      S3_ENDPOINT|S3_BUCKET|S3_REGION|S3_ACCESS_KEY|S3_SECRET_KEY|PG_HOST|PG_PORT|PG_USER|\
      PG_DATABASE|TEMPORAL_ADDRESS|TEMPORAL_NAMESPACE|TASK_QUEUE|WEB_UI|S3_PORT|METRICS_PORT|\
      CODEC_PORT)
        printf -v "SE_$k" '%s' "$v" ;;
      TEMPORAL_TASK_QUEUE) SE_TASK_QUEUE=$v ;;
      # the offsite section is optional: these stay empty without one
      OFFSITE_ENDPOINT|OFFSITE_PORT|OFFSITE_BUCKET|OFFSITE_REGION|OFFSITE_ACCESS_KEY|OFFSITE_SECRET_KEY)
        printf -v "SE_$k" '%s' "$v" ;;
      # the repository's type; GCS and Azure repositories on this machine (emulators: clouds.bash)
      REPOSITORY_TYPE|REPOSITORY_SECRET_ENV|GCS_ENDPOINT|GCS_PORT|GCS_BUCKETS|\
      AZURE_ENDPOINT|AZURE_PORT|AZURE_CONTAINERS|AZURE_ACCOUNTS)
        printf -v "SE_$k" '%s' "$v" ;;
    esac
  done
}
stack_defaults() {
  SE_S3_ENDPOINT=http://127.0.0.1:9000 SE_S3_BUCKET=farmtally-backups SE_S3_REGION=us-east-1
  SE_S3_ACCESS_KEY=$LIFEBOAT_S3_ACCESS_KEY SE_S3_SECRET_KEY=$LIFEBOAT_S3_SECRET_KEY
  SE_PG_HOST=127.0.0.1 SE_PG_PORT=55432 SE_PG_USER=lifeboat SE_PG_DATABASE=farmtally_production
  SE_TEMPORAL_ADDRESS=127.0.0.1:7233 SE_TEMPORAL_NAMESPACE=default SE_TASK_QUEUE=lifeboat
  SE_WEB_UI="" SE_S3_PORT="" SE_METRICS_PORT=9464 SE_CODEC_PORT=0
  SE_OFFSITE_ENDPOINT="" SE_OFFSITE_PORT="" SE_OFFSITE_BUCKET="" SE_OFFSITE_REGION=us-east-1
  SE_OFFSITE_ACCESS_KEY="" SE_OFFSITE_SECRET_KEY=""
  SE_REPOSITORY_TYPE=s3 SE_REPOSITORY_SECRET_ENV=""
  SE_GCS_ENDPOINT="" SE_GCS_PORT="" SE_GCS_BUCKETS=""
  SE_AZURE_ENDPOINT="" SE_AZURE_PORT="" SE_AZURE_CONTAINERS="" SE_AZURE_ACCOUNTS=""
}
OFFSITE_KEYS=(OFFSITE_ENDPOINT OFFSITE_PORT OFFSITE_BUCKET OFFSITE_REGION OFFSITE_ACCESS_KEY OFFSITE_SECRET_KEY)
CLOUD_KEYS=(REPOSITORY_TYPE REPOSITORY_SECRET_ENV GCS_ENDPOINT GCS_PORT GCS_BUCKETS AZURE_ENDPOINT
            AZURE_PORT AZURE_CONTAINERS AZURE_ACCOUNTS)
derive_stack() {
  local hp
  # a repository on GCS or Azure: no s3proxy (S3_HOST stays empty, the s3 part is not ours)
  hp=${SE_S3_ENDPOINT#*://}; hp=${hp%%/*}
  S3_HOST=${hp%:*}; S3_PORT=${hp##*:}
  if [ "$S3_HOST" = "$hp" ]; then
    case $SE_S3_ENDPOINT in https:*) S3_PORT=443 ;; *) S3_PORT=80 ;; esac
  fi
  [ -z "${SE_S3_PORT:-}" ] || S3_PORT=$SE_S3_PORT
  T_HOST=${SE_TEMPORAL_ADDRESS%:*}; T_PORT=${SE_TEMPORAL_ADDRESS##*:}
  if [ "$T_PORT" = 7233 ]; then UI_PORT=8233; else UI_PORT=$((T_PORT + 1000)); fi
  UI_URL="http://localhost:$UI_PORT"
  if [ -n "${SE_WEB_UI:-}" ]; then   # temporal.webUi: the UI port follows it
    UI_URL=${SE_WEB_UI%/}
    hp=${UI_URL#*://}; hp=${hp%%/*}
    [[ $hp == *:* && ${hp##*:} =~ ^[0-9]+$ ]] && UI_PORT=${hp##*:}
  fi
  TASK_QUEUE=${SE_TASK_QUEUE:-lifeboat}
  OFF_HOST="" OFF_PORT=""
  if [ -n "${SE_OFFSITE_ENDPOINT:-}" ]; then
    hp=${SE_OFFSITE_ENDPOINT#*://}; hp=${hp%%/*}
    OFF_HOST=${hp%:*}; OFF_PORT=${SE_OFFSITE_PORT:-${hp##*:}}
  fi
  pg_locate
  PG_SOCK="$PG_DIR/run"
  # a unix socket path is limited to 107 bytes
  if [ $(( ${#PG_SOCK} + 16 )) -gt 100 ]; then
    PG_SOCK="/tmp/lifeboat-pg-$(state_id | cut -c1-10)"
  fi
}
# What tells this stack's places outside .lifeboat apart: the checkout (as before
# LIFEBOAT_STACK_STATE), or the other state directory.
state_id() {
  if [ "$STATE" = "$HOME_STATE" ]; then printf '%s' "$ROOT" | sha256sum; else printf '%s' "$STATE" | sha256sum; fi
}
# The cluster lives in .lifeboat/pg, unless the postgres OS user (which initdb and the server
# run as when we are root) cannot enter the repository, e.g. a clone under a 0700 mktemp
# directory. Then it lives in /var/lib/lifeboat/<hash of the repo path>, one per clone, and
# .lifeboat/logs/postgres.log links to its log.
pg_locate() {
  PG_DIR="$STATE/pg" PG_LOG="$LOGS/postgres.log"
  if is_root && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
    PG_DIR="/var/lib/lifeboat/$(state_id | cut -c1-12)/pg"
    PG_LOG="$PG_DIR/postgres.log"
  fi
  PG_DATA="$PG_DIR/data"
}
load_stack_env() {
  stack_defaults
  SE_TASK_QUEUE="" SE_WEB_UI="" SE_S3_PORT=""
  local out rc=0 errf k
  errf=$(mktemp)
  out=$(cli config stack-env --config "$CONFIG" 2>"$errf") || rc=$?
  if [ "$rc" -ne 0 ]; then
    local err; err=$(sed '/^[[:space:]]*$/d' "$errf"); rm -f "$errf"
    [ -n "$err" ] || err="config stack-env failed for $CONFIG (exit $rc)"
    printf '%s\n' "$err" | sed '1{/^lifeboat: /!s/^/lifeboat: /}' >&2
    exit 2
  fi
  rm -f "$errf"
  for k in "${STACK_KEYS[@]}"; do unset "SE_$k"; done
  parse_stack_env <<<"$out"
  if [ "$SE_REPOSITORY_TYPE" != s3 ]; then   # stack-env gives no S3 settings then
    SE_S3_ENDPOINT="" SE_S3_BUCKET="" SE_S3_REGION="" SE_S3_ACCESS_KEY="" SE_S3_SECRET_KEY=""
  fi
  for k in "${STACK_KEYS[@]}"; do
    local n="SE_$k"
    # the S3 settings only for an S3 repository
    [[ $k == S3_* && $SE_REPOSITORY_TYPE != s3 ]] && continue
    [ -n "${!n:-}" ] || die 2 "config stack-env for $CONFIG did not give $k"
  done
  [[ $SE_PG_PORT =~ ^[0-9]+$ && $SE_METRICS_PORT =~ ^[0-9]+$ ]] || die 2 "config stack-env gave a bad port (PG_PORT=$SE_PG_PORT METRICS_PORT=$SE_METRICS_PORT)"
  derive_stack
  [[ ($SE_REPOSITORY_TYPE != s3 || $S3_PORT =~ ^[0-9]+$) && $T_PORT =~ ^[0-9]+$ ]] || die 2 "config stack-env gave a bad address (S3_ENDPOINT=$SE_S3_ENDPOINT TEMPORAL_ADDRESS=$SE_TEMPORAL_ADDRESS)"
  mkdir -p "$RUN"
  { for k in "${STACK_KEYS[@]}" TASK_QUEUE WEB_UI S3_PORT "${OFFSITE_KEYS[@]}" "${CLOUD_KEYS[@]}"; do n="SE_$k"; printf '%s=%s\n' "$k" "${!n:-}"; done
    printf 'CONFIG=%s\n' "$CONFIG"; } >"$RUN/stack.env"
  chmod 600 "$RUN/stack.env"
}
# For status/down: the values the last `up` used, else the defaults.
load_cached_stack_env() {
  stack_defaults
  if [ -f "$RUN/stack.env" ]; then
    parse_stack_env <"$RUN/stack.env"
    local k v
    while IFS='=' read -r k v; do [ "$k" = CONFIG ] && CONFIG=$v; done <"$RUN/stack.env"
    # a stack.env from before the type was written: an S3 repository
    [ -n "$SE_REPOSITORY_TYPE" ] || SE_REPOSITORY_TYPE=s3
  fi
  derive_stack
}

# ---------------------------------------------------------------------------------------------
# processes: pid files, verified against /proc/PID/cmdline

PROC_ARGV0="" PROC_CMD=""
read_cmdline() { # pid → PROC_ARGV0, PROC_CMD; false when gone
  local a=()
  [ -r "/proc/$1/cmdline" ] || return 1
  mapfile -d '' -t a <"/proc/$1/cmdline" 2>/dev/null || return 1
  [ ${#a[@]} -gt 0 ] || return 1
  PROC_ARGV0=${a[0]##*/}; PROC_CMD="${a[*]}"
}

is_ours() { # part pid
  read_cmdline "$2" || return 1
  case $1 in
    temporal) [[ $PROC_ARGV0 == temporal* && $PROC_CMD == *" start-dev "* && $PROC_CMD == *"$TEMPORAL_DB"* ]] ;;
    s3)       [[ $PROC_ARGV0 == java* && $PROC_CMD == *"$S3_PROPS"* ]] ;;
    offsite)  [[ $PROC_ARGV0 == java* && $PROC_CMD == *"$S3_OFFSITE_PROPS"* ]] ;;
    postgres) [[ ($PROC_ARGV0 == postgres || $PROC_ARGV0 == postmaster) && $PROC_CMD == *"-D $PG_DATA"* ]] ;;
    worker)   [[ $PROC_ARGV0 == java* && $PROC_CMD == *"-Dlifeboat.home=$ROOT "* && $PROC_CMD == *io.lifeboat.worker.WorkerMain* ]] || return 1
              # a worker of another state directory's stack (LIFEBOAT_STACK_STATE) is not ours
              if [ "$STATE" = "$HOME_STATE" ]; then [[ $PROC_CMD != *"-Dlifeboat.state="* ]]
              else [[ $PROC_CMD == *"-Dlifeboat.state=$STATE "* ]]; fi ;;
    gcs)      [[ $PROC_ARGV0 == fake-gcs-server* && $PROC_CMD == *"-filesystem-root $GCS_DIR/root "* ]] ;;
    azure)    [[ $PROC_CMD == *azurite-blob* && $PROC_CMD == *"--location $AZURE_DIR "* ]] ;;
    *) return 1 ;;
  esac
}

# part → PID of our running process (from its pid file, else found in /proc and adopted)
part_pid() {
  local part=$1 pid="" d
  if [ "$part" = postgres ] && [ -f "$PG_DATA/postmaster.pid" ]; then
    pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null) || pid=""
  elif [ -f "$RUN/$part.pid" ]; then
    pid=$(cat "$RUN/$part.pid" 2>/dev/null) || pid=""
  fi
  if [[ $pid =~ ^[0-9]+$ ]] && is_ours "$part" "$pid"; then PID=$pid; return 0; fi
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [ "$pid" = $$ ] && continue
    if is_ours "$part" "$pid"; then
      PID=$pid; printf '%s\n' "$pid" >"$RUN/$part.pid"; return 0
    fi
  done
  PID=""
  return 1
}

alive() { kill -0 "$1" 2>/dev/null; }

# start CMD detached in its own session; its pid (the exec'd command itself) → PID
spawn() { # part log cmd...
  local part=$1 log=$2; shift 2
  local pidf="$RUN/$part.pid" i
  rm -f "$pidf"
  printf '\n=== %s lifeboat: starting %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$part" >>"$log"
  setsid bash -c 'printf "%s\n" $$ >"$0"; exec "$@"' "$pidf" "$@" >>"$log" 2>&1 </dev/null 9>&- &
  for ((i = 0; i < 50; i++)); do [ -s "$pidf" ] && break; sleep 0.1; done
  PID=$(cat "$pidf" 2>/dev/null) || PID=""
  [[ $PID =~ ^[0-9]+$ ]] || die 1 "could not start $part (see $(rel "$log"))"
}

stop_pid() { # part pid grace_seconds
  local part=$1 pid=$2 grace=$3 i group=0
  [ "$(ps_pgid "$pid")" = "$pid" ] && group=1
  if [ $group = 1 ]; then kill -TERM -- "-$pid" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
  for ((i = 0; i < grace * 10; i++)); do
    if [ $group = 1 ]; then kill -0 -- "-$pid" 2>/dev/null || return 0
    else alive "$pid" || return 0; fi
    sleep 0.1
  done
  note "$part (pid $pid) did not stop in ${grace}s; killing it"
  if [ $group = 1 ]; then kill -KILL -- "-$pid" 2>/dev/null || true; else kill -KILL "$pid" 2>/dev/null || true; fi
  for ((i = 0; i < 50; i++)); do alive "$pid" || return 0; sleep 0.1; done
}
ps_pgid() { # pid → its process group id (field 5 of /proc/PID/stat)
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  s=${s##*) }
  set -- $s
  printf '%s' "${3:-}"
}

port_listening() { # port: some socket LISTENs on it (any address)
  local hex
  hex=$(printf ':%04X' "$1")
  awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

is_local_host() { case $1 in 127.*|localhost|::1|'[::1]'|0.0.0.0) return 0 ;; *) return 1 ;; esac; }

as_pg() { # run as the postgres OS user when we are root
  if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# ---------------------------------------------------------------------------------------------
# the parts

part_local() { # is this part ours to run, per the config?
  case $1 in
    temporal) is_local_host "$T_HOST" ;;
    s3) [ "$SE_REPOSITORY_TYPE" = s3 ] && is_local_host "$S3_HOST" ;;
    offsite) [ -n "$OFF_HOST" ] && is_local_host "$OFF_HOST" ;;
    gcs) [ -n "$SE_GCS_ENDPOINT" ] ;;       # stack-env names only those on this machine
    azure) [ -n "$SE_AZURE_ENDPOINT" ] ;;
    postgres) is_local_host "$SE_PG_HOST" ;;
    worker) return 0 ;;
  esac
}

part_address() {
  case $1 in
    temporal) printf '%s (web UI %s)' "$SE_TEMPORAL_ADDRESS" "$UI_URL" ;;
    s3) printf '%s bucket %s' "$SE_S3_ENDPOINT" "$SE_S3_BUCKET" ;;
    offsite) if [ -n "$SE_OFFSITE_ENDPOINT" ]; then printf '%s bucket %s' "$SE_OFFSITE_ENDPOINT" "$SE_OFFSITE_BUCKET"
             else printf '(no offsite section in the config)'; fi ;;
    gcs) printf '%s %s' "$SE_GCS_ENDPOINT" "$(cloud_uses "$SE_GCS_BUCKETS")" ;;
    azure) printf '%s %s' "$SE_AZURE_ENDPOINT" "$(cloud_uses "$SE_AZURE_CONTAINERS")" ;;
    postgres) printf '%s:%s %s' "$SE_PG_HOST" "$SE_PG_PORT" "$SE_PG_DATABASE" ;;
    worker) printf 'task queue %s (metrics :%s)' "$TASK_QUEUE" "$SE_METRICS_PORT" ;;
  esac
}

# "PORT|what|hint" lines: the ports each part needs
part_ports() {
  case $1 in
    temporal)
      printf '%s|temporal|change temporal.address in %s\n' "$T_PORT" "$CONFIG"
      printf '%s|temporal web UI|change temporal.webUi in %s\n' "$UI_PORT" "$CONFIG" ;;
    s3) printf '%s|s3|change repository.endpoint in %s\n' "$S3_PORT" "$CONFIG" ;;
    offsite) printf '%s|offsite s3|change offsite.endpoint in %s\n' "$OFF_PORT" "$CONFIG" ;;
    gcs) printf '%s|fake-gcs-server|change the endpoint of the GCS repositories in %s\n' "$SE_GCS_PORT" "$CONFIG" ;;
    azure) printf '%s|Azurite|change the endpoint of the Azure repositories in %s\n' "$SE_AZURE_PORT" "$CONFIG" ;;
    postgres) printf '%s|postgres|change the port of the databases in %s\n' "$SE_PG_PORT" "$CONFIG" ;;
    worker) printf '%s|worker metrics|change metrics.port in %s\n' "$SE_METRICS_PORT" "$CONFIG" ;;
  esac
}

temporal_cli() { "$TEMPORAL" "$@" --address "$SE_TEMPORAL_ADDRESS"; }
temporal_serving() {
  local h
  h=$(temporal_cli operator cluster health 2>/dev/null) || return 1
  printf '%s\n' "$h" | grep -qx '[[:space:]]*SERVING[[:space:]]*'
}
temporal_missing_attributes() { # prints the names not yet registered; false if none missing
  local list sa missing=()
  list=$(temporal_cli operator search-attribute list --namespace "$SE_TEMPORAL_NAMESPACE" 2>/dev/null) || list=""
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do
    printf '%s\n' "$list" | grep -qw -- "$sa" || missing+=("$sa")
  done
  [ ${#missing[@]} -gt 0 ] || return 1
  printf '%s\n' "${missing[@]}"
}

start_temporal() {
  local sa args=() i serving_since=-1 missing
  if part_pid temporal; then
    say "temporal: already running (pid $PID)"
  else
    for sa in "${SEARCH_ATTRIBUTES[@]}"; do args+=(--search-attribute "$sa=Keyword"); done
    # The web UI decodes encrypted payloads through the worker's codec server (in the
    # operator's browser, which must reach it: it listens on 127.0.0.1).
    if [ "${SE_CODEC_PORT:-0}" != 0 ]; then args+=(--ui-codec-endpoint "http://127.0.0.1:$SE_CODEC_PORT"); fi
    spawn temporal "$LOGS/temporal.log" "$TEMPORAL" server start-dev --ip "$T_HOST" --port "$T_PORT" \
      --ui-port "$UI_PORT" --db-filename "$TEMPORAL_DB" --namespace "$SE_TEMPORAL_NAMESPACE" \
      "${args[@]}" --log-level warn
    say "temporal: started (pid $PID)"
  fi
  for ((i = 0; i < 120; i++)); do
    alive "$PID" || { note "temporal exited while starting; the end of $(rel "$LOGS/temporal.log"):"; log_tail "$LOGS/temporal.log"; exit 1; }
    if temporal_serving && port_listening "$UI_PORT"; then
      if missing=$(temporal_missing_attributes); then
        [ "$serving_since" -ge 0 ] || serving_since=$i
        if [ $((i - serving_since)) -ge 30 ]; then   # 15 s serving without them: register ourselves
          for sa in $missing; do
            temporal_cli operator search-attribute create --namespace "$SE_TEMPORAL_NAMESPACE" \
              --name "$sa" --type Keyword >>"$LOGS/temporal.log" 2>&1 || true
          done
          serving_since=$i
        fi
      else
        return 0
      fi
    fi
    sleep 0.5
  done
  note "temporal did not become ready in 60 s (cluster health SERVING, search attributes listed); see $(rel "$LOGS/temporal.log")"
  log_tail "$LOGS/temporal.log"
  exit 1
}

write_s3_props() {
  umask 077
  cat >"$S3_PROPS" <<EOF
# written by ./lifeboat up; the credentials are the local stack's (LIFEBOAT_S3_* env vars)
s3proxy.endpoint=http://$S3_HOST:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$SE_S3_ACCESS_KEY
s3proxy.credential=$SE_S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$S3_DIR
EOF
  umask 022
}

aws_local() { # aws with the stack's credentials, for this command only
  env -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID="$SE_S3_ACCESS_KEY" \
    AWS_SECRET_ACCESS_KEY="$SE_S3_SECRET_KEY" AWS_DEFAULT_REGION="$SE_S3_REGION" \
    AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    "$AWS" --endpoint-url "$SE_S3_ENDPOINT" "$@"
}

ensure_bucket() {
  aws_local s3api head-bucket --bucket "$SE_S3_BUCKET" >/dev/null 2>&1 && return 0
  local extra=()
  [ "$SE_S3_REGION" = us-east-1 ] || extra=(--create-bucket-configuration "LocationConstraint=$SE_S3_REGION")
  if ! aws_local s3api create-bucket --bucket "$SE_S3_BUCKET" "${extra[@]}" >>"$LOGS/s3.log" 2>&1; then
    die 1 "s3: could not create bucket $SE_S3_BUCKET at $SE_S3_ENDPOINT (see $(rel "$LOGS/s3.log"))"
  fi
  say "s3: created bucket $SE_S3_BUCKET"
}

start_s3() {
  local i
  if part_pid s3; then
    say "s3: already running (pid $PID)"
  else
    mkdir -p "$S3_DIR"
    write_s3_props
    LOG_LEVEL=${LIFEBOAT_S3_LOG_LEVEL:-warn} spawn s3 "$LOGS/s3.log" \
      java -Dlifeboat.home="$ROOT" -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
      -jar "$S3PROXY_JAR" --properties "$S3_PROPS"
    say "s3: started (pid $PID)"
  fi
  for ((i = 0; i < 120; i++)); do
    alive "$PID" || { note "s3proxy exited while starting; the end of $(rel "$LOGS/s3.log"):"; log_tail "$LOGS/s3.log"; exit 1; }
    port_listening "$S3_PORT" && break
    sleep 0.5
  done
  port_listening "$S3_PORT" || { note "s3proxy did not open port $S3_PORT in 60 s; see $(rel "$LOGS/s3.log")"; log_tail "$LOGS/s3.log"; exit 1; }
  ensure_bucket
}

# The offsite copy's endpoint: a second s3proxy with its own directory and credentials, so a
# copy really crosses from one store to another (3-2-1). s3proxy has no Object Lock: the copy
# records that; docker-compose's MinIO has it (docs/operator/offsite.md).
start_offsite() {
  local i
  if part_pid offsite; then
    say "offsite: already running (pid $PID)"
  else
    mkdir -p "$S3_OFFSITE_DIR"
    ( umask 077
      cat >"$S3_OFFSITE_PROPS" <<EOF
# written by ./lifeboat up: the offsite endpoint (offsite.* in the config, LIFEBOAT_OFFSITE_* env vars)
s3proxy.endpoint=http://$OFF_HOST:$OFF_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$SE_OFFSITE_ACCESS_KEY
s3proxy.credential=$SE_OFFSITE_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$S3_OFFSITE_DIR
EOF
    )
    LOG_LEVEL=${LIFEBOAT_S3_LOG_LEVEL:-warn} spawn offsite "$LOGS/s3-offsite.log" \
      java -Dlifeboat.home="$ROOT" -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
      -jar "$S3PROXY_JAR" --properties "$S3_OFFSITE_PROPS"
    say "offsite: started (pid $PID)"
  fi
  for ((i = 0; i < 120; i++)); do
    alive "$PID" || { note "offsite s3proxy exited while starting; the end of $(rel "$LOGS/s3-offsite.log"):"; log_tail "$LOGS/s3-offsite.log"; exit 1; }
    port_listening "$OFF_PORT" && break
    sleep 0.5
  done
  port_listening "$OFF_PORT" || { note "offsite s3proxy did not open port $OFF_PORT in 60 s; see $(rel "$LOGS/s3-offsite.log")"; log_tail "$LOGS/s3-offsite.log"; exit 1; }
  aws_offsite s3api head-bucket --bucket "$SE_OFFSITE_BUCKET" >/dev/null 2>&1 && return 0
  aws_offsite s3api create-bucket --bucket "$SE_OFFSITE_BUCKET" >>"$LOGS/s3-offsite.log" 2>&1 \
    || die 1 "offsite: could not create bucket $SE_OFFSITE_BUCKET at $SE_OFFSITE_ENDPOINT (see $(rel "$LOGS/s3-offsite.log"))"
  say "offsite: created bucket $SE_OFFSITE_BUCKET"
}
aws_offsite() { # aws with the offsite endpoint's credentials, for this command only
  env -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID="$SE_OFFSITE_ACCESS_KEY" \
    AWS_SECRET_ACCESS_KEY="$SE_OFFSITE_SECRET_KEY" AWS_DEFAULT_REGION="$SE_OFFSITE_REGION" \
    AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    "$AWS" --endpoint-url "$SE_OFFSITE_ENDPOINT" "$@"
}

pg_prepare_dirs() {
  mkdir -p "$PG_DIR" "$LOGS"
  touch "$PG_LOG"
  if [ "$PG_LOG" != "$LOGS/postgres.log" ]; then
    chmod 755 "$(dirname "$PG_DIR")" "$PG_DIR"
    ln -sfn "$PG_LOG" "$LOGS/postgres.log"
  fi
  if is_root; then
    id postgres >/dev/null 2>&1 || {
      note "creating the postgres OS user (initdb refuses to run as root)"
      useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres >/dev/null 2>&1 \
        || die "$EX_CANNOT_INSTALL" "cannot create the postgres OS user (useradd failed)"
    }
    [ -d "$PG_DATA" ] || install -d -m 700 -o postgres -g postgres "$PG_DATA"
    install -d -m 755 -o postgres -g postgres "$PG_SOCK"
    chown postgres:postgres "$PG_LOG"
    chmod 644 "$PG_LOG"
    if ! runuser -u postgres -- test -x "$PG_DIR" -a -w "$PG_LOG" 2>/dev/null; then
      chmod o+x "$STATE" "$PG_DIR" "$LOGS"
    fi
    if ! runuser -u postgres -- test -x "$PG_DIR" 2>/dev/null; then
      local d="$STATE" blocked=""
      while [ "$d" != / ]; do
        d=$(dirname "$d")
        runuser -u postgres -- test -x "$d" 2>/dev/null || blocked=$d
      done
      die 1 "the postgres OS user cannot reach $PG_DIR (no search permission on ${blocked:-a parent directory}); move the repo or run: chmod o+x ${blocked:-<parent>}"
    fi
  else
    mkdir -p "$PG_SOCK"
    [ -d "$PG_DATA" ] || install -d -m 700 "$PG_DATA"
  fi
}

pg_super() { if is_root; then printf postgres; else id -un; fi; }

pg_initdb() {
  local locale=C
  if locale -a 2>/dev/null | grep -ix 'c\.utf-\?8' >/dev/null; then locale=C.UTF-8; fi
  say "postgres: initdb $(rel "$PG_DATA")"
  find "$PG_DATA" -mindepth 1 -delete   # the remains of an initdb that did not finish
  if ! as_pg "$PGBIN/initdb" -D "$PG_DATA" -U "$(pg_super)" --auth-local=peer --auth-host=scram-sha-256 \
        -E UTF8 --locale="$locale" --data-checksums >"$LOGS/postgres-initdb.log" 2>&1; then
    note "initdb failed; the end of $(rel "$LOGS/postgres-initdb.log"):"
    log_tail "$LOGS/postgres-initdb.log"
    exit 1
  fi
  printf "\n# Lifeboat: the local stack's settings (regenerated by ./lifeboat up)\ninclude_if_exists = 'lifeboat.conf'\n" \
    >>"$PG_DATA/postgresql.conf"
}

pg_write_conf() {
  # archive_mode is off here so that it can be switched on later (ALTER SYSTEM wins over this).
  local f="$PG_DATA/lifeboat.conf"
  cat >"$f" <<EOF
# written by ./lifeboat up on each start; ALTER SYSTEM (postgresql.auto.conf) overrides it
listen_addresses = '$SE_PG_HOST'
port = $SE_PG_PORT
unix_socket_directories = '$PG_SOCK'
wal_level = replica
max_wal_senders = 5
EOF
  pg_archive_conf >>"$f"
  is_root && chown postgres:postgres "$f"
  chmod 600 "$f"
}

# Continuous archiving through the product's WAL client (dist/src/bin/lifeboat-wal:
# asynchronous, a spool and a shipper), as a database host runs it from the distribution. The
# archive_command runs as the postgres OS user with PostgreSQL's environment: its settings (the
# config, the spool, this checkout's build as its CLI) and the local stack's keys reach it
# through a 0600 env file owned by postgres, never through postgresql.conf.
# archive_mode takes effect when the server (re)starts.
WAL_CLIENT="$ROOT/dist/src/bin/lifeboat-wal"
pg_archive_conf() {
  local spool="$PG_DIR/wal-spool" envf="$PG_DIR/lifeboat-wal.env" db=$SE_PG_DATABASE
  if is_root && ! runuser -u postgres -- test -x "$WAL_CLIENT" -a -r "$CONFIG" -a -r "$CLI_JAR" 2>/dev/null; then
    note "postgres: archive_mode off: the postgres OS user cannot run $WAL_CLIENT or read $CONFIG"
    printf 'archive_mode = off\n'
    return 0
  fi
  classpath
  mkdir -p "$spool"
  ( umask 077
    printf 'LIFEBOAT_CONFIG=%s\nLIFEBOAT_WAL_SPOOL=%s\nLIFEBOAT_CLASSPATH=%s\n' "$CONFIG" "$spool" "$CP"
    printf 'LIFEBOAT_S3_ACCESS_KEY=%s\nLIFEBOAT_S3_SECRET_KEY=%s\nLIFEBOAT_PG_PASSWORD=%s\n' \
      "$SE_S3_ACCESS_KEY" "$SE_S3_SECRET_KEY" "$LIFEBOAT_PG_PASSWORD"
    # an Azure repository's key or connection string (the variable its config names)
    local sv=$SE_REPOSITORY_SECRET_ENV
    if [[ $sv =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && [ -n "${!sv:-}" ]; then printf '%s=%s\n' "$sv" "${!sv}"; fi
    ) >"$envf"
  if is_root; then chown postgres:postgres "$spool" "$envf"; fi
  chmod 600 "$envf"
  local cmd
  cmd="LIFEBOAT_ENV_FILE=$(shq "$envf") $(shq "$WAL_CLIENT") push --database $(shq "$db") %p %f"
  printf "archive_mode = on\narchive_command = '%s'\narchive_timeout = 300\n" "${cmd//\'/\'\'}"
}
shq() { local q="'\\''"; printf "'%s'" "${1//\'/$q}"; }   # single-quoted for sh

pg_sql_super() { # psql as the cluster's superuser over the unix socket (peer auth)
  as_pg "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$SE_PG_PORT" -U "$(pg_super)" -d postgres "$@"
}
pg_sql_tcp() { # psql as the lifeboat role over TCP (scram)
  PGPASSWORD="$LIFEBOAT_PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$SE_PG_HOST" -p "$SE_PG_PORT" -U "$SE_PG_USER" "$@"
}

pg_ensure_objects() {
  local scale=$1 exists t0
  if ! pg_sql_tcp -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    if ! pg_sql_super -v role="$SE_PG_USER" -v pw="$LIFEBOAT_PG_PASSWORD" >>"$LOGS/postgres-setup.log" 2>&1 <<'SQL'
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN SUPERUSER REPLICATION PASSWORD :'pw';
SQL
    then
      die 1 "postgres: could not create role $SE_PG_USER (see $(rel "$LOGS/postgres-setup.log"))"
    fi
    pg_sql_tcp -d postgres -Atc 'select 1' >/dev/null 2>&1 \
      || die 1 "postgres: role $SE_PG_USER cannot log in over $SE_PG_HOST:$SE_PG_PORT with LIFEBOAT_PG_PASSWORD"
  fi
  exists=$(pg_sql_tcp -d postgres -At -v db="$SE_PG_DATABASE" <<<"SELECT 1 FROM pg_database WHERE datname = :'db';") \
    || die 1 "postgres: could not query $SE_PG_HOST:$SE_PG_PORT"
  if [ "$exists" = 1 ]; then
    [ -z "$scale" ] || say "postgres: database $SE_PG_DATABASE exists; --scale ignored (down, rm -rf .lifeboat/pg, up to reload)"
    return 0
  fi
  [ -f "$SAMPLE_SQL" ] || die 1 "postgres: $(rel "$SAMPLE_SQL") is missing"
  pg_sql_tcp -d postgres -v db="$SE_PG_DATABASE" -v owner="$SE_PG_USER" <<<'CREATE DATABASE :"db" OWNER :"owner";' \
    || die 1 "postgres: could not create database $SE_PG_DATABASE"
  t0=$(now)
  if ! pg_sql_tcp -d "$SE_PG_DATABASE" -v scale="${scale:-1}" -f "$SAMPLE_SQL" >"$LOGS/sample-data.log" 2>&1; then
    pg_sql_tcp -d postgres -v db="$SE_PG_DATABASE" <<<'DROP DATABASE IF EXISTS :"db";' >/dev/null 2>&1 || true
    note "postgres: loading $(rel "$SAMPLE_SQL") failed; the end of $(rel "$LOGS/sample-data.log"):"
    log_tail "$LOGS/sample-data.log"
    exit 1
  fi
  say "postgres: created database $SE_PG_DATABASE with the FarmTally sample data (scale ${scale:-1}, $(( $(now) - t0 )) s)"
}

start_postgres() {
  local scale=$1 i
  if part_pid postgres; then
    say "postgres: already running (pid $PID)"
  else
    [ -f "$PG_DATA/PG_VERSION" ] || pg_initdb
    pg_write_conf
    rm -f "$RUN/postgres.pid"
    if ! as_pg "$PGBIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -s 9>&- >/dev/null 2>&1; then
      note "postgres did not start; the end of $(rel "$LOGS/postgres.log"):"
      log_tail "$LOGS/postgres.log"
      exit 1
    fi
    part_pid postgres || die 1 "postgres started but its postmaster is not found (see $(rel "$LOGS/postgres.log"))"
    printf '%s\n' "$PID" >"$RUN/postgres.pid"
    say "postgres: started (pid $PID)"
  fi
  for ((i = 0; i < 60; i++)); do
    "$PGBIN/pg_isready" -q -h "$SE_PG_HOST" -p "$SE_PG_PORT" && break
    sleep 0.5
  done
  "$PGBIN/pg_isready" -q -h "$SE_PG_HOST" -p "$SE_PG_PORT" \
    || { note "postgres is not ready at $SE_PG_HOST:$SE_PG_PORT after 30 s; see $(rel "$LOGS/postgres.log")"; exit 1; }
  pg_ensure_objects "$scale"
}

worker_marker_seen() { # "Worker started" in the log since this run of the worker began
  local off=0
  [ -f "$RUN/worker.logoffset" ] && off=$(cat "$RUN/worker.logoffset")
  tail -c +"$((off + 1))" "$LOGS/worker.log" 2>/dev/null | grep -q 'Worker started'
}

start_worker() {
  local i t0
  if part_pid worker; then
    say "worker: already running (pid $PID)"
    return 0
  fi
  touch "$LOGS/worker.log"
  stat -c %s "$LOGS/worker.log" >"$RUN/worker.logoffset"
  t0=$(now)
  # the CLI's logback config is quiet unless LIFEBOAT_LOG_LEVEL says otherwise
  local mark=()   # a worker of another state directory's stack says whose it is (is_ours)
  [ "$STATE" = "$HOME_STATE" ] || mark=("-Dlifeboat.state=$STATE")
  LIFEBOAT_LOG_LEVEL=${LIFEBOAT_LOG_LEVEL:-INFO} spawn worker "$LOGS/worker.log" java -Dlifeboat.home="$ROOT" "${mark[@]}" ${LIFEBOAT_WORKER_JAVA_OPTS:-} -cp "$CP" \
    io.lifeboat.worker.WorkerMain --config "$CONFIG"
  say "worker: started (pid $PID)"
  for ((i = 0; i < 180; i++)); do
    alive "$PID" || { note "the worker exited while starting; the end of $(rel "$LOGS/worker.log"):"; log_tail "$LOGS/worker.log"; exit 1; }
    if (worker_marker_seen || port_listening "$SE_METRICS_PORT") && [ $(( $(now) - t0 )) -ge 3 ]; then
      return 0
    fi
    sleep 0.5
  done
  note "the worker did not log \"Worker started\" in 90 s; see $(rel "$LOGS/worker.log")"
  log_tail "$LOGS/worker.log"
  exit 1
}

# The local stack's two keys, made once and never overwritten (a lost repository key makes
# every encrypted backup unreadable). Both 0600; the repository key is also readable by the
# postgres group, because archive_command (wal-push) runs as the postgres OS user and encrypts
# with it. Kept apart so either can be rotated or handed out alone.
ensure_keys() {
  mkdir -p "$KEYS_DIR" "$LOGS"
  chmod 700 "$KEYS_DIR"
  if [ ! -f "$KEYS_DIR/repository.json" ]; then
    cli keys generate --repository "$KEYS_DIR/repository.json" >>"$LOGS/install.log" 2>&1 \
      || die 1 "cannot make the repository key $(rel "$KEYS_DIR/repository.json") (see $(rel "$LOGS/install.log"))"
    note "made the repository key $(rel "$KEYS_DIR/repository.json"): keep a copy off this machine, backups cannot be read without it"
  fi
  if [ ! -f "$KEYS_DIR/payload.json" ]; then
    cli keys generate "$KEYS_DIR/payload.json" >>"$LOGS/install.log" 2>&1 \
      || die 1 "cannot make the payload key $(rel "$KEYS_DIR/payload.json") (see $(rel "$LOGS/install.log"))"
  fi
  chmod 600 "$KEYS_DIR/repository.json" "$KEYS_DIR/payload.json"
  if is_root && id postgres >/dev/null 2>&1; then
    chgrp postgres "$KEYS_DIR" "$KEYS_DIR/repository.json"
    chmod 750 "$KEYS_DIR"
    chmod 640 "$KEYS_DIR/repository.json"
  fi
}

# ---------------------------------------------------------------------------------------------
# verbs

lock_stack() {
  mkdir -p "$RUN"
  exec 9>"$RUN/lock"
  flock -w 600 9 || die 1 "another ./lifeboat up/down is still running"
}

print_table() {
  printf '\n%-10s %s\n' PART ADDRESS
  printf '%-10s %s\n' temporal "gRPC $SE_TEMPORAL_ADDRESS, web UI $UI_URL"
  [ "$SE_REPOSITORY_TYPE" != s3 ] || printf '%-10s %s\n' s3 "$SE_S3_ENDPOINT bucket $SE_S3_BUCKET"
  [ -z "$SE_OFFSITE_ENDPOINT" ] || printf '%-10s %s\n' offsite "$SE_OFFSITE_ENDPOINT bucket $SE_OFFSITE_BUCKET"
  [ -z "$SE_GCS_ENDPOINT" ] || printf '%-10s %s\n' gcs "$(part_address gcs) (fake-gcs-server)"
  [ -z "$SE_AZURE_ENDPOINT" ] || printf '%-10s %s\n' azure "$(part_address azure) (Azurite)"
  printf '%-10s %s\n' postgres "$SE_PG_HOST:$SE_PG_PORT $SE_PG_DATABASE (user $SE_PG_USER)"
  printf '%-10s %s\n' worker "task queue $TASK_QUEUE (metrics :$SE_METRICS_PORT)"
  print_engines
  printf 'logs in %s; stop with ./lifeboat down\n' "$(rel "$LOGS")"
}

cmd_up() {
  local scale="" args=()
  while [ $# -gt 0 ]; do
    case $1 in
      --scale) [ $# -ge 2 ] || die 2 "--scale needs a number"; scale=$2; shift 2 ;;
      --scale=*) scale=${1#--scale=}; shift ;;
      --config) shift 2 ;;
      --config=*) shift ;;
      *) die 2 "up: unknown option $1 (usage: ./lifeboat up [--scale N] [--config FILE])" ;;
    esac
  done
  [ -z "$scale" ] || [[ $scale =~ ^[1-9][0-9]{0,3}$ ]] || die 2 "--scale must be a whole number from 1 to 9999, not '$scale'"
  reserve_stack_ports
  ensure_tools
  build
  ensure_keys
  check_config
  load_stack_env
  lock_stack

  # Refuse before starting anything when a port we need is held by a process that is not ours.
  local part line port what hint
  for part in "${PARTS[@]}"; do
    part_local "$part" || continue
    part_pid "$part" && continue
    while IFS='|' read -r port what hint; do
      if port_listening "$port"; then
        die "$EX_PORT_IN_USE" "port $port ($what) is in use by another process; stop it or $hint"
      fi
    done < <(part_ports "$part")
  done
  # the MariaDB, Redis and OpenSearch the config declares on this machine: their ports too
  load_local_sources
  engines_port_check
  # PostgreSQL runs as the postgres OS user: check it can reach .lifeboat/pg before starting anything
  if part_local postgres; then pg_prepare_dirs; fi

  if part_local temporal; then start_temporal
  else say "temporal: $SE_TEMPORAL_ADDRESS is not local; not started"; fi
  if part_local s3; then start_s3
  elif [ "$SE_REPOSITORY_TYPE" = s3 ]; then say "s3: $SE_S3_ENDPOINT is not local; not started"; fi
  if part_local offsite; then start_offsite
  elif [ -n "$SE_OFFSITE_ENDPOINT" ]; then say "offsite: $SE_OFFSITE_ENDPOINT is not local; not started"; fi
  if part_local gcs; then start_gcs; fi
  if part_local azure; then start_azure; fi
  if part_local postgres; then start_postgres "$scale"
  else say "postgres: $SE_PG_HOST:$SE_PG_PORT is not local; not started"; fi
  start_engines
  start_worker
  start_app
  start_acme
  print_table
}

cmd_down() {
  lock_stack
  load_cached_stack_env
  stop_targets
  stop_app
  stop_acme
  local part
  for part in worker postgres offsite s3 gcs azure temporal; do
    if ! part_pid "$part"; then
      rm -f "$RUN/$part.pid"
      # the emulators are named only when the config has them
      [[ ($part == gcs || $part == azure) ]] && ! part_local "$part" && continue
      say "$part: not running"
      continue
    fi
    if [ "$part" = postgres ]; then
      if ! as_pg "$PGBIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 -s >/dev/null 2>&1 9>&-; then
        note "postgres did not stop with pg_ctl -m fast; trying -m immediate"
        as_pg "$PGBIN/pg_ctl" stop -D "$PG_DATA" -m immediate -w -t 30 -s >/dev/null 2>&1 9>&- || true
      fi
      local i; for ((i = 0; i < 100; i++)); do alive "$PID" || break; sleep 0.1; done
      alive "$PID" && die 1 "postgres (pid $PID) is still running"
    else
      stop_pid "$part" "$PID" 30
    fi
    rm -f "$RUN/$part.pid"
    say "$part: stopped (pid $PID)"
  done
  stop_engines
  stop_wal_shippers
  rm -f "$RUN/worker.logoffset"
}

# The sample cluster's archive_command starts a shipper that lingers for a while after its
# last segment. Once the server is down, every segment it archived was confirmed already
# (wal-push exits 0 only then), so stopping the shipper loses nothing.
stop_wal_shippers() {
  local spool="$PG_DIR/wal-spool" d cmd pids=() i
  for d in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"$d/cmdline") || continue   # (2> first: a process gone meanwhile says nothing)
    case $cmd in *io.lifeboat.cli.LifeboatCli\ wal-ship*"$spool"*) pids+=("${d#/proc/}") ;; esac
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    alive_any "${pids[@]}" || break
    sleep 0.1
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
  say "wal shipper: stopped (pid ${pids[*]})"
}
alive_any() { local p; for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }

cmd_status() {
  load_cached_stack_env
  load_tools_env || true
  export PATH="$SBIN:$PGBIN:$PATH"
  [ -n "$TEMPORAL" ] || TEMPORAL=temporal
  local part state answers all=0 pidtxt
  printf '%-10s %-52s %-20s %s\n' PART ADDRESS STATE ANSWERS
  for part in "${PARTS[@]}"; do
    state=stopped answers=no pidtxt=""
    if [ "$part" = offsite ] && [ -z "$SE_OFFSITE_ENDPOINT" ]; then
      # an offsite copy on a local emulator has that emulator's row
      [[ " $SE_GCS_BUCKETS $SE_AZURE_CONTAINERS" == *" offsite:"* ]] && continue
      printf '%-10s %-52s %-20s %s\n' offsite "$(part_address offsite)" "not configured" "-"
      continue
    fi
    # rows for the s3proxy or an emulator only when the config has a repository there
    case $part in s3) [ "$SE_REPOSITORY_TYPE" = s3 ] || continue ;; gcs|azure) part_local "$part" || continue ;; esac
    if part_local "$part"; then
      if part_pid "$part"; then state=running; pidtxt=" (pid $PID)"; fi
    else
      state=external
    fi
    case $part in
      temporal) temporal_serving && port_listening "$UI_PORT" && answers=yes ;;
      s3) if [ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$SE_S3_ENDPOINT" 2>/dev/null)" != 000 ]; then answers=yes; fi ;;
      offsite) if [ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$SE_OFFSITE_ENDPOINT" 2>/dev/null)" != 000 ]; then answers=yes; fi ;;
      gcs|azure) cloud_answers "$part" && answers=yes ;;
      postgres) "$PGBIN/pg_isready" -q -t 5 -h "$SE_PG_HOST" -p "$SE_PG_PORT" && answers=yes ;;
      worker) if [ $state = running ] && { port_listening "$SE_METRICS_PORT" || worker_marker_seen; }; then answers=yes; fi ;;
    esac
    printf '%-10s %-52s %-20s %s\n' "$part" "$(part_address "$part")" "$state$pidtxt" "$answers"
    [ "$state" != stopped ] && [ "$answers" = yes ] || all=1
  done
  status_engines || all=1
  status_app || all=1
  status_acme || all=1
  # Steps waiting for a person (drill sign-offs, provisioning): informational, never the exit code.
  if temporal_serving && { [ -n "${LIFEBOAT_CLASSPATH:-}" ] || [ -f "$CLI_JAR" ]; }; then
    classpath
    echo
    timeout 30 java -cp "$CP" io.lifeboat.cli.LifeboatCli waiting --config "$CONFIG" 2>/dev/null \
      || echo "(waiting steps: the CLI could not list them)"
  fi
  # The last recovery readiness run (reports/readiness/latest.json in the repository):
  # informational, never the exit code; `lifeboat readiness` runs one now.
  if [ -n "${LIFEBOAT_CLASSPATH:-}" ] || [ -f "$CLI_JAR" ]; then
    classpath
    echo
    timeout 30 java -cp "$CP" io.lifeboat.cli.LifeboatCli readiness --last --config "$CONFIG" 2>/dev/null \
      || true
  fi
  return $all
}
