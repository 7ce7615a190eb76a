# Sourced by ../lifeboat: the local ACME certificate authority the server recovery's TLS step
# talks to (Debian's pebble, with pebble-challtestsrv as its DNS), and the recovery targets'
# processes. Uses the launcher's helpers (spawn, stop_pid, port_listening, say, note, die).
#
# Ports are fixed, as the example config's servers[].acme names them:
#   pebble ACME        https://127.0.0.1:14000/dir    (management: https://127.0.0.1:15000)
#   challtestsrv DNS   127.0.0.1:8053 (udp+tcp)       (management: http://127.0.0.1:8055)
# pebble validates HTTP-01 against port LIFEBOAT_ACME_HTTP_PORT (8080: the dr target's nginx)
# of whatever address challtestsrv answers for the domain; names without a record resolve to
# 127.0.0.1, so a certificate is only issued once the DNS step pointed the domain at the target.

ACME_DIR="$STATE/acme"
# (LIFEBOAT_ACME_*: a second stack beside the first, tests/stack_clouds_test.sh, moves them)
ACME_PORT=${LIFEBOAT_ACME_PORT:-14000}
ACME_MGMT_PORT=${LIFEBOAT_ACME_MGMT_PORT:-15000}
ACME_DNS_PORT=${LIFEBOAT_ACME_DNS_PORT:-8053}
ACME_DNS_MGMT_PORT=${LIFEBOAT_ACME_DNS_MGMT_PORT:-8055}
ACME_HTTP_PORT=${LIFEBOAT_ACME_HTTP_PORT:-8080}
ACME_TLS_PORT=${LIFEBOAT_ACME_TLS_PORT:-8443}

ensure_acme_tools() {
  command -v pebble >/dev/null 2>&1 && command -v pebble-challtestsrv >/dev/null 2>&1 \
    || apt_install "pebble (local ACME server)" pebble
  command -v ansible-playbook >/dev/null 2>&1 || apt_install ansible ansible
  command -v nginx >/dev/null 2>&1 || apt_install nginx nginx
  command -v certbot >/dev/null 2>&1 || apt_install certbot certbot
  command -v openssl >/dev/null 2>&1 || apt_install openssl openssl
  # the rfc2136 DNS provider (nsupdate) and its test's throwaway BIND
  { command -v nsupdate >/dev/null 2>&1 && command -v named >/dev/null 2>&1; } \
    || apt_install "bind9 (RFC 2136 DNS updates)" bind9 bind9-dnsutils
}

# pebble needs a TLS certificate of its own: a throwaway CA (ca.pem: what certbot trusts through
# REQUESTS_CA_BUNDLE) and a leaf for localhost and 127.0.0.1. Made once; kept in .lifeboat/acme.
acme_certs() {
  mkdir -p "$ACME_DIR"
  [ -s "$ACME_DIR/ca.pem" ] && [ -s "$ACME_DIR/cert.pem" ] && [ -s "$ACME_DIR/key.pem" ] && return 0
  (
    cd "$ACME_DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=lifeboat local ACME CA" \
      -keyout ca.key -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout key.pem -out leaf.csr
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >leaf.ext
    openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile leaf.ext -out cert.pem
    rm -f leaf.csr leaf.ext
    chmod 600 ca.key key.pem
  ) >>"$LOGS/acme.log" 2>&1 || die 1 "acme: openssl could not make pebble's certificate (see $(rel "$LOGS/acme.log"))"
}

acme_config() {
  cat >"$ACME_DIR/pebble.json" <<JSON
{
  "pebble": {
    "listenAddress": "127.0.0.1:$ACME_PORT",
    "managementListenAddress": "127.0.0.1:$ACME_MGMT_PORT",
    "certificate": "$ACME_DIR/cert.pem",
    "privateKey": "$ACME_DIR/key.pem",
    "httpPort": $ACME_HTTP_PORT,
    "tlsPort": $ACME_TLS_PORT,
    "ocspResponderURL": "",
    "externalAccountBindingRequired": false
  }
}
JSON
}

acme_pid() { # challtestsrv|pebble → PID of ours, from the pid file
  local pid
  PID=""
  [ -f "$RUN/$1.pid" ] || return 1
  pid=$(cat "$RUN/$1.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  read_cmdline "$pid" || return 1
  case $1 in
    challtestsrv) [[ $PROC_ARGV0 == *pebble-challtestsrv* ]] ;;
    pebble) [[ $PROC_ARGV0 == *pebble && $PROC_CMD == *"$ACME_DIR/pebble.json"* ]] ;;
  esac || return 1
  PID=$pid
}

acme_wait_port() { # part port log
  local i
  for ((i = 0; i < 100; i++)); do
    port_listening "$2" && return 0
    alive "$PID" || break
    sleep 0.1
  done
  note "$1 did not open port $2; the end of $(rel "$3"):"; log_tail "$3"; exit 1
}

start_acme() {
  mkdir -p "$RUN" "$LOGS"
  ensure_acme_tools
  acme_certs
  acme_config
  if acme_pid challtestsrv; then
    say "acme dns: already running (pid $PID)"
  else
    port_listening "$ACME_DNS_MGMT_PORT" && die "$EX_PORT_IN_USE" "port $ACME_DNS_MGMT_PORT (pebble-challtestsrv) is in use by another process"
    spawn challtestsrv "$LOGS/challtestsrv.log" pebble-challtestsrv \
      -dns01 "127.0.0.1:$ACME_DNS_PORT" -management "127.0.0.1:$ACME_DNS_MGMT_PORT" \
      -http01 "" -https01 "" -tlsalpn01 "" -defaultIPv4 127.0.0.1 -defaultIPv6 ""
    acme_wait_port challtestsrv "$ACME_DNS_MGMT_PORT" "$LOGS/challtestsrv.log"
    say "acme dns: started pebble-challtestsrv (pid $PID, DNS 127.0.0.1:$ACME_DNS_PORT)"
  fi
  if acme_pid pebble; then
    say "acme: already running (pid $PID)"
  else
    port_listening "$ACME_PORT" && die "$EX_PORT_IN_USE" "port $ACME_PORT (pebble) is in use by another process"
    PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 spawn pebble "$LOGS/pebble.log" pebble \
      -config "$ACME_DIR/pebble.json" -dnsserver "127.0.0.1:$ACME_DNS_PORT"
    acme_wait_port pebble "$ACME_PORT" "$LOGS/pebble.log"
    say "acme: started pebble (pid $PID, https://127.0.0.1:$ACME_PORT/dir, CA $(rel "$ACME_DIR/ca.pem"))"
  fi
}

stop_acme() {
  local part
  for part in pebble challtestsrv; do
    if acme_pid "$part"; then
      stop_pid "$part" "$PID" 10
      say "acme $part: stopped (pid $PID)"
    fi
    rm -f "$RUN/$part.pid"
  done
}

status_acme() { # rows of the status table; false unless both run and answer
  local part pid answers rc=0
  for part in challtestsrv pebble; do
    answers=no pid=stopped
    acme_pid "$part" && pid="running (pid $PID)"
    case $part in
      pebble) curl -fsS -m 3 --cacert "$ACME_DIR/ca.pem" -o /dev/null "https://127.0.0.1:$ACME_PORT/dir" 2>/dev/null && answers=yes
              printf '%-10s %-52s %-20s %s\n' acme "https://127.0.0.1:$ACME_PORT/dir (pebble)" "$pid" "$answers" ;;
      challtestsrv) port_listening "$ACME_DNS_MGMT_PORT" && answers=yes
              printf '%-10s %-52s %-20s %s\n' acme-dns "127.0.0.1:$ACME_DNS_PORT (pebble-challtestsrv)" "$pid" "$answers" ;;
    esac
    [ "$answers" = yes ] || rc=1
  done
  return $rc
}

# The recovery targets' own processes (nginx, PM2 daemon, PostgreSQL cluster): the Java CLI
# knows them from the config; only when it is built (down must not build).
stop_targets() {
  classpath
  [ -n "${LIFEBOAT_CLASSPATH:-}" ] || [ -f "$CLI_JAR" ] || return 0
  java -cp "$CP" io.lifeboat.cli.LifeboatCli target stop --all --config "$CONFIG" || true
}
