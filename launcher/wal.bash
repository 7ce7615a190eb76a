# Sourced by ../lifeboat: the asynchronous archive_command / restore_command client
# (wal-push, wal-fetch). PostgreSQL runs it for every WAL segment: the launcher sources only
# common, install, build and this part for those two verbs.

# ---------------------------------------------------------------------------------------------
# asynchronous archive_command (see WalShipper.java for the spool's layout)

WAL_JAVA_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto"
WAL_NAME_RE='^([0-9A-F]{24}(\.partial|\.[0-9A-F]{8}\.backup)?|[0-9A-F]{8}\.history)$'

# LIFEBOAT_ENV_FILE: KEY=VALUE lines (S3 keys, passwords) for PostgreSQL's archive/restore
# commands, whose environment has none of ours. Read, never sourced; should be 0600.
load_env_file() {
  local f=${LIFEBOAT_ENV_FILE:-} k v
  [ -n "$f" ] || return 0
  [ -r "$f" ] || die 2 "LIFEBOAT_ENV_FILE $f is not readable"
  while IFS='=' read -r k v; do
    [[ $k =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    export "$k=$v"
  done <"$f"
}

# wal-push --spool DIR --database NAME PATH WALNAME: returns (falls back to the JVM) when not
# asked for the spool; otherwise exits 0 only once the shipper confirmed that this file's
# content is stored in S3.
wal_push_async() {
  local spool=${LIFEBOAT_WAL_SPOOL:-} db="" cfg=() pos=()
  while [ $# -gt 0 ]; do
    case $1 in
      --spool) [ $# -ge 2 ] || die 2 "wal-push: --spool needs a directory"; spool=$2; shift 2 ;;
      --spool=*) spool=${1#--spool=}; shift ;;
      --database) [ $# -ge 2 ] || die 2 "wal-push: --database needs a name"; db=$2; shift 2 ;;
      --database=*) db=${1#--database=}; shift ;;
      --config) cfg=(--config "$2"); shift 2 ;;
      --config=*) cfg=(--config "${1#--config=}"); shift ;;
      -*) return 0 ;;
      *) pos+=("$1"); shift ;;
    esac
  done
  [ -n "$spool" ] || return 0
  if [ ${#pos[@]} -eq 3 ]; then db=${pos[0]}; pos=("${pos[@]:1}"); fi
  [ -n "$db" ] && [ ${#pos[@]} -eq 2 ] || return 0   # the JVM explains the usage
  [ ${#cfg[@]} -gt 0 ] || cfg=(--config "$CONFIG")
  local path=${pos[0]} name=${pos[1]}
  [[ $db =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$ ]] || die 2 "wal-push: '$db' is not a database name"
  [[ $name =~ $WAL_NAME_RE ]] || die 2 "wal-push: '$name' is not a WAL file name (usage: wal-push --database NAME %p %f)"
  [[ $path == /* ]] || path="$PWD/$path"
  [ -f "$path" ] || die 2 "wal-push: no such file: $path"
  local d="$spool/$db"
  mkdir -p "$d/req" "$d/ok" "$d/err" 2>/dev/null && [ -w "$d/req" ] \
    || die 1 "wal-push: cannot write the WAL spool $d (owner: $(stat -c %U "$d" 2>/dev/null || echo '?'))"
  if wal_confirmed "$d" "$name" "$path"; then exit 0; fi
  rm -f "$d/err/$name" "$d/fatal"
  printf '%s\n' "$path" >"$d/req/.$name.tmp" && mv -f "$d/req/.$name.tmp" "$d/req/$name"
  local i waited=0 limit=${LIFEBOAT_WAL_PUSH_TIMEOUT:-600}
  for ((i = 0; ; i++)); do
    if wal_confirmed "$d" "$name" "$path"; then exit 0; fi
    if [ -f "$d/err/$name" ]; then
      printf 'lifeboat: wal-push %s: %s\n' "$name" "$(head -n 1 "$d/err/$name")" >&2
      rm -f "$d/err/$name"
      exit 1
    fi
    if [ -f "$d/fatal" ]; then
      printf 'lifeboat: wal-push: %s\n' "$(head -n 1 "$d/fatal")" >&2
      exit 2
    fi
    if [ $((i % 25)) -eq 0 ] && flock -n "$d/lock" true 2>/dev/null; then
      # no shipper holds the lock: start one (a second starter loses the lock and exits)
      setsid flock -n "$d/lock" java $WAL_JAVA_OPTS -Xmx384m -cp "$CP" io.lifeboat.cli.LifeboatCli \
        wal-ship --database "$db" --spool "$spool" --idle-seconds "${LIFEBOAT_WAL_SHIP_IDLE:-60}" "${cfg[@]}" >>"$d/shipper.log" 2>&1 </dev/null &
    fi
    sleep 0.02
    waited=$((i / 50))
    [ "$waited" -lt "$limit" ] || die 1 "wal-push $name: not confirmed within ${limit}s (see $d/shipper.log)"
  done
}

# wal-fetch --spool DIR --database NAME WALNAME PATH (restore_command): the prefetcher
# (WalPrefetcher.java) restores the asked-for file and the next segments ahead into the spool,
# checksum-checked; this moves the file into place. Exit 1 when the archive does not have it;
# any other failure exits 128 (ExitCodes.STOP_RECOVERY): PostgreSQL ends recovery at an exit
# of 1..125 ("not in the archive") but aborts it above 125, which is what a corrupt segment,
# a wrong key, an unreachable repository or a misconfigured restore_command must do.
WAL_FETCH_STOP=128
wal_fetch_async() {
  local spool=${LIFEBOAT_WAL_SPOOL:-} db="" cfg=() pos=()
  while [ $# -gt 0 ]; do
    case $1 in
      --spool) [ $# -ge 2 ] || die "$WAL_FETCH_STOP" "wal-fetch: --spool needs a directory"; spool=$2; shift 2 ;;
      --spool=*) spool=${1#--spool=}; shift ;;
      --database) [ $# -ge 2 ] || die "$WAL_FETCH_STOP" "wal-fetch: --database needs a name"; db=$2; shift 2 ;;
      --database=*) db=${1#--database=}; shift ;;
      --config) cfg=(--config "$2"); shift 2 ;;
      --config=*) cfg=(--config "${1#--config=}"); shift ;;
      -*) return 0 ;;
      *) pos+=("$1"); shift ;;
    esac
  done
  [ -n "$spool" ] || return 0
  if [ ${#pos[@]} -eq 3 ]; then db=${pos[0]}; pos=("${pos[@]:1}"); fi
  [ -n "$db" ] && [ ${#pos[@]} -eq 2 ] || return 0   # the JVM explains the usage
  [ ${#cfg[@]} -gt 0 ] || cfg=(--config "$CONFIG")
  local name=${pos[0]} dest=${pos[1]}
  [[ $db =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$ ]] || die "$WAL_FETCH_STOP" "wal-fetch: '$db' is not a database name"
  [[ $name =~ $WAL_NAME_RE ]] || die "$WAL_FETCH_STOP" "wal-fetch: '$name' is not a WAL file name (usage: wal-fetch --database NAME %f %p)"
  [[ $dest == /* ]] || dest="$PWD/$dest"
  local d="$spool/$db/fetch"
  mkdir -p "$d/req" "$d/got" "$d/miss" "$d/err" 2>/dev/null && [ -w "$d/req" ] \
    || die "$WAL_FETCH_STOP" "wal-fetch: cannot write the WAL spool $d"
  if mv -f "$d/got/$name" "$dest" 2>/dev/null; then exit 0; fi
  rm -f "$d/miss/$name" "$d/err/$name" "$d/fatal"
  : >"$d/req/$name"
  local i limit=${LIFEBOAT_WAL_FETCH_TIMEOUT:-600}
  for ((i = 0; ; i++)); do
    if mv -f "$d/got/$name" "$dest" 2>/dev/null; then rm -f "$d/req/$name"; exit 0; fi
    if [ -f "$d/miss/$name" ]; then rm -f "$d/miss/$name"; exit 1; fi
    if [ -f "$d/err/$name" ]; then
      printf 'lifeboat: wal-fetch %s: %s\n' "$name" "$(head -n 1 "$d/err/$name")" >&2
      rm -f "$d/err/$name"
      exit "$WAL_FETCH_STOP"
    fi
    if [ -f "$d/fatal" ]; then
      printf 'lifeboat: wal-fetch: %s\n' "$(head -n 1 "$d/fatal")" >&2
      exit "$WAL_FETCH_STOP"
    fi
    if [ $((i % 50)) -eq 0 ] && flock -n "$d/lock" true 2>/dev/null; then
      setsid flock -n "$d/lock" java $WAL_JAVA_OPTS -Xmx384m -cp "$CP" io.lifeboat.cli.LifeboatCli \
        wal-prefetch --database "$db" --spool "$spool" --idle-seconds "${LIFEBOAT_WAL_FETCH_IDLE:-30}" \
        "${cfg[@]}" >>"$d/prefetcher.log" 2>&1 </dev/null &
    fi
    sleep 0.01
    [ $((i / 100)) -lt "$limit" ] || die "$WAL_FETCH_STOP" "wal-fetch $name: not restored within ${limit}s (see $d/prefetcher.log)"
  done
}

# true when the shipper confirmed this very content (the marker holds its SHA-256)
wal_confirmed() { # spooldir name path
  local m="$1/ok/$2" want have
  [ -f "$m" ] || return 1
  want=$(head -n 1 "$m" 2>/dev/null) || return 1
  have=$(sha256sum <"$3") || return 1
  have=${have%% *}
  rm -f "$m"
  [ "$want" = "$have" ] && return 0
  printf 'lifeboat: wal-push %s: the stored copy differs from %s; asking again\n' "$2" "$3" >&2
  return 1
}
