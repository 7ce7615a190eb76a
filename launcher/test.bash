# Sourced by ../lifeboat: ./lifeboat test and its lanes, the fault suite, the bad-input
# corpus's table.

# The tests start throwaway clusters whose archive_command and restore_command run this
# checkout's launcher as the postgres OS user. A clone under a 0700 directory (mktemp -d)
# hides it from that user: give it passage (o+x: enter, not list) through our own
# directories on the way, and say so; refuse clearly when that is not ours to change.
let_postgres_reach_checkout() {
  is_root && id postgres >/dev/null 2>&1 || return 0
  runuser -u postgres -- test -x "$ROOT/lifeboat" 2>/dev/null && return 0
  local d=$ROOT dirs=()
  while [ "$d" != / ]; do dirs=("$d" "${dirs[@]}"); d=$(dirname "$d"); done
  for d in "${dirs[@]}"; do
    if [ $(( 0$(stat -c %a "$d") & 1 )) -eq 0 ] && [ "$(stat -c %u "$d")" = "$(id -u)" ]; then
      chmod o+x "$d" && note "tests: the postgres OS user may now pass through $d (chmod o+x) to run $(rel "$ROOT/lifeboat") as archive_command"
    fi
  done
  runuser -u postgres -- test -x "$ROOT/lifeboat" 2>/dev/null \
    || die 1 "tests: the postgres OS user cannot run $ROOT/lifeboat (the test clusters' archive_command); let it reach this directory"
}

# ./lifeboat test [unit|shell|e2e|faults] [up's options]: one lane, or all four in this order.
# With both e2e and faults, the fault suite (its own Temporal, S3, PostgreSQL and workers on
# free ports) runs inside the e2e lane, beside the stack tests, once the estate's classes are
# done: two processes at a time, as before, and the run takes about 10 minutes less. Each lane
# prints what it ran; the end prints the time of every test class.
TEST_LANES="unit shell e2e faults"
FAULTS_BESIDE_E2E=0
FAULTS_BESIDE_RC=
FAULTS_BESIDE_SECONDS=
cmd_test() {
  local lanes=$TEST_LANES
  case ${1:-} in
    unit|shell|e2e|faults) lanes=$1; shift ;;
    all) shift ;;
    -*|'') ;;
    *) die 2 "test: unknown lane '$1' (lanes: $TEST_LANES; none: all of them)" ;;
  esac
  reserve_stack_ports
  ensure_tools
  [ "$lanes" = unit ] || ensure_test_tools
  let_postgres_reach_checkout
  build
  local failed=() lane t0 times=()
  find "$ROOT" -maxdepth 3 -path '*/target/surefire-reports' -prune -exec rm -rf {} + 2>/dev/null || true
  [[ " $lanes " == *" e2e "* && " $lanes " == *" faults "* ]] && FAULTS_BESIDE_E2E=1
  for lane in $lanes; do
    if [ "$lane" = faults ] && [ -n "$FAULTS_BESIDE_RC" ]; then
      [ "$FAULTS_BESIDE_RC" -eq 0 ] || failed+=(faults)
      times+=("faults ${FAULTS_BESIDE_SECONDS}s (beside e2e)")
      continue
    fi
    t0=$(now)
    "test_$lane" "$@" || failed+=("$lane")
    times+=("$lane $(( $(now) - t0 ))s")
  done
  print_class_times
  say "lifeboat test: lanes: ${times[*]}"
  if [ ${#failed[@]} -gt 0 ]; then
    printf 'lifeboat test: failed: %s\n' "${failed[*]}" >&2
    exit 1
  fi
  say "lifeboat test: all passed"
}

# Unit tests: no stack, no LIFEBOAT_IT (the e2e module's classes skip themselves without it).
test_unit() {
  say "== lifeboat test unit: mvn -B test (no stack)"
  (cd "$ROOT" && env -u LIFEBOAT_IT timeout -k 30 1200 mvn -B -ntp -Dstyle.color=never test </dev/null)
}

# The launcher, the compose file, the alert rules and the distribution (tests/*.sh).
test_shell() {
  local failed=0
  say "== lifeboat test shell: compose file"
  bash "$ROOT/tests/compose_test.sh" </dev/null || failed=1
  say "== lifeboat test shell: the worker image's Dockerfile (its tools; no engine: text checks)"
  bash "$ROOT/tests/docker_image_test.sh" </dev/null || failed=1
  if [ -f "$ROOT/tests/promtool_test.sh" ]; then
    say "== lifeboat test shell: alert rules (promtool)"
    bash "$ROOT/tests/promtool_test.sh" </dev/null || failed=1
  fi
  say "== lifeboat test shell: the distribution (tarball, bin/lifeboat, lifeboat-wal, units)"
  bash "$ROOT/tests/dist_test.sh" </dev/null || failed=1
  say "== lifeboat test shell: the example Ansible's lifeboat_agent role (after dist: its tarball)"
  bash "$ROOT/tests/ansible_agent_test.sh" </dev/null || failed=1
  say "== lifeboat test shell: test estate (machines as namespaces)"
  bash "$ROOT/tests/estate_test.sh" </dev/null || failed=1
  say "== lifeboat test shell: the optional engines (MariaDB, Redis, OpenSearch; free ports, a temp dir)"
  bash "$ROOT/tests/engines_test.sh" </dev/null || failed=1
  say "== lifeboat test shell: local stack (stops a running stack first)"
  "$ROOT/lifeboat" down >/dev/null </dev/null || true
  bash "$ROOT/tests/stack_test.sh" </dev/null || failed=1
  say "== lifeboat test shell: the local stack on GCS and Azure (fake-gcs-server, Azurite; its own state directory)"
  bash "$ROOT/tests/stack_clouds_test.sh" </dev/null || failed=1
  return "$failed"
}

# The tests that need the stack: the e2e module's, and any other module's test class gated on
# LIFEBOAT_IT (found by grep, so a new one cannot be left out of the lane). The unit tests are
# not run again here: the unit lane has them.
stack_tests() {
  local extra
  extra=$(cd "$ROOT" && grep -rl --include='*Test.java' 'named = "LIFEBOAT_IT"' -- */src/test/java \
    | grep -v '^e2e/' | xargs -r -n1 basename | sed 's/\.java$//' | LC_ALL=C sort | paste -sd, -)
  printf 'io.lifeboat.e2e.*Test%s' "${extra:+,$extra}"
}

# The e2e classes that bring up the namespaced estate (tests/estate): they hold one lock and
# run one at a time, mostly waiting on machines, networks and loads of their own.
estate_tests() {
  (cd "$ROOT/e2e/src/test/java" && grep -rl --include='*Test.java' 'new Estate(' . \
    | xargs -r -n1 basename | sed 's/\.java$//' | LC_ALL=C sort | paste -sd, -)
}

# The fault suite's classes (tagged faults): they skip themselves without LIFEBOAT_FAULTS, so
# the stack tests leave them out rather than report them as skipped beside their real run.
fault_tests() {
  (cd "$ROOT/e2e/src/test/java" && grep -rl --include='*Test.java' '@Tag("faults")' . \
    | xargs -r -n1 basename | sed 's/\.java$//' | LC_ALL=C sort | paste -sd, -)
}

# End-to-end against the real local stack: up, the stack tests with LIFEBOAT_IT=1, the
# bad-input corpus's table, down. The estate's classes run in a second surefire process beside
# the others (both against the same stack, as engineers' runs do from their worktrees): on two
# cores the lane then takes about the longer of the two instead of their sum. Everything is
# built and installed first, so the two processes only read the compiled classes.
test_e2e() {
  local rc=0 erc=0
  local tests; tests=$(stack_tests)
  local estate; estate=$(estate_tests)
  local faults; faults=$(fault_tests)
  local others="$tests${estate:+,!${estate//,/,!}}${faults:+,!${faults//,/,!}}"
  local elog="$ROOT/e2e/target/estate-lane.log"
  local flog="$ROOT/e2e/target/faults-lane.log"
  say "== lifeboat test e2e: up, then the stack tests with LIFEBOAT_IT=1 ($others), and beside them the estate's ($estate)"
  trap '"$ROOT/lifeboat" down </dev/null || true' EXIT
  if "$ROOT/lifeboat" up "$@" </dev/null; then
    (cd "$ROOT" && mvn -B -ntp -q -Dstyle.color=never install -DskipTests </dev/null) || rc=$?
    if [ "$rc" -eq 0 ]; then
      mkdir -p "$(dirname "$elog")"
      [ "$FAULTS_BESIDE_E2E" = 1 ] && ensure_acme_tools
      local chain=0
      [ -n "$estate" ] || [ "$FAULTS_BESIDE_E2E" = 1 ] && chain=1
      if [ "$chain" = 1 ]; then
        # The second process: the estate's classes, then (all lanes) the fault suite; its
        # result goes to a file, since this runs in a subshell.
        (
          erc=0
          if [ -n "$estate" ]; then
            (cd "$ROOT" && LIFEBOAT_IT=1 timeout -k 30 2700 mvn -B -ntp -Dstyle.color=never \
              -pl e2e surefire:test -Dtest="$estate" -Dsurefire.failIfNoSpecifiedTests=false \
              </dev/null >"$elog" 2>&1) || erc=$?
          fi
          echo "$erc" >"$elog.rc"
          if [ "$FAULTS_BESIDE_E2E" = 1 ]; then
            t0=$(now)
            frc=0
            run_faults_installed >"$flog" 2>&1 || frc=$?
            echo "$frc $(( $(now) - t0 ))" >"$flog.rc"
          fi
        ) &
      fi
      local epid=$!
      (cd "$ROOT" && LIFEBOAT_IT=1 timeout -k 30 2700 mvn -B -ntp -Dstyle.color=never \
        surefire:test -Dtest="$others" -Dsurefire.failIfNoSpecifiedTests=false </dev/null) || rc=$?
      [ "$rc" -eq 124 ] && note "mvn test timed out after 45 min"
      if [ "$chain" = 1 ]; then
        wait "$epid" || true
        if [ -n "$estate" ]; then
          erc=$(cat "$elog.rc" 2>/dev/null || echo 1)
          say "== lifeboat test e2e: the estate's classes (ran beside the others)"
          cat "$elog"
          [ "$erc" -eq 124 ] && note "the estate's mvn test timed out after 45 min"
          [ "$erc" -eq 0 ] || rc=$erc
        fi
        if [ "$FAULTS_BESIDE_E2E" = 1 ]; then
          say "== lifeboat test faults: the fault suite (ran beside the e2e lane's stack tests)"
          cat "$flog"
          read -r FAULTS_BESIDE_RC FAULTS_BESIDE_SECONDS <"$flog.rc" 2>/dev/null \
            || { FAULTS_BESIDE_RC=1; FAULTS_BESIDE_SECONDS=0; }
        fi
      fi
    fi
    print_corpus_table
  else
    rc=1
  fi
  say "== lifeboat test e2e: down"
  "$ROOT/lifeboat" down </dev/null || rc=1
  trap - EXIT
  return "$rc"
}

test_faults() {
  say "== lifeboat test faults: the fault suite (./lifeboat faults)"
  ensure_acme_tools
  run_faults
}

# Seconds per test class over every lane that ran, slowest first, from surefire's reports.
print_class_times() {
  local files
  files=$(find "$ROOT" -maxdepth 4 -path '*/target/surefire-reports/TEST-*.xml' 2>/dev/null) || true
  [ -n "$files" ] || return 0
  say "== lifeboat test: seconds per test class (slowest first)"
  printf '%s\n' "$files" | xargs -r -d '\n' sed -n 's/.*<testsuite [^>]*name="\([^"]*\)"[^>]*time="\([0-9.,]*\)".*/\2 \1/p;s/.*<testsuite [^>]*time="\([0-9.,]*\)"[^>]*name="\([^"]*\)".*/\1 \2/p' \
    | tr -d , | sort -rn | awk '{ printf "%9.1f  %s\n", $1, $2; total += $1 } END { printf "%9.1f  total\n", total }'
}

# The fault suite (issue #8): SIGKILLed workers, a restarted Temporal, a stopped S3, a flipped
# byte, a full disk. It runs on its own Temporal, s3proxy, PostgreSQL cluster and workers on
# free ports (never the shared stack, so it may run beside it) and prints its table.
FAULT_TABLE="$ROOT/e2e/target/faults/table.md"

# The suite, as `./lifeboat faults` and the faults lane run it (-am test: builds what it needs),
# or from the build the e2e lane installed (surefire:test alone: nothing is compiled while the
# stack tests beside it read the classes).
run_faults() { run_fault_suite -am test; }
run_faults_installed() { run_fault_suite surefire:test; }

run_fault_suite() {
  local rc=0
  rm -f "$FAULT_TABLE"
  (cd "$ROOT" && LIFEBOAT_IT=1 LIFEBOAT_FAULTS=1 LIFEBOAT_TEMPORAL_BIN="$TEMPORAL" \
    LIFEBOAT_S3PROXY_JAR="$S3PROXY_JAR" LIFEBOAT_PM2_BIN="$PM2_BIN" timeout -k 30 2700 \
    mvn -B -ntp -Dstyle.color=never -pl e2e "$@" -Dgroups=faults \
      -Dsurefire.failIfNoSpecifiedTests=false </dev/null) || rc=$?
  [ "$rc" -eq 124 ] && note "faults: mvn test timed out after 45 min"
  if [ -f "$FAULT_TABLE" ]; then
    cat "$FAULT_TABLE"
  else
    note "faults: no table was written ($(rel "$FAULT_TABLE")); see the mvn output above"
    rc=1
  fi
  return "$rc"
}

cmd_faults() {
  reserve_stack_ports
  ensure_tools
  # the server recovery entry runs its own pebble + challtestsrv, ansible, nginx and certbot
  ensure_acme_tools
  let_postgres_reach_checkout
  build
  local rc=0
  run_faults || rc=$?
  [ "$rc" -eq 0 ] || die 1 "faults: the fault suite failed (see the table and the mvn output above)"
  say "lifeboat faults: all passed"
}

# The bad-input corpus's summary, written by BadInputCorpusTest during mvn test.
print_corpus_table() {
  local t="$ROOT/e2e/target/bad-input/table.md"
  if [ -f "$t" ]; then cat "$t"; else note "bad-input corpus: no table was written ($(rel "$t"))"; fi
}
