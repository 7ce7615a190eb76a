#!/usr/bin/env bash
# The example Ansible's role lifeboat_agent (examples/farmtally/ansible/agent.yml): syntax of
# both playbooks; then against localhost (connection local), with every path under a temp dir
# and without systemd (lifeboat_agent_start=false, so enabling and starting the unit is NOT
# exercised here) and without apt (lifeboat_install_java=false): a --check run on a fresh root
# changes nothing; a real run unpacks lifeboat-VERSION.tar.gz, links lifeboat_home to it,
# writes the config, the env file (0600, the settings and the secrets given) and the agent's
# unit from the distribution; a second run changes nothing; the unpacked bin/lifeboat answers
# --version. Then lifeboat_service_manager=process (a host without systemd), with a config
# whose one host is app1 and whose Temporal is the local stack's (LIFEBOAT_TEMPORAL_ADDRESS,
# default 127.0.0.1:7233; its own task queue; skipped when nothing listens there): a run starts
# the agent under the role's supervisor (the supervisor its parent, `agent --host app1` on its
# command line, both pid files, the log); a second run changes nothing and leaves the same
# processes; SIGKILL to the agent: the supervisor starts a new one; a changed env file restarts
# both; a config that does not name app1: the agent exits 2 and the supervisor does not restart
# it. Needs the tarball (dist/target, or LIFEBOAT_DIST_TARBALL=FILE; built with
# mvn -DskipTests package -pl dist -am when missing). Prints ok/not ok lines and a count.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
ANS="$ROOT/examples/farmtally/ansible"
TMP=$(mktemp -d)
passed=0 failed=0
stop_agent() {
  local pid
  pid=$(cat "$TMP/root/agent/supervisor.pid" 2>/dev/null) && kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  pid=$(cat "$TMP/root/agent/agent.pid" 2>/dev/null) && kill -KILL "$pid" 2>/dev/null
  return 0
}
trap 'stop_agent; rm -rf "$TMP"' EXIT

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

# --- lifeboat_service_manager=process: the agent as a supervised background process ---------
temporal=${LIFEBOAT_TEMPORAL_ADDRESS:-127.0.0.1:7233}
if ! (exec 3<>"/dev/tcp/${temporal%:*}/${temporal##*:}") 2>/dev/null; then
  printf 'ok - # skip the process mode: no Temporal at %s (./lifeboat up)\n' "$temporal"
  finish
fi
agent_config() { # $1: the host the config names
  cat <<YML
estate: farmtally
temporal: {address: "$temporal", taskQueue: "ansible-agent-test-$$"}
repository: {endpoint: "http://127.0.0.1:9", bucket: none, accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY,
  secretKeyEnv: LIFEBOAT_S3_SECRET_KEY}
databases:
  - {name: probe, host: 127.0.0.1, port: 9, user: lifeboat, passwordEnv: LIFEBOAT_PG_PASSWORD}
hosts:
  - {name: $1, address: 127.0.0.1}
YML
}
agent_config app1 >"$TMP/agent.yml"
A="$R/agent"
process_vars() { # $1: one more env line
  sed -e "s|^lifeboat_config_src: .*|lifeboat_config_src: $TMP/agent.yml|" \
    -e '/^lifeboat_agent_start:/d' "$TMP/vars.yml"
  printf '  LIFEBOAT_PG_PASSWORD: test-pg\n  LIFEBOAT_LOG_LEVEL: INFO\n%s' "${1:-}"
  printf 'lifeboat_service_manager: process\nlifeboat_agent_dir: %s\n' "$A"
}
process_vars >"$TMP/vars.yml.process"
pplay() { (cd "$ANS" && ANSIBLE_NOCOLOR=1 ansible-playbook -i localhost, -c local \
  -e ansible_python_interpreter=/usr/bin/python3 -e "@$TMP/vars.yml.process" \
  -e ansible_become=false agent.yml) >"$TMP/play.out" 2>&1; }
ppid_of() { awk '{print $4}' "/proc/$1/stat" 2>/dev/null; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
# waits (at most 60 s) for CMD to succeed
await() { for _ in $(seq 600); do "$@" && return 0; sleep 0.1; done; return 1; }
polling() { grep -q "Agent agent@app1/$1 started" "$A/agent.log" 2>/dev/null; }

if pplay; then ok "a run with lifeboat_service_manager=process ($(recap | tr -s ' '))"
else not_ok "a run with lifeboat_service_manager=process" "$(cat "$TMP/play.out")"; finish; fi
sup=$(cat "$A/supervisor.pid" 2>/dev/null) agent=$(cat "$A/agent.pid" 2>/dev/null)
if alive "$sup" && alive "$agent" && [ "$(ppid_of "$agent")" = "$sup" ] \
  && tr '\0' ' ' <"/proc/$agent/cmdline" | grep -q "io.lifeboat.cli.LifeboatCli agent --host app1" \
  && tr '\0' ' ' <"/proc/$sup/cmdline" | grep -q "lifeboat-agent-supervise app1"; then
  ok "the agent runs under the role's supervisor (supervisor $sup, agent $agent)"
else not_ok "the agent runs under the role's supervisor" "$(ps -o pid,ppid,args -p "$sup" -p "$agent" 2>&1; cat "$A/agent.log" 2>&1)"; fi
if await polling "$agent"; then ok "the supervised agent polls its host's queue"
else not_ok "the supervised agent polls its host's queue" "$(cat "$A/agent.log")"; fi
grep -qx "LIFEBOAT_AGENT_RUN_DIR=$A" "$R/etc/lifeboat/lifeboat.env" \
  && ok "the env file points the agent's records into lifeboat_agent_dir" \
  || not_ok "the env file points the agent's records into lifeboat_agent_dir"
if pplay && recap | grep -q 'changed=0 ' && [ "$(cat "$A/supervisor.pid")" = "$sup" ] \
  && [ "$(cat "$A/agent.pid")" = "$agent" ] && alive "$agent"; then
  ok "a second run changes nothing and leaves the same agent"
else not_ok "a second run changes nothing and leaves the same agent" "$(cat "$TMP/play.out")"; fi

kill -KILL "$agent"
restarted() { local p; p=$(cat "$A/agent.pid" 2>/dev/null) && [ "$p" != "$agent" ] && alive "$p"; }
if await restarted && alive "$sup" && grep -q "(pid $agent) exited 137" "$A/agent.log"; then
  ok "a SIGKILLed agent is started again by its supervisor (now $(cat "$A/agent.pid"))"
else not_ok "a SIGKILLed agent is started again by its supervisor" "$(tail -n 5 "$A/agent.log")"; fi

process_vars '  LIFEBOAT_EXTRA: changed
' >"$TMP/vars.yml.process"
if pplay && recap | grep -qv 'changed=0 ' && ! alive "$sup" \
  && alive "$(cat "$A/supervisor.pid")" && alive "$(cat "$A/agent.pid")"; then
  ok "a changed env file restarts the supervisor and the agent ($(recap | tr -s ' '))"
else not_ok "a changed env file restarts the supervisor and the agent" "$(cat "$TMP/play.out")"; fi

agent_config db1 >"$TMP/agent.yml"
sup=$(cat "$A/supervisor.pid")
gone() { ! alive "$(cat "$A/supervisor.pid" 2>/dev/null)"; }
if pplay && await gone && grep -q "exit 2 is bad input" "$A/agent.log" \
  && grep -q "host 'app1' is not in" "$A/agent.log"; then
  ok "an agent refused with exit 2 (app1 not in the config) is not restarted"
else not_ok "an agent refused with exit 2 is not restarted" "$(cat "$TMP/play.out"; tail -n 5 "$A/agent.log")"; fi
finish
