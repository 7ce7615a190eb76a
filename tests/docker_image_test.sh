#!/usr/bin/env bash
# The worker image's Dockerfile, without a Docker engine (there is none on the test machine):
# a text check, not a build. It checks that the apt-get install of the Dockerfile names every
# tool the worker runs (PostgreSQL 15 client and server binaries, node and npm, nginx, certbot,
# ansible, openssh-client, restic, borgbackup, rsync, bacula-console, zstd), that each of those names is a
# package this machine's apt knows (Debian's names are the image's Ubuntu names for these), that PM2 is installed
# with npm at the version the launcher pins (PM2_PIN), and that the image points the worker at
# that pm2. With a Docker engine that answers it also builds the image and asks each tool for
# its version. Prints ok/not ok lines and a count.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
DF="$ROOT/Dockerfile"
passed=0 failed=0
ok() { printf 'ok - %s\n' "$1"; passed=$((passed + 1)); }
not_ok() { printf 'not ok - %s\n' "$1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/#   /'; failed=$((failed + 1)); }
finish() { printf '%s passed, %s failed\n' "$passed" "$failed"; [ "$failed" -eq 0 ]; exit $?; }
[ -f "$DF" ] || { not_ok "a Dockerfile at the root"; finish; }

# The words of the RUN instruction(s) that apt-get install, continuation lines joined.
installed=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$DF" | grep -E '^RUN ' | tr ';' '\n' \
  | grep -E 'apt-get install' | sed -E 's/.*apt-get install//' | tr -s ' ' '\n' | grep -v '^-' | sort -u)
for pkg in postgresql-client-15 postgresql-15 nodejs npm nginx certbot ansible openssh-client restic borgbackup rsync duplicity python3-boto3 bacula-console zstd; do
  if grep -qx -- "$pkg" <<<"$installed"; then ok "the image installs $pkg"
  else not_ok "the image installs $pkg" "apt-get install names: $(echo $installed)"; fi
done
if command -v apt-cache >/dev/null 2>&1; then
  unknown=""
  for pkg in $installed; do
    apt-cache show "$pkg" >/dev/null 2>&1 || unknown+=" $pkg"
  done
  if [ -z "$unknown" ]; then ok "every package the image installs is a real package name (apt-cache show here)"
  else not_ok "every package the image installs is a real package name" "unknown here:$unknown"; fi
fi

pin=$(sed -nE 's/^PM2_PIN="pm2@([^"]+)"/\1/p' "$ROOT/launcher/common.bash")
arg=$(sed -nE 's/^ARG PM2_VERSION=(.+)$/\1/p' "$DF")
if [ -n "$pin" ] && [ "$pin" = "$arg" ] && grep -q 'npm install -g .*"pm2@${PM2_VERSION}"' "$DF"; then
  ok "PM2 $arg is installed with npm, the launcher's pin"
else not_ok "PM2 is installed with npm at the launcher's pin" "launcher: '$pin', Dockerfile ARG: '$arg'"; fi
grep -qE '^ +LIFEBOAT_PM2_BIN=/usr/local/bin/pm2' "$DF" && ok "the worker is pointed at that pm2 (LIFEBOAT_PM2_BIN)" \
  || not_ok "the worker is pointed at that pm2 (LIFEBOAT_PM2_BIN)"
grep -qE '^ENV PATH=/usr/lib/postgresql/15/bin:' "$DF" && ok "PostgreSQL 15's bin directory (pg_ctl, initdb, postgres) is on PATH" \
  || not_ok "PostgreSQL 15's bin directory is on PATH"

if command -v docker >/dev/null 2>&1 && docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; then
  if [ -f "$ROOT/starter-cli/target/lifeboat-cli.jar" ] \
     && out=$(docker build -q -t lifeboat-worker:test "$ROOT" 2>&1) \
     && out=$(docker run --rm --entrypoint sh lifeboat-worker:test -c \
          'pg_ctl --version && psql --version && node --version && pm2 --version && nginx -v && certbot --version && ansible --version && ssh -V && restic version && borg --version && rsync --version' 2>&1); then
    ok "docker build, and every tool answers in the image"
  else not_ok "docker build, and every tool answers in the image" "$out"; fi
else
  printf '# skipped: docker build (no Docker engine answers here); the checks above read the Dockerfile only\n'
fi
finish
