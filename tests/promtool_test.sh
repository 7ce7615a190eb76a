#!/usr/bin/env bash
# The Prometheus alert rules in docs/operator/monitoring: `promtool check rules` on the rule file and on
# the dashboard's queries, then `promtool test rules` on each test group of
# lifeboat-alerts.test.yml on its own (so a failure names its case) and on the whole file.
# Installs promtool (Debian package `prometheus`) when missing; needs no running Prometheus.
# Prints `ok - NAME` / `not ok - NAME`, then `N passed, M failed` as its last line; exits
# non-zero when anything failed.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
DIR="$ROOT/docs/operator/monitoring"
RULES="$DIR/lifeboat-alerts.yml"
TESTS="$DIR/lifeboat-alerts.test.yml"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0

ok() { printf 'ok - %s\n' "$1"; passed=$((passed + 1)); }
not_ok() {
  printf 'not ok - %s\n' "$1"; failed=$((failed + 1))
  [ -z "${2:-}" ] || printf '%s\n' "$2" | tail -n 40 | sed 's/^/#   /'
}
finish() { printf '%d passed, %d failed\n' "$passed" "$failed"; [ "$failed" -eq 0 ]; exit; }

install_promtool() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || return 1
    sudo="sudo -n"
  fi
  echo "# installing promtool (Debian package prometheus)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q --no-install-recommends prometheus >"$TMP/apt.log" 2>&1 || {
    $sudo apt-get update -q >>"$TMP/apt.log" 2>&1
    $sudo apt-get install -y -q --no-install-recommends prometheus >>"$TMP/apt.log" 2>&1
  }
}

if ! command -v promtool >/dev/null 2>&1; then
  if install_promtool && command -v promtool >/dev/null 2>&1; then
    ok "promtool installed"
  else
    not_ok "promtool installed (apt-get install prometheus, as root)" "$(cat "$TMP/apt.log" 2>/dev/null)"
    finish
  fi
fi
echo "# $(promtool --version 2>&1 | head -n 1)"

if out=$(promtool check rules "$RULES" 2>&1); then
  ok "promtool check rules $(basename "$RULES"): $(printf '%s' "$out" | grep -o '[0-9]* rules found')"
else
  not_ok "promtool check rules $(basename "$RULES")" "$out"
fi

# The dashboard's queries must parse too: each becomes a recording rule ($database -> .*).
DASHBOARD="$DIR/lifeboat-dashboard.json"
# shellcheck disable=SC2016 # $database is Grafana's, not the shell's
{
  printf 'groups:\n  - name: dashboard-queries\n    rules:\n'
  sed -n 's/^ *"expr": "\(.*\)",\{0,1\}$/\1/p' "$DASHBOARD" \
    | sed -e 's/\\"/"/g' -e 's/\$database/.*/g' -e "s/'/''/g" \
    | awk '{ printf "      - record: dashboard_query_%d\n        expr: '"'"'%s'"'"'\n", NR, $0 }'
} >"$TMP/dashboard-queries.yml"
queries=$(grep -c 'record:' "$TMP/dashboard-queries.yml")
if [ "$queries" -gt 0 ] && out=$(promtool check rules "$TMP/dashboard-queries.yml" 2>&1); then
  ok "the $queries PromQL queries of $(basename "$DASHBOARD") parse"
else
  not_ok "the PromQL queries of $(basename "$DASHBOARD") parse" "$out
$(cat "$TMP/dashboard-queries.yml")"
fi

# Split the test file: the lines up to `tests:` are the header of every part; each group
# starts at a `  - ` item, and the `  # ` comment lines just before it name it.
cp "$RULES" "$TMP/"
awk -v dir="$TMP" '
  !intests { header = header $0 "\n"; if ($0 ~ /^tests:/) intests = 1; next }
  /^  # / { if (name == "") name = substr($0, 5); comments = comments $0 "\n"; next }
  /^  - / {
    if (file != "") close(file)
    n++; file = sprintf("%s/group%02d.yml", dir, n)
    printf "%s%s", header, comments > file
    print (name == "" ? "test group " n : name) > (dir "/group" sprintf("%02d", n) ".name")
    close(dir "/group" sprintf("%02d", n) ".name")
    name = ""; comments = ""
  }
  { if (file != "") print >> file }
' "$TESTS"

groups=0
for group in "$TMP"/group*.yml; do
  [ -e "$group" ] || break
  groups=$((groups + 1))
  name=$(cat "${group%.yml}.name")
  if out=$(cd "$TMP" && promtool test rules "$(basename "$group")" 2>&1); then
    ok "$name"
  else
    not_ok "$name" "$out"
  fi
done
if [ "$groups" -eq 0 ]; then
  not_ok "test groups found in $(basename "$TESTS")"
fi

if out=$(promtool test rules "$TESTS" 2>&1); then
  ok "promtool test rules $(basename "$TESTS") (all $groups groups together)"
else
  not_ok "promtool test rules $(basename "$TESTS")" "$out"
fi
finish
