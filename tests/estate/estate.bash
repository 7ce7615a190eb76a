#!/usr/bin/env bash
# tests/estate/estate.bash: a test estate of several machines on this one (issue 17).
#
#   estate.bash up NAME...        one "machine" per NAME (docs/design/architecture.md, "The test
#                                 estate"); prints "NAME ADDRESS" per host
#   estate.bash exec NAME -- CMD  runs CMD as a process of NAME (its network, mount and UTS
#                                 namespaces); exec's all the way, so the caller's child is CMD
#   estate.bash ssh NAME CMD...   CMD over SSH from here, the host key pinned (no
#                                 StrictHostKeyChecking=no: known_hosts holds the key up made)
#   estate.bash address NAME      NAME's address on the bridge
#   estate.bash stop NAME         the machine is lost: every process in it SIGKILLed (its
#                                 sshd, agent, servers) and its link set down; down removes it
#   estate.bash down              removes every namespace, veth, the bridge and every process
#                                 up started (also what a failed or killed up left)
#
# A machine is a network namespace (one veth on the bridge lbe0, 10.231.77.0/24, no default
# route, no uplink), a mount namespace in which tmpfs covers /etc/nginx, /etc/lifeboat (the
# host's own env file), /opt (release roots, PM2 homes, an unpacked distribution) and
# /var/lib/postgresql (so the machine sees only its own), and a UTS namespace
# with its own hostname. Each runs sshd on its address. Temporal, S3 and PostgreSQL listen on
# 127.0.0.1 in the root namespace, which a namespace cannot reach: in each machine a socat
# listens on its own 127.0.0.1:PORT and dials the bridge address, where one socat per port
# dials 127.0.0.1:PORT. So every connection goes to loopback or to an address on the bridge.
# Root only. Tools missing are installed by the launcher's ensure_estate_tools.
set -Eeuo pipefail
shopt -s nullglob

HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
ESTATE_RUN=${LIFEBOAT_ESTATE_RUN:-/run/lifeboat-estate}
BRIDGE=lbe0
NET=10.231.77
BRIDGE_ADDR=$NET.1
FORWARD_PORTS=${LIFEBOAT_ESTATE_PORTS:-7233 9000 9100 55432}
HOST_DIRS=(/etc/nginx /etc/lifeboat /opt /var/lib/postgresql)

say() { printf '%s\n' "$*"; }
die() { printf 'estate: %s\n' "$*" >&2; exit 1; }

ensure_tools() {
  if command -v ip >/dev/null && command -v unshare >/dev/null && command -v nsenter >/dev/null \
     && command -v socat >/dev/null && [ -x /usr/sbin/sshd ] && command -v ssh >/dev/null \
     && command -v ssh-keygen >/dev/null; then
    return 0
  fi
  # The launcher's helpers (apt-get); its state directory is the stack's (LIFEBOAT_HOME).
  (
    ROOT=${LIFEBOAT_HOME:-$REPO}
    # shellcheck source=../../launcher/common.bash
    . "$REPO/launcher/common.bash"
    # shellcheck source=../../launcher/install.bash
    . "$REPO/launcher/install.bash"
    ensure_estate_tools
  )
}

ns_of() { printf 'lbe-%s' "$1"; }
dir_of() { printf '%s/%s' "$ESTATE_RUN" "$1"; }

in_host() { # NAME CMD...: exec CMD inside NAME's namespaces
  local name=$1; shift
  local d; d=$(dir_of "$name")
  [ -e "/run/netns/$(ns_of "$name")" ] && [ -e "$d/mnt" ] || die "no host '$name' in the estate"
  local wd=$PWD
  [ -d "$wd" ] || wd=/
  exec nsenter --net="/run/netns/$(ns_of "$name")" --mount="$d/mnt" --uts="$d/uts" --wd="$wd" \
    -- "$@"
}

address_of() {
  local a
  a=$(awk -v n="$1" '$1 == n {print $2}' "$ESTATE_RUN/hosts" 2>/dev/null)
  [ -n "$a" ] || die "no host '$1' in the estate"
  printf '%s' "$a"
}

# Kills a process we started, by the pid file we wrote, only while it still is that program.
kill_pidfile() { # FILE PROGRAM
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 0
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]; then kill -9 "$pid" 2>/dev/null || true; fi
}

# Kills every process whose network namespace is the machine's, until none is left. One pass
# of `ip netns pids` is not enough: a process forked between the listing and the kill (an nginx
# worker, an sshd session) survived it, and once the name was deleted nothing could find it
# again. Matched by the namespace's inode in /proc/PID/ns/net, which outlives the name.
kill_machine() { # NS
  local inode pid pids i
  inode=$(stat -L -c %i "/run/netns/$1" 2>/dev/null) || return 0
  for i in $(seq 50); do
    pids=()
    for pid in /proc/[0-9]*; do
      [ "$(readlink "$pid/ns/net" 2>/dev/null)" = "net:[$inode]" ] && pids+=("${pid#/proc/}")
    done
    [ ${#pids[@]} -eq 0 ] && return 0
    kill -9 "${pids[@]}" 2>/dev/null || true
    sleep 0.1
  done
  echo "estate: processes still in $1 after 5 s: ${pids[*]}" >&2
}

cmd_down() {
  local names=() n d
  if [ -f "$ESTATE_RUN/hosts" ]; then
    while read -r n _; do names+=("$n"); done <"$ESTATE_RUN/hosts"
  fi
  for d in "$ESTATE_RUN"/*/; do names+=("$(basename "$d")"); done
  # namespaces a killed `up` made before it wrote hosts (the lbe- prefix is this harness's own)
  while read -r n _; do
    [[ $n == lbe-* ]] && names+=("${n#lbe-}")
  done < <(ip netns list 2>/dev/null)
  local seen=" "
  for n in "${names[@]}"; do
    [[ $seen == *" $n "* ]] && continue
    seen+="$n "
    local ns; ns=$(ns_of "$n")
    if [ -e "/run/netns/$ns" ]; then
      # every process in the machine: sshd, its sessions, the forwarders, the agent, nginx
      kill_machine "$ns"
      ip netns del "$ns" 2>/dev/null || true
    fi
    ip link del "$ns" 2>/dev/null || true
    d=$(dir_of "$n")
    umount "$d/mnt" 2>/dev/null || true
    umount "$d/uts" 2>/dev/null || true
  done
  local f
  for f in "$ESTATE_RUN"/fwd-*.pid; do kill_pidfile "$f" socat; done
  ip link del "$BRIDGE" 2>/dev/null || true
  if mountpoint -q "$ESTATE_RUN" 2>/dev/null; then umount -l "$ESTATE_RUN" 2>/dev/null || true; fi
  rm -rf "$ESTATE_RUN"
}

# Waits until CMD succeeds (50 tries, 0.1 s apart).
await() { # WHAT CMD...
  local what=$1 i; shift
  for i in $(seq 50); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "$what did not come up"
}

tcp_open() { timeout 2 bash -c "</dev/tcp/$1/$2"; }

host_up() { # NAME ADDRESS
  local name=$1 addr=$2 ns d p
  ns=$(ns_of "$name"); d=$(dir_of "$name")
  mkdir -p "$d"
  ip netns add "$ns"
  ip link add "$ns" type veth peer name eth0 netns "$ns"
  ip link set "$ns" master "$BRIDGE" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up
  # no default route: the machine's only routes are loopback and the bridge's /24
  if ip -n "$ns" route show default | grep -q .; then die "$name has a default route"; fi

  # mount and UTS namespaces kept by bind-mounted namespace files
  touch "$d/mnt" "$d/uts"
  unshare --mount="$d/mnt" --uts="$d/uts" --propagation private hostname "$name"
  local dirs=() x
  for x in "${HOST_DIRS[@]}"; do
    [ -d "$x" ] || { mkdir -p "$x"; say "estate: made the empty mount point $x" >&2; }
    dirs+=("$x")
  done
  # tmpfs mounted inside the machine only: its files never exist in the root namespace
  nsenter --mount="$d/mnt" -- bash -c '
    set -e
    name=$1; shift
    for x in "$@"; do mount -t tmpfs -o mode=0755,size=${LIFEBOAT_ESTATE_TMPFS:-1g} "estate-$name" "$x"; done
    printf "events {}\nhttp {}\n" >/etc/nginx/nginx.conf
    printf "%s %s\n" "$name" "$(cat /proc/sys/kernel/random/uuid)" >/etc/nginx/lifeboat-estate-host
    mkdir -p /opt/farmtally /opt/pm2 /var/lib/postgresql/15
  ' estate "$name" "${dirs[@]}"

  # forwarders: the machine's 127.0.0.1:PORT -> the bridge address
  for p in $FORWARD_PORTS; do
    ( in_host "$name" socat "TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork" "TCP:$BRIDGE_ADDR:$p" \
        </dev/null >>"$d/socat.log" 2>&1 ) &
    echo $! >"$d/fwd-$p.pid"
    disown
  done

  # sshd with a host key of its own; known_hosts pins it for the control side
  ssh-keygen -q -t ed25519 -N '' -C "root@$name" -f "$d/ssh_host_ed25519_key"
  printf '%s %s\n' "$addr" "$(cut -d' ' -f1,2 <"$d/ssh_host_ed25519_key.pub")" \
    >>"$ESTATE_RUN/known_hosts"
  mkdir -p /run/sshd
  ( in_host "$name" /usr/sbin/sshd -f /dev/null -h "$d/ssh_host_ed25519_key" \
      -o "ListenAddress=$addr:22" -o "PidFile=$d/sshd.pid" \
      -o "AuthorizedKeysFile=$ESTATE_RUN/authorized_keys" -o StrictModes=no \
      -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o UsePAM=no \
      -o PermitRootLogin=prohibit-password -E "$d/sshd.log" </dev/null >/dev/null 2>&1 )
  printf '%s %s\n' "$name" "$addr" >>"$ESTATE_RUN/hosts"
}

cmd_up() {
  [ $# -gt 0 ] || die "up: name at least one host"
  [ "$(id -u)" -eq 0 ] || die "up: needs root (network and mount namespaces)"
  local n
  for n in "$@"; do
    [[ $n =~ ^[a-z][a-z0-9]{0,10}$ ]] || die "up: '$n' is not a host name (a-z0-9, at most 11)"
  done
  local dup
  dup=$(printf '%s\n' "$@" | sort | uniq -d | head -1)
  [ -z "$dup" ] || die "up: host '$dup' named twice"
  [ $# -le 200 ] || die "up: at most 200 hosts"
  [ ! -e "$ESTATE_RUN" ] || die "up: an estate is up already ($ESTATE_RUN); estate.bash down first"
  if ip -4 addr show | grep -q " $NET\."; then die "up: $NET.0/24 is in use on this machine"; fi
  ensure_tools
  trap 'rc=$?; cmd_down; exit $rc' EXIT
  mkdir -p "$ESTATE_RUN"
  # namespace files can only be bind-mounted on a mount that does not propagate
  mount --bind "$ESTATE_RUN" "$ESTATE_RUN"
  mount --make-private "$ESTATE_RUN"
  ip link add "$BRIDGE" type bridge
  ip addr add "$BRIDGE_ADDR/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  ssh-keygen -q -t ed25519 -N '' -C estate-client -f "$ESTATE_RUN/client_key"
  cp "$ESTATE_RUN/client_key.pub" "$ESTATE_RUN/authorized_keys"
  : >"$ESTATE_RUN/known_hosts"
  local p
  for p in $FORWARD_PORTS; do
    socat "TCP-LISTEN:$p,bind=$BRIDGE_ADDR,reuseaddr,fork" "TCP:127.0.0.1:$p" \
      </dev/null >>"$ESTATE_RUN/socat.log" 2>&1 &
    echo $! >"$ESTATE_RUN/fwd-$p.pid"
    disown
  done
  local i=11
  for n in "$@"; do host_up "$n" "$NET.$i"; i=$((i + 1)); done
  # each machine answers: sshd on its address, and the stack's ports (those that answer here)
  # through its own loopback
  for n in "$@"; do
    await "sshd of $n" tcp_open "$(address_of "$n")" 22
    for p in $FORWARD_PORTS; do
      if tcp_open 127.0.0.1 "$p"; then
        await "127.0.0.1:$p inside $n" "$HERE/estate.bash" exec "$n" -- bash -c "</dev/tcp/127.0.0.1/$p"
      fi
    done
  done
  trap - EXIT
  cat "$ESTATE_RUN/hosts"
}

cmd_stop() { # NAME: kills every process of the machine and takes its link down
  local ns
  ns=$(ns_of "$1")
  [ -e "/run/netns/$ns" ] || die "no host '$1' in the estate"
  kill_machine "$ns"
  ip link set "$ns" down
}

cmd_ssh() {
  local name=$1; shift
  local addr; addr=$(address_of "$name")
  exec ssh -F /dev/null -i "$ESTATE_RUN/client_key" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$ESTATE_RUN/known_hosts" \
    -o GlobalKnownHostsFile=/dev/null -o ConnectTimeout=5 "root@$addr" "$@"
}

case ${1:-} in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  stop) [ $# -eq 2 ] || die "usage: estate.bash stop NAME"; cmd_stop "$2" ;;
  exec)
    [ $# -ge 4 ] && [ "$3" = -- ] || die "usage: estate.bash exec NAME -- CMD..."
    name=$2; shift 3; in_host "$name" "$@" ;;
  ssh) [ $# -ge 3 ] || die "usage: estate.bash ssh NAME CMD..."; shift; cmd_ssh "$@" ;;
  address) [ $# -eq 2 ] || die "usage: estate.bash address NAME"; address_of "$2"; echo ;;
  *) die "usage: estate.bash up NAME... | exec NAME -- CMD... | ssh NAME CMD... | address NAME | stop NAME | down" ;;
esac
