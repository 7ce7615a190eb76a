#!/usr/bin/env bash
# The example Ansible's role lifeboat_agent (examples/farmtally/ansible/agent.yml): syntax of
# both playbooks; then against localhost (connection local), with every path under a temp dir
# and without systemd (lifeboat_agent_start=false, so enabling and starting the unit is NOT
# exercised here) and without apt (lifeboat_install_java=false): a --check run on a fresh root
# changes nothing; a real run unpacks lifeboat-VERSION.tar.gz, links lifeboat_home to it,
# writes the config, the env file (0600, the settings and the secrets given) and the agent's
# unit from the distribution; a second run changes nothing; the unpacked bin/lifeboat answers
# --version. Needs the tarball (dist/target, or LIFEBOAT_DIST_TARBALL=FILE; built with
# mvn -DskipTests package -pl dist -am when missing). Prints ok/not ok lines and a count.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
ANS="$ROOT/examples/farmtally/ansible"
TMP=$(mktemp -d)
passed=0 failed=0
trap 'rm -rf "$TMP"' EXIT

ok() { printf 'ok - %s\n' "$1"; passed=$((passed + 1)); }
not_ok() {
  printf 'not ok - %s\n' "$1"; failed=$((failed + 1))
  [ -z "${2:-}" ] || printf '%s\n' "$2" | tail -n 20 | sed 's/^/#   /'
}
finish() { printf '%s passed, %s failed\n' "$passed" "$failed"; [ "$failed" -eq 0 ]; exit $?; }
command -v ansible-playbook >/dev/null || { not_ok "ansible-playbook is installed"; finish; }

for pb in agent.yml site.yml; do
  if out=$(cd "$ANS" && ansible-playbook -i localhost, --syntax-check "$pb" 2>&1); then
    ok "ansible-playbook --syntax-check $pb"
  else not_ok "ansible-playbook --syntax-check $pb" "$out"; fi
done

tarball=${LIFEBOAT_DIST_TARBALL:-$(ls "$ROOT"/dist/target/lifeboat-*.tar.gz 2>/dev/null | head -n 1)}
if [ -z "$tarball" ]; then
  (cd "$ROOT" && mvn -B -ntp -q -DskipTests package -pl dist -am) >"$TMP/build.log" 2>&1 </dev/null
  tarball=$(ls "$ROOT"/dist/target/lifeboat-*.tar.gz 2>/dev/null | head -n 1)
fi
[ -f "$tarball" ] || { not_ok "a lifeboat-VERSION.tar.gz" "$(tail -n 20 "$TMP/build.log" 2>/dev/null)"; finish; }
release=$(basename "$tarball" .tar.gz)

R="$TMP/root"
mkdir -p "$R/opt" "$R/systemd"
printf 'estate: farmtally\n' >"$TMP/lifeboat.yml"
cat >"$TMP/vars.yml" <<VARS
lifeboat_host: app1
lifeboat_tarball: $tarball
lifeboat_config_src: $TMP/lifeboat.yml
lifeboat_prefix: $R/opt
lifeboat_home: $R/opt/lifeboat
lifeboat_etc: $R/etc/lifeboat
lifeboat_systemd_dir: $R/systemd
lifeboat_env_owner: $(id -un)
lifeboat_env_group: $(id -gn)
lifeboat_install_java: false
lifeboat_agent_start: false
lifeboat_env:
  LIFEBOAT_S3_ACCESS_KEY: test-access
  LIFEBOAT_S3_SECRET_KEY: test-secret
VARS
play() { (cd "$ANS" && ANSIBLE_NOCOLOR=1 ansible-playbook -i localhost, -c local \
  -e ansible_python_interpreter=/usr/bin/python3 -e "@$TMP/vars.yml" -e ansible_become=false \
  "$@" agent.yml) >"$TMP/play.out" 2>&1; }
recap() { grep -E '^localhost +:' "$TMP/play.out"; }

if play --check; then
  if [ -z "$(find "$R/opt" "$R/systemd" -mindepth 1)" ] && [ ! -e "$R/etc" ]; then
    ok "--check against localhost runs every task and writes nothing ($(recap | tr -s ' '))"
  else not_ok "--check writes nothing" "$(find "$R")"; fi
else not_ok "--check against localhost" "$(cat "$TMP/play.out")"; fi

if play; then ok "a real run against localhost ($(recap | tr -s ' '))"
else not_ok "a real run against localhost" "$(cat "$TMP/play.out")"; finish; fi
[ "$(readlink "$R/opt/lifeboat")" = "$R/opt/$release" ] && [ -x "$R/opt/lifeboat/bin/lifeboat" ] \
  && ok "lifeboat_home links to the unpacked $release" \
  || not_ok "lifeboat_home links to the unpacked $release" "$(ls -l "$R/opt")"
envf="$R/etc/lifeboat/lifeboat.env"
if [ "$(stat -c %a "$envf" 2>/dev/null)" = 600 ] && grep -qx "LIFEBOAT_HOME=$R/opt/lifeboat" "$envf" \
  && grep -qx "LIFEBOAT_CONFIG=$R/etc/lifeboat/lifeboat.yml" "$envf" \
  && grep -qx 'LIFEBOAT_S3_SECRET_KEY=test-secret' "$envf"; then
  ok "the env file is 0600 with the home, the config and the secrets"
else not_ok "the env file is 0600 with the home, the config and the secrets" "$(ls -l "$envf"; cat "$envf")"; fi
cmp -s "$TMP/lifeboat.yml" "$R/etc/lifeboat/lifeboat.yml" && ok "the config is in place" \
  || not_ok "the config is in place"
cmp -s "$R/opt/$release/systemd/lifeboat-agent@.service" "$R/systemd/lifeboat-agent@.service" \
  && grep -q 'ExecStart=/opt/lifeboat/bin/lifeboat agent --host %i' "$R/systemd/lifeboat-agent@.service" \
  && ok "the distribution's agent unit is installed" \
  || not_ok "the distribution's agent unit is installed" "$(ls -l "$R/systemd")"
if play; then
  if recap | grep -q 'changed=0 '; then ok "a second run changes nothing"
  else not_ok "a second run changes nothing" "$(grep -E '^(changed|TASK)' "$TMP/play.out" | grep -B1 changed)"; fi
else not_ok "a second run" "$(cat "$TMP/play.out")"; fi
if v=$(env -i PATH="$PATH" HOME="$TMP" LIFEBOAT_ENV_FILE="$envf" "$R/opt/lifeboat/bin/lifeboat" --version 2>&1); then
  ok "the installed bin/lifeboat runs ($v)"
else not_ok "the installed bin/lifeboat runs" "$v"; fi
finish
