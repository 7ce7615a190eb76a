#!/usr/bin/env bash
# The local stack on the cloud-storage emulators (issue 20): `./lifeboat up --config
# examples/farmtally/lifeboat-clouds.yml` puts the primary repository on fake-gcs-server and the
# offsite copy on Azurite, both started by up as stack parts. Then, through the launcher as an
# operator types it: status, backup db --wait, verify --wait, the offsite copy from the GCS
# primary to Azurite (offsite sync --wait, offsite verify), recover db --latest from the
# primary and again --from offsite (the Azure copy), each after rows were deleted; then down,
# leaving nothing running. What landed where is read from each emulator's own API (GCS JSON
# listing, Azure List Blobs), not through Lifeboat.
#
# The stack lives in its own state directory (LIFEBOAT_STACK_STATE=.lifeboat/test-clouds, made
# fresh and removed after), so the shared stack's Temporal history, PostgreSQL cluster (and its
# WAL archive) and keys are never touched. The config is the example's text with the keys in
# that directory. Ports: the example's (the shell lane runs this before the e2e lane's up, when
# they are free); LIFEBOAT_TEST_PORT_OFFSET=N moves every port this stack binds by N, to run
# it beside a stack that is up. Prints `ok - NAME` / `not ok - NAME` and `N passed, M failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
LB="$ROOT/lifeboat"
EXAMPLE="$ROOT/examples/farmtally/lifeboat-clouds.yml"
export LIFEBOAT_STACK_STATE="$ROOT/.lifeboat/test-clouds"
SD=$LIFEBOAT_STACK_STATE
OFF=${LIFEBOAT_TEST_PORT_OFFSET:-0}
TMP=$(mktemp -d)
passed=0 failed=0
DB=farmtally_production

ok() { printf 'ok - %s\n' "$1"; passed=$((passed + 1)); }
not_ok() {
  printf 'not ok - %s\n' "$1"; failed=$((failed + 1))
  [ -z "${2:-}" ] || printf '%s\n' "$2" | tail -n 20 | sed 's/^/#   /'
}
check() { # name command...: ok when the command succeeds (its output shown when it does not)
  local name=$1; shift
  if "$@" >"$TMP/check.out" 2>&1; then ok "$name"; else not_ok "$name" "$(cat "$TMP/check.out")"; fi
}
listening() {
  awk -v p="$(printf ':%04X' "$1")" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
ours() { # "pid argv" of every process that runs from this test's state directory
  local d c
  for d in /proc/[0-9]*; do
    c=$(tr '\0' ' ' 2>/dev/null <"$d/cmdline") || continue
    [[ $c == *"$SD/"* || $c == *"$SD "* || $c == *"-Dlifeboat.state=$SD"* ]] && printf '%s %s\n' "${d#/proc/}" "$c"
  done
  return 0
}
cleanup() {
  "$LB" down --config "$CFG" >/dev/null 2>&1 </dev/null
  rm -rf "$TMP" "$SD"
}

# ---- the config: the example, its keys in the state directory, its ports moved by OFF
T_PORT=$((7233 + OFF)) UI_PORT=$((8233 + OFF)) CODEC_PORT=$((8234 + OFF)) GCS_PORT=$((4443 + OFF))
AZ_PORT=$((10000 + OFF)) PG_PORT=$((55432 + OFF)) METRICS_PORT=$((9464 + OFF))
export LIFEBOAT_APP_PORT=$((3300 + OFF)) LIFEBOAT_ACME_PORT=$((14000 + OFF))
export LIFEBOAT_ACME_MGMT_PORT=$((15000 + OFF)) LIFEBOAT_ACME_DNS_PORT=$((8053 + OFF))
export LIFEBOAT_ACME_DNS_MGMT_PORT=$((8055 + OFF))
PORTS=("$T_PORT" "$UI_PORT" "$CODEC_PORT" "$GCS_PORT" "$AZ_PORT" "$PG_PORT" "$METRICS_PORT"
       "$LIFEBOAT_APP_PORT" "$LIFEBOAT_ACME_PORT" "$LIFEBOAT_ACME_DNS_MGMT_PORT")
GCS="http://127.0.0.1:$GCS_PORT" AZ="http://127.0.0.1:$AZ_PORT"
AZ_ACCOUNT=devstoreaccount1
CFG="$SD/lifeboat-clouds.yml"

busy=""
for p in "${PORTS[@]}"; do listening "$p" && busy+=" $p"; done
if [ -n "$busy$(ours)" ]; then
  not_ok "the ports of the clouds stack are free at the start (in use:${busy:- none}; $(ours | head -n 3))"
  printf '%s passed, %s failed\n' "$passed" "$failed"
  rm -rf "$TMP"; exit 1
fi
ok "the ports of the clouds stack are free at the start (${PORTS[*]})"
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$SD"; mkdir -p "$SD"
sed -e "s#\.\./\.\./\.lifeboat/keys/#$SD/keys/#" \
    -e "s#127.0.0.1:7233#127.0.0.1:$T_PORT#; s#localhost:8233#localhost:$UI_PORT#" \
    -e "s#codecServerPort: 8234#codecServerPort: $CODEC_PORT#; s#127.0.0.1:4443#127.0.0.1:$GCS_PORT#" \
    -e "s#127.0.0.1:10000/#127.0.0.1:$AZ_PORT/#; s#port: 55432#port: $PG_PORT#; s#port: 9464#port: $METRICS_PORT#" \
    "$EXAMPLE" >"$CFG"
lb() { "$LB" "$@" --config "$CFG" </dev/null; }

# ---- up
t0=$(date +%s)
if lb up >"$TMP/up.out" 2>"$TMP/up.err"; then
  ok "up --config lifeboat-clouds.yml exits 0 ($(( $(date +%s) - t0 )) s)"
else
  not_ok "up --config lifeboat-clouds.yml exits 0" "$(cat "$TMP/up.out" "$TMP/up.err")"
fi
started() {
  grep -q '^gcs: started fake-gcs-server' "$TMP/up.out" && grep -q '^gcs: created bucket farmtally-backups$' "$TMP/up.out" \
    && grep -q '^azure: started Azurite' "$TMP/up.out" \
    && grep -q '^azure: created container farmtally-offsite (account devstoreaccount1)$' "$TMP/up.out" \
    || { cat "$TMP/up.out"; return 1; }
}
check "up started fake-gcs-server and Azurite and made the bucket and the container" started
no_s3proxy() { # the repository is not on S3: no s3proxy, no s3 row
  ! grep -q '^s3\|^offsite' "$TMP/up.out" && [ -z "$(ours | grep s3proxy)" ] || { cat "$TMP/up.out"; ours; return 1; }
}
check "up started no s3proxy (neither repository is on S3)" no_s3proxy

status_rows() {
  local out rc=0
  out=$(lb status 2>&1) || rc=$?
  printf '%s\n(exit %s)\n' "$out" "$rc"
  [ "$rc" -eq 0 ] \
    && grep -Eq "^gcs +$GCS farmtally-backups \(repository\) +running \(pid [0-9]+\) +yes$" <<<"$out" \
    && grep -Eq "^azure +$AZ devstoreaccount1/farmtally-offsite \(offsite\) +running \(pid [0-9]+\) +yes$" <<<"$out" \
    && ! grep -Eq '^(s3|offsite) ' <<<"$out"
}
check "status exits 0 and shows gcs and azure running and answering (no s3 rows)" status_rows

gcs_keys() { # every object name in a GCS bucket, from fake-gcs-server's JSON API
  curl -fsS -m 10 "$GCS/storage/v1/b/$1/o?prefix=${2:-}" \
    | python3 -c 'import json,sys; [print(o["name"]) for o in json.load(sys.stdin).get("items", [])]'
}
STATE=$SD
# shellcheck source=launcher/clouds.bash
. "$ROOT/launcher/clouds.bash"   # for azure_request, a standalone function (curl, openssl)
az_keys() { # every blob name in an Azure container, from Azurite's List Blobs (signed)
  local code
  code=$(AZ_OUT="$TMP/list.xml" azure_request GET "$AZ" "$AZ_ACCOUNT" "$LIFEBOAT_AZURE_KEY" "$1" \
    "comp=list&restype=container") || return 1
  [ "$code" = 200 ] || { echo "List Blobs: HTTP $code: $(cat "$TMP/list.xml")"; return 1; }
  grep -o '<Name>[^<]*</Name>' "$TMP/list.xml" | sed 's#</\?Name>##g'
}
LIFEBOAT_AZURE_KEY=${LIFEBOAT_AZURE_KEY:-Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==}

# ---- backup and verify on the GCS primary
if lb backup db "$DB" --wait >"$TMP/backup.out" 2>&1; then ok "backup db $DB --wait exits 0"
else not_ok "backup db $DB --wait exits 0" "$(cat "$TMP/backup.out")"; fi
MANIFEST=""
in_gcs() {
  gcs_keys farmtally-backups "lifeboat/db/$DB/full/" >"$TMP/gcs.keys" || return 1
  cat "$TMP/gcs.keys"
  MANIFEST=$(grep -m1 '/manifest\.json$' "$TMP/gcs.keys") && [ "$(grep -c . "$TMP/gcs.keys")" -ge 2 ]
}
check "the dump and its manifest are in fake-gcs-server's bucket farmtally-backups" in_gcs
MANIFEST=$(grep -m1 '/manifest\.json$' "$TMP/gcs.keys" 2>/dev/null) || MANIFEST=""
if lb verify --wait >"$TMP/verify.out" 2>&1; then ok "verify --wait exits 0 (restored from GCS and validated)"
else not_ok "verify --wait exits 0" "$(cat "$TMP/verify.out")"; fi

# ---- the offsite copy: from the GCS primary to Azurite
if lb offsite sync --wait >"$TMP/sync.out" 2>&1; then ok "offsite sync --wait exits 0 (GCS primary to Azure)"
else not_ok "offsite sync --wait exits 0" "$(cat "$TMP/sync.out")"; fi
in_azure() {
  az_keys farmtally-offsite >"$TMP/az.keys" || { cat "$TMP/az.keys"; return 1; }
  cat "$TMP/az.keys"
  # every object of the backup in GCS now (verify added its record), the same key in Azure
  gcs_keys farmtally-backups "lifeboat/db/$DB/full/" | sort >"$TMP/gcs.now" || return 1
  local missing; missing=$(grep "^lifeboat/db/$DB/full/" "$TMP/az.keys" | sort | comm -23 "$TMP/gcs.now" -)
  [ -z "$missing" ] || { echo "in GCS, not in Azure: $missing"; return 1; }
  [ -n "$MANIFEST" ] && grep -qxF "$MANIFEST" "$TMP/az.keys"
}
check "Azurite's container farmtally-offsite holds every object of the backup in GCS ($MANIFEST)" in_azure
if lb offsite verify >"$TMP/overify.out" 2>&1; then ok "offsite verify exits 0 (every Azure object read back)"
else not_ok "offsite verify exits 0" "$(cat "$TMP/overify.out")"; fi

# ---- recovery: from the primary, then from the Azure copy, each after rows were deleted
psql_db() {
  PGPASSWORD=${LIFEBOAT_PG_PASSWORD:-lifeboat-local} /usr/lib/postgresql/15/bin/psql -X -At \
    -h 127.0.0.1 -p "$PG_PORT" -U lifeboat -d "$DB" -c "$1"
}
BEFORE=$(psql_db 'select count(*) from tallies' 2>&1) || BEFORE=""
recover() { # name args...
  local name=$1 after; shift
  psql_db "delete from tallies where id % 3 = 0" >/dev/null 2>&1
  local damaged; damaged=$(psql_db 'select count(*) from tallies' 2>&1)
  if lb recover db "$DB" --latest "$@" --wait >"$TMP/recover.out" 2>&1; then
    after=$(psql_db 'select count(*) from tallies' 2>&1)
    if [[ $BEFORE =~ ^[0-9]+$ ]] && [ "$damaged" != "$BEFORE" ] && [ "$after" = "$BEFORE" ]; then
      ok "$name: tallies back to $BEFORE rows (were $damaged after the delete)"
    else
      not_ok "$name: tallies back to the backup's rows" "before $BEFORE, damaged $damaged, after $after"
    fi
  else
    not_ok "$name exits 0" "$(cat "$TMP/recover.out")"
  fi
}
recover "recover db $DB --latest (from the GCS primary)"
recover "recover db $DB --latest --from offsite (from the Azure copy)" --from offsite

# ---- down
if lb down >"$TMP/down.out" 2>&1; then ok "down exits 0"; else not_ok "down exits 0" "$(cat "$TMP/down.out")"; fi
stopped() {
  grep -q '^gcs: stopped' "$TMP/down.out" && grep -q '^azure: stopped' "$TMP/down.out" || { cat "$TMP/down.out"; return 1; }
}
check "down stopped fake-gcs-server and Azurite" stopped
left=$(ours)
if [ -z "$left" ]; then ok "after down no process of the clouds stack runs"; else not_ok "after down no process of the clouds stack runs" "$left"; fi
pids=$(ls "$SD/run/"*.pid 2>/dev/null)
if [ -z "$pids" ]; then ok "after down no pid files are left"; else not_ok "after down no pid files are left" "$pids"; fi
open=""; for p in "${PORTS[@]}"; do listening "$p" && open+=" $p"; done
if [ -z "$open" ]; then ok "after down ports ${PORTS[*]} are closed"; else not_ok "after down ports are closed" "still listening:$open"; fi

printf '%s passed, %s failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
