# Sourced by ../lifeboat: the classpath, the source hash and the build (when sources changed),
# the Java CLI and the config it is given.

# ---------------------------------------------------------------------------------------------
# build and the Java CLI

classpath() {
  if [ -n "${LIFEBOAT_CLASSPATH:-}" ]; then CP=$LIFEBOAT_CLASSPATH
  else CP="$CLI_JAR:$ROOT/starter-cli/target/lib/*"; fi
}

source_hash() {
  local mods=() f
  for f in "$ROOT"/*/src/main; do mods+=("${f#"$ROOT/"}"); done
  (
    cd "$ROOT"
    {
      for f in pom.xml */pom.xml; do printf '%s\n' "$f"; done
      [ ${#mods[@]} -eq 0 ] || find "${mods[@]}" -type f
    } | LC_ALL=C sort | xargs -r -d '\n' sha256sum | sha256sum | cut -d' ' -f1
  )
}

build() {
  classpath
  [ -n "${LIFEBOAT_CLASSPATH:-}" ] && return 0
  if [ "${LIFEBOAT_SKIP_BUILD:-0}" = 1 ] && [ -f "$CLI_JAR" ]; then return 0; fi
  mkdir -p "$LOGS"
  local h
  h=$(source_hash)
  if [ -f "$CLI_JAR" ] && [ -f "$BUILD_STAMP" ] && [ "$(cat "$BUILD_STAMP")" = "$h" ]; then return 0; fi
  note "building (mvn -q -B -DskipTests package; log in .lifeboat/logs/build.log)"
  rm -f "$BUILD_STAMP"
  # copy-dependencies never removes a jar: clear lib/ so an old version cannot shadow a new one.
  rm -rf "$ROOT/starter-cli/target/lib"
  if ! (cd "$ROOT" && mvn -q -B -Dstyle.color=never -DskipTests package) >"$LOGS/build.log" 2>&1 </dev/null; then
    printf 'lifeboat: build failed (mvn -q -B -DskipTests package); the end of .lifeboat/logs/build.log:\n' >&2
    tail -n 40 "$LOGS/build.log" >&2 || true
    exit 1
  fi
  [ -f "$CLI_JAR" ] || die 1 "build produced no $(rel "$CLI_JAR")"
  printf '%s\n' "$h" >"$BUILD_STAMP"
}

cli() { java -cp "$CP" io.lifeboat.cli.LifeboatCli "$@"; }

# --config FILE anywhere in the args; default $LIFEBOAT_CONFIG, then lifeboat.yml here, else the example.
resolve_config() {
  local cfg=""
  while [ $# -gt 0 ]; do
    case $1 in
      --config) [ $# -ge 2 ] || die 2 "--config needs a file name"; cfg=$2; shift 2 ;;
      --config=*) cfg=${1#--config=}; shift ;;
      *) shift ;;
    esac
  done
  if [ -z "$cfg" ]; then
    if [ -n "${LIFEBOAT_CONFIG:-}" ]; then cfg=$LIFEBOAT_CONFIG
    elif [ -f lifeboat.yml ]; then cfg=lifeboat.yml; else cfg="$ROOT/examples/farmtally/lifeboat.yml"; fi
  fi
  CONFIG=$(realpath -m -- "$cfg")
  export LIFEBOAT_CONFIG="$CONFIG"
}

# `config check`: exit 2 with the CLI's one line when the config is bad.
check_config() {
  [ -f "$CONFIG" ] || die 2 "config file $CONFIG not found"
  local err rc=0
  err=$(cli config check --config "$CONFIG" 2>&1 >/dev/null) || rc=$?
  [ "$rc" -eq 0 ] && return 0
  err=$(printf '%s\n' "$err" | sed '/^[[:space:]]*$/d')
  [ -n "$err" ] || err="config check failed for $CONFIG (exit $rc)"
  printf '%s\n' "$err" | sed '1{/^lifeboat: /!s/^/lifeboat: /}' >&2
  exit 2
}
