#!/usr/bin/env bash
# Checks docker-compose.yml without a Docker engine: Debian's docker-compose validates it
# (`config -q`), then its shape is checked, and the worker's config with `lifeboat config check`.
# Prints `ok - NAME` / `not ok - NAME` and `N passed, M failed`; exits non-zero on failure.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
cd "$ROOT" || exit 2
COMPOSE_FILE="$ROOT/docker-compose.yml"
STATE="$ROOT/.lifeboat"
passed=0 failed=0

ok() { printf 'ok - %s\n' "$1"; passed=$((passed + 1)); }
not_ok() { printf 'not ok - %s\n' "$1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/#   /'; failed=$((failed + 1)); }
finish() { printf '%s passed, %s failed\n' "$passed" "$failed"; [ "$failed" -eq 0 ]; exit $?; }

# docker-compose: Debian's package, else pip into .lifeboat/venv (only when apt cannot)
DC=""
find_compose() {
  if command -v docker-compose >/dev/null 2>&1 && docker-compose version >/dev/null 2>&1; then DC=docker-compose; return 0; fi
  if [ -x "$STATE/venv/bin/docker-compose" ]; then DC="$STATE/venv/bin/docker-compose"; return 0; fi
  return 1
}
if ! find_compose; then
  mkdir -p "$STATE/logs"
  echo "# installing docker-compose (apt-get install docker-compose)"
  sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
  if command -v apt-get >/dev/null 2>&1 \
     && { "${sudo[@]}" apt-get install -y -q --no-install-recommends docker-compose >>"$STATE/logs/install.log" 2>&1 \
          || { "${sudo[@]}" apt-get update -q >>"$STATE/logs/install.log" 2>&1 \
               && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker-compose >>"$STATE/logs/install.log" 2>&1; }; }; then
    :
  else
    echo "# apt-get could not install docker-compose; trying pip install docker-compose into .lifeboat/venv"
    { [ -x "$STATE/venv/bin/pip" ] || python3 -m venv "$STATE/venv"; } >>"$STATE/logs/install.log" 2>&1
    "$STATE/venv/bin/pip" install -q docker-compose >>"$STATE/logs/install.log" 2>&1 || true
  fi
  find_compose || true
fi

if [ -n "$DC" ]; then ok "docker-compose is available ($($DC version --short 2>/dev/null || echo '?'))"
else not_ok "docker-compose is available" "see .lifeboat/logs/install.log"; finish; fi

# Validate with the same variables unset that a user's shell would not have
if out=$(env -u LIFEBOAT_S3_ACCESS_KEY -u LIFEBOAT_S3_SECRET_KEY -u LIFEBOAT_PG_PASSWORD \
           -u LIFEBOAT_OFFSITE_ACCESS_KEY -u LIFEBOAT_OFFSITE_SECRET_KEY \
           "$DC" -f "$COMPOSE_FILE" config -q 2>&1); then
  ok "docker-compose config -q accepts docker-compose.yml"
else
  not_ok "docker-compose config -q accepts docker-compose.yml" "$out"
fi

services=$("$DC" -f "$COMPOSE_FILE" config --services 2>/dev/null | sort | tr '\n' ' ')
missing=""
for s in postgresql temporal temporal-ui minio minio-init minio-offsite minio-offsite-init worker; do
  [[ " $services" == *" $s "* ]] || missing+=" $s"
done
if [ -z "$missing" ]; then ok "services: $services"; else not_ok "services include postgresql temporal temporal-ui minio minio-init minio-offsite minio-offsite-init worker" "missing:$missing"; fi

resolved=$("$DC" -f "$COMPOSE_FILE" config 2>/dev/null)
check_contains() { # name pattern
  if grep -qE -- "$2" <<<"$resolved"; then ok "$1"; else not_ok "$1" "no match for /$2/ in the resolved compose file"; fi
}
check_contains "temporal-ui publishes 8233 -> 8080" 'published: "?8233"?|8233:8080'
check_contains "temporal uses temporalio/auto-setup" 'image: temporalio/auto-setup:'
check_contains "the worker is built from the root Dockerfile" 'context: '"$ROOT"'$'
check_contains "minio credentials default to the local stack's" 'MINIO_ROOT_USER: lifeboat-local'
# The offsite copy (issue #8): its own MinIO, its bucket made with Object Lock, the worker waits
# for it and has its credentials, and the worker's config points at it.
check_contains "minio-offsite publishes 9100 -> 9000" 'published: "?9100"?|9100:9000'
check_contains "the offsite bucket is created with Object Lock" 'mc mb --ignore-existing --with-lock'
check_contains "minio-offsite credentials default to the offsite ones" 'MINIO_ROOT_USER: lifeboat-offsite'
check_contains "the worker gets the offsite credentials" 'LIFEBOAT_OFFSITE_SECRET_KEY: lifeboat-offsite-secret'
if awk '/^  worker:/{w=1} w && /minio-offsite-init:/{f=1} END{exit !f}' "$COMPOSE_FILE"; then
  ok "the worker starts after minio-offsite-init"
else
  not_ok "the worker starts after minio-offsite-init"
fi
# The Object Lock test runs the MinIO release the launcher builds (MINIO_RELEASE): compose runs
# the same one, so what was tested is what compose users get.
minio_release=$(sed -n 's/^MINIO_RELEASE="\(.*\)"$/\1/p' "$ROOT/launcher/common.bash")
minio_images=$(grep -cE "image: quay.io/minio/minio:${minio_release}\$" "$COMPOSE_FILE")
if [ -n "$minio_release" ] && [ "$minio_images" -eq 2 ] \
   && ! grep -E 'image: quay.io/minio/minio:' "$COMPOSE_FILE" | grep -qv "$minio_release"; then
  ok "minio and minio-offsite run $minio_release, the release the Object Lock test ran"
else
  not_ok "minio and minio-offsite run the launcher's MINIO_RELEASE (${minio_release:-unset})" \
    "$(grep -E 'image: quay.io/minio/minio:' "$COMPOSE_FILE")"
fi
if grep -qE '^offsite:' "$ROOT/examples/farmtally/lifeboat.compose.yml" \
   && grep -qE 'endpoint: http://minio-offsite:9000' "$ROOT/examples/farmtally/lifeboat.compose.yml"; then
  ok "the compose config copies offsite to minio-offsite"
else
  not_ok "the compose config copies offsite to minio-offsite"
fi
sa_missing=""
for sa in LifeboatDatabase LifeboatKind LifeboatOutcome LifeboatRtoStatus LifeboatWaitingStep; do
  grep -qw -- "$sa" <<<"$resolved" || sa_missing+=" $sa"
done
if [ -z "$sa_missing" ]; then ok "temporal-init registers the five search attributes"
else not_ok "temporal-init registers the five search attributes" "missing:$sa_missing"; fi

if [ -f Dockerfile ] && grep -q '^FROM eclipse-temurin:17' Dockerfile \
   && grep -q 'io.lifeboat.worker.WorkerMain' Dockerfile \
   && grep -q 'starter-cli/target/lifeboat-cli.jar' Dockerfile; then
  ok "Dockerfile: eclipse-temurin:17, copies the CLI jar and lib/, runs WorkerMain"
else
  not_ok "Dockerfile: eclipse-temurin:17, copies the CLI jar and lib/, runs WorkerMain"
fi

cfg="$ROOT/examples/farmtally/lifeboat.compose.yml"
if out=$("$ROOT/lifeboat" config check --config "$cfg" 2>&1 </dev/null); then
  ok "lifeboat config check accepts examples/farmtally/lifeboat.compose.yml"
else
  not_ok "lifeboat config check accepts examples/farmtally/lifeboat.compose.yml" "$out"
fi

finish
