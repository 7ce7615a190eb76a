#!/usr/bin/env bash
# The distribution: builds dist/target/lifeboat-VERSION.tar.gz (mvn package, tests skipped),
# unpacks it into a temp dir, checks its contents, runs bin/lifeboat --version and config check
# on the example config, the WAL client without an env file (one line, exit 2 / 128) and with
# one that lacks a setting, and systemd-analyze verify on the units when it is installed. No
# stack, no ports. LIFEBOAT_DIST_TARBALL=FILE tests that file instead of building one.
# Prints `ok - NAME` / `not ok - NAME` and `N passed, M failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
TMP=$(mktemp -d)
passed=0 failed=0
trap 'rm -rf "$TMP"' EXIT

ok() { printf 'ok - %s\n' "$1"; passed=$((passed + 1)); }
not_ok() {
  printf 'not ok - %s\n' "$1"; failed=$((failed + 1))
  [ -z "${2:-}" ] || printf '%s\n' "$2" | tail -n 15 | sed 's/^/#   /'
}
check() { # name command...: ok when the command succeeds
  local name=$1; shift
  if "$@" >"$TMP/check.out" 2>&1; then ok "$name"; else not_ok "$name" "$(cat "$TMP/check.out")"; fi
}
finish() { printf '%s passed, %s failed\n' "$passed" "$failed"; [ "$failed" -eq 0 ]; exit $?; }

# --- build
tarball=${LIFEBOAT_DIST_TARBALL:-}
if [ -z "$tarball" ]; then
  if (cd "$ROOT" && mvn -B -ntp -q -Dstyle.color=never -DskipTests package -pl dist -am) >"$TMP/build.log" 2>&1 </dev/null; then
    ok "mvn package builds the distribution"
  else
    not_ok "mvn package builds the distribution" "$(tail -n 30 "$TMP/build.log")"; finish
  fi
  tarball=$(ls "$ROOT"/dist/target/lifeboat-*.tar.gz 2>/dev/null | head -n 1)
fi
[ -f "$tarball" ] || { not_ok "a lifeboat-VERSION.tar.gz" "none in dist/target"; finish; }
name=$(basename "$tarball" .tar.gz)
check "the tarball unpacks into one directory $name/" tar -xzf "$tarball" -C "$TMP"
D="$TMP/$name"
[ -d "$D" ] || finish

# --- contents
missing=()
for f in bin/lifeboat bin/lifeboat-wal share/exit-codes.tsv share/doc/deployment.md \
         systemd/lifeboat-agent@.service systemd/lifeboat-worker.service \
         etc/lifeboat.yml.example etc/lifeboat.env.example; do
  [ -f "$D/$f" ] || missing+=("$f")
done
if [ ${#missing[@]} -eq 0 ]; then ok "bin/, share/, systemd/, etc/ hold what they should"
else not_ok "bin/, share/, systemd/, etc/ hold what they should" "missing: ${missing[*]}"; fi
check "bin/lifeboat and bin/lifeboat-wal are executable" test -x "$D/bin/lifeboat" -a -x "$D/bin/lifeboat-wal"
jars=("$D"/lib/lifeboat-cli-*.jar)
if [ -f "${jars[0]:-}" ] && [ "$(ls "$D/lib" | wc -l)" -ge 20 ]; then ok "lib/ holds the CLI jar and its dependencies"
else not_ok "lib/ holds the CLI jar and its dependencies" "$(ls "$D/lib" 2>&1 | head)"; fi
check "the tarball holds no checkout (no launcher/, no .lifeboat)" \
  test ! -e "$D/launcher" -a ! -e "$D/.lifeboat" -a ! -e "$D/lifeboat"

# --- bin/lifeboat (with no env file: LIFEBOAT_ENV_FILE unset reads /etc/lifeboat/lifeboat.env
# only if it exists; point it at an empty one so the machine's own file plays no part)
: >"$TMP/empty.env"
run() { env -i PATH="$PATH" HOME="$TMP" ${JAVA_HOME:+JAVA_HOME=$JAVA_HOME} LIFEBOAT_ENV_FILE="$TMP/empty.env" "$@"; }
out=$(cd "$TMP" && run "$D/bin/lifeboat" --version 2>&1); rc=$?
if [ "$rc" -eq 0 ] && [[ $out == lifeboat\ * ]]; then ok "bin/lifeboat --version ($out)"
else not_ok "bin/lifeboat --version" "exit $rc: $out"; fi
out=$(cd "$TMP" && run "$D/bin/lifeboat" config check --config "$D/etc/lifeboat.yml.example" 2>&1); rc=$?
if [ "$rc" -eq 0 ] && [[ $out == *": ok "* ]]; then ok "bin/lifeboat config check on the example config"
else not_ok "bin/lifeboat config check on the example config" "exit $rc: $out"; fi

# --- the WAL client: no defaults, one line, PostgreSQL's codes (from share/exit-codes.tsv)
code_of() { awk -F'\t' -v n="$1" '$2 == n { print $1 }' "$D/share/exit-codes.tsv"; }
bad_input=$(code_of bad_input) stop=$(code_of stop_recovery)
wal_refuses() { # verb expected-code env-file-or-empty: one line on stderr, nothing on stdout, that code
  local verb=$1 want=$2 envf=$3 rc out err
  if [ "$verb" = push ]; then args=(push --database farmtally_production /etc/hostname 000000010000000000000001)
  else args=(fetch --database farmtally_production 000000010000000000000001 "$TMP/RECOVERYXLOG"); fi
  (cd "$TMP" && env -i PATH="$PATH" ${envf:+LIFEBOAT_ENV_FILE=$envf} "$D/bin/lifeboat-wal" "${args[@]}" \
    >"$TMP/wal.out" 2>"$TMP/wal.err"); rc=$?
  out=$(cat "$TMP/wal.out"); err=$(cat "$TMP/wal.err")
  [ "$rc" -eq "$want" ] && [ -z "$out" ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] \
    && [[ $err == "lifeboat: "* ]] && printf '%s\n' "$err" && return 0
  printf 'exit %s (want %s)\nstdout: %s\nstderr: %s\n' "$rc" "$want" "$out" "$err"
  return 1
}
if [ -e /etc/lifeboat/lifeboat.env ]; then
  ok "# skip: WAL client without an env file (this machine has /etc/lifeboat/lifeboat.env)"
else
  if wal_refuses push "$bad_input" "" >"$TMP/r" && grep -q "no env file /etc/lifeboat/lifeboat.env" "$TMP/r"; then
    ok "lifeboat-wal push without an env file: one line, exit $bad_input"
  else not_ok "lifeboat-wal push without an env file: one line, exit $bad_input" "$(cat "$TMP/r")"; fi
  if wal_refuses fetch "$stop" "" >"$TMP/r" && grep -q "no env file" "$TMP/r"; then
    ok "lifeboat-wal fetch without an env file: one line, exit $stop (stop recovery)"
  else not_ok "lifeboat-wal fetch without an env file: one line, exit $stop (stop recovery)" "$(cat "$TMP/r")"; fi
fi
printf 'LIFEBOAT_S3_ACCESS_KEY=x\n' >"$TMP/partial.env"
if wal_refuses fetch "$stop" "$TMP/partial.env" >"$TMP/r" && grep -q "LIFEBOAT_CONFIG, LIFEBOAT_WAL_SPOOL not set" "$TMP/r"; then
  ok "lifeboat-wal with an env file that lacks the config and the spool: names both"
else not_ok "lifeboat-wal with an env file that lacks the config and the spool: names both" "$(cat "$TMP/r")"; fi
printf 'LIFEBOAT_CONFIG=%s\nLIFEBOAT_WAL_SPOOL=%s\n' "$D/etc/lifeboat.yml.example" "$TMP/spool" >"$TMP/wal.env"
# a WAL name the CLI refuses (the client has no rule of its own): 128 for fetch, from the CLI
(cd "$TMP" && env -i PATH="$PATH" ${JAVA_HOME:+JAVA_HOME=$JAVA_HOME} LIFEBOAT_ENV_FILE="$TMP/wal.env" "$D/bin/lifeboat-wal" \
  fetch --database farmtally_production pg_wal/RECOVERYXLOG 000000010000000000000001 >/dev/null 2>"$TMP/wal.err"); rc=$?
if [ "$rc" -eq "$stop" ] && grep -q "is not a WAL file name" "$TMP/wal.err"; then
  ok "lifeboat-wal fetch with %p and %f swapped: the CLI refuses, exit $stop"
else not_ok "lifeboat-wal fetch with %p and %f swapped: the CLI refuses, exit $stop" "exit $rc: $(cat "$TMP/wal.err")"; fi

# --- systemd units
if command -v systemd-analyze >/dev/null 2>&1; then
  # verify checks that ExecStart exists: point the units at the unpacked tree, and an instance
  mkdir -p "$TMP/units"
  sed "s|/opt/lifeboat|$D|g" "$D/systemd/lifeboat-agent@.service" >"$TMP/units/lifeboat-agent@db1.service"
  sed "s|/opt/lifeboat|$D|g" "$D/systemd/lifeboat-worker.service" >"$TMP/units/lifeboat-worker.service"
  if (cd "$TMP/units" && systemd-analyze verify --man=no ./lifeboat-agent@db1.service ./lifeboat-worker.service) >"$TMP/verify.out" 2>&1 \
     && ! grep -qi "lifeboat-\(agent\|worker\)" "$TMP/verify.out"; then
    ok "systemd-analyze verify: lifeboat-agent@db1.service, lifeboat-worker.service"
  else
    not_ok "systemd-analyze verify: lifeboat-agent@db1.service, lifeboat-worker.service" "$(cat "$TMP/verify.out")"
  fi
else
  ok "# skip: systemd-analyze is not installed"
fi

finish
