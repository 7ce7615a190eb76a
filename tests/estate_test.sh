#!/usr/bin/env bash
# Checks the test estate harness (tests/estate/estate.bash) on its own, without the stack: two
# hosts come up isolated (own hostname, /etc/nginx and /etc/lifeboat, no route out, only the bridge), SSH to
# one works with its pinned host key, a wrong key is refused, and down leaves nothing behind.
# Prints `ok - NAME` / `not ok - NAME` and `N passed, M failed`; exits non-zero on failure.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
E="$ROOT/tests/estate/estate.bash"
RUN=${LIFEBOAT_ESTATE_RUN:-/run/lifeboat-estate}
passed=0 failed=0

ok() { printf 'ok - %s\n' "$1"; passed=$((passed + 1)); }
not_ok() { printf 'not ok - %s\n' "$1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/#   /'; failed=$((failed + 1)); }
check() { local name=$1; shift; local out; if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "$out"; fi; }

if [ "$(id -u)" -ne 0 ]; then
  printf 'ok - skipped: the test estate needs root\n1 passed, 0 failed\n'; exit 0
fi
# One estate per machine: the e2e classes (Estate.java) hold a POSIX lock on LOCK while theirs is
# up; this test takes the same lock (python's lockf is the same fcntl lock as Java's FileChannel
# lock; flock(1) is another kind that would not exclude it), kept across the exec of this script.
LOCK=${LIFEBOAT_ESTATE_LOCK:-/run/lifeboat-estate.lock}
if [ -z "${LIFEBOAT_ESTATE_LOCKED:-}" ]; then
  exec python3 -c '
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_CREAT | os.O_WRONLY, 0o644)
deadline, told = time.monotonic() + 1200, False
while True:
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        break
    except OSError:
        if time.monotonic() > deadline:
            print("not ok - another test has held the estate (%s) for 20 minutes" % sys.argv[1])
            print("0 passed, 1 failed")
            sys.exit(1)
        if not told:
            print("# another test holds %s; waiting for it" % sys.argv[1], flush=True)
            told = True
        time.sleep(1)
os.set_inheritable(fd, True)  # the lock lives as long as this fd in the process exec-ed next
os.environ["LIFEBOAT_ESTATE_LOCKED"] = "1"
os.execvp("bash", ["bash"] + sys.argv[2:])
' "$LOCK" "$0" "$@"
fi
# Holding the lock, an estate still up is what an earlier run left when it died (its holder is
# gone); it is torn down, as Estate.java does.
if [ -e "$RUN" ]; then
  printf '# an earlier run left an estate (%s): taking it down\n' "$RUN"
  bash "$E" down >/dev/null 2>&1 || { printf 'not ok - estate.bash down of the leftover estate\n0 passed, 1 failed\n'; exit 1; }
fi
trap 'bash "$E" down >/dev/null 2>&1' EXIT

check "up two hosts" bash "$E" up est1 est2
check "each host has its own hostname" \
  bash -c "[ \"\$(bash '$E' exec est1 -- hostname)\" = est1 ] && [ \"\$(bash '$E' exec est2 -- hostname)\" = est2 ]"
check "each host has its own /etc/nginx marker, the root namespace none" \
  bash -c "bash '$E' exec est1 -- cat /etc/nginx/lifeboat-estate-host | grep -q '^est1 ' \
    && bash '$E' exec est2 -- cat /etc/nginx/lifeboat-estate-host | grep -q '^est2 ' \
    && [ ! -e /etc/nginx/lifeboat-estate-host ]"
check "each host has its own /etc/lifeboat (its env file), seen by no other host nor the root" \
  bash -c "bash '$E' exec est1 -- bash -c 'echo est1 >/etc/lifeboat/estate-test.env' \
    && [ \"\$(bash '$E' exec est1 -- cat /etc/lifeboat/estate-test.env)\" = est1 ] \
    && bash '$E' exec est2 -- bash -c '[ ! -e /etc/lifeboat/estate-test.env ]' \
    && [ ! -e /etc/lifeboat/estate-test.env ]"
check "a host has no default route" \
  bash -c "[ -z \"\$(bash '$E' exec est1 -- ip route show default)\" ]"
# asked of the routing table (ip route get), so no packet is ever aimed outside the estate
check "a host has no route outside the bridge" \
  bash -c "! bash '$E' exec est1 -- ip route get 192.0.2.1 >/dev/null 2>&1 \
    && ! bash '$E' exec est1 -- ip route get 1.1.1.1 >/dev/null 2>&1 \
    && bash '$E' exec est1 -- ip route get 10.231.77.1 >/dev/null"
check "a host reaches the other over the bridge (sshd)" \
  bash -c "bash '$E' exec est1 -- timeout 3 bash -c '</dev/tcp/$(bash "$E" address est2 2>/dev/null)/22'"
check "ssh with the pinned host key runs on that host" \
  bash -c "[ \"\$(bash '$E' ssh est2 hostname)\" = est2 ]"
check "a wrong host key is refused" bash -c "
  set -e; addr=\$(bash '$E' address est2); k=\$(cut -d' ' -f1,2 '$RUN/est1/ssh_host_ed25519_key.pub')
  printf '%s %s\n' \"\$addr\" \"\$k\" > '$RUN/wrong_known_hosts'
  ! ssh -F /dev/null -i '$RUN/client_key' -o IdentitiesOnly=yes -o BatchMode=yes \
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile='$RUN/wrong_known_hosts' \
    -o GlobalKnownHostsFile=/dev/null root@\$addr true"
check "a host named twice is refused, in one line" \
  bash -c "out=\$(bash '$E' up dup dup 2>&1); [ \$? -ne 0 ] && [ \"\$out\" = \"estate: up: host 'dup' named twice\" ]"
# A machine that keeps forking (as an nginx master replaces a killed worker): down must leave
# none of its processes, including those forked after down first looked.
bash "$E" exec est1 -- setsid bash -c 'while :; do sleep 300 & sleep 0.002; done' >/dev/null 2>&1 &
sleep 0.5
est1_net=$(stat -L -c %i /run/netns/lbe-est1 2>/dev/null)
pids=$(for n in est1 est2; do ip netns pids "lbe-$n" 2>/dev/null; done; cat "$RUN"/fwd-*.pid 2>/dev/null)
check "down" bash "$E" down
check "down leaves no process of a machine that keeps forking" bash -c "
  [ -n '$est1_net' ] && for p in /proc/[0-9]*; do
    [ \"\$(readlink \$p/ns/net 2>/dev/null)\" != 'net:[$est1_net]' ] || exit 1; done"
check "down leaves no namespace, bridge, mount or process" bash -c "
  ! ip netns list | grep -q '^lbe-' && ! ip link show lbe0 >/dev/null 2>&1 && [ ! -e '$RUN' ] \
    && ! grep -q lifeboat-estate /proc/mounts \
    && for p in $(echo $pids); do [ ! -d /proc/\$p ] || grep -q '^State:.*Z' /proc/\$p/status || exit 1; done"
trap - EXIT
printf '%s passed, %s failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
