# Sourced by ../lifeboat after stack.bash: the repository on Google Cloud Storage or Azure Blob
# on this machine (issue 20). When the config puts its primary repository, its offsite copy or
# one of its copy repositories on GCS or Azure at a loopback http endpoint, `up` runs the
# emulator there as a stack part, as it runs s3proxy for S3: fake-gcs-server (part gcs) and
# Azurite (part azure), installed by install.bash (resolve_fake_gcs, resolve_azurite), their
# data under .lifeboat/, the buckets and containers created. `config stack-env` names what they
# serve (GCS_* and AZURE_* lines; none for a config without them, so the default stack starts
# neither). The worker needs nothing more from here: the GCS store talks to an endpoint without
# credentials, the Azure store signs with the key in the variable the config names
# (LIFEBOAT_AZURE_KEY defaults to Azurite's development key in common.bash; the WAL client gets
# it through its env file, pg_archive_conf).

GCS_DIR="$STATE/gcs"                   # fake-gcs-server's filesystem backend: root/BUCKET/...
AZURE_DIR="$STATE/azurite"             # Azurite's --location (its database and extents)

cloud_host() { local h=${1#*://}; h=${h%%/*}; printf '%s' "${h%:*}"; }   # http://H:P → H

# "role:bucket role:account/container ..." → "bucket B (role), ..." for the tables
cloud_uses() {
  local item out=()
  for item in $1; do out+=("${item#*:} (${item%%:*})"); done
  local IFS=,
  printf '%s' "${out[*]}" | sed 's/,/, /g'
}

wait_cloud_port() { # part what port log
  local i
  for ((i = 0; i < 240; i++)); do
    alive "$PID" || { note "$2 exited while starting; the end of $(rel "$4"):"; log_tail "$4"; exit 1; }
    port_listening "$3" && return 0
    sleep 0.25
  done
  note "$2 did not open port $3 in 60 s; see $(rel "$4")"
  log_tail "$4"
  exit 1
}

start_gcs() {
  local host log="$LOGS/gcs.log" item bucket code
  host=$(cloud_host "$SE_GCS_ENDPOINT")
  if part_pid gcs; then
    say "gcs: already running (pid $PID)"
  else
    resolve_fake_gcs
    mkdir -p "$GCS_DIR/root"
    spawn gcs "$log" "$LIFEBOAT_FAKE_GCS_BIN" -scheme http -host "$host" -port "$SE_GCS_PORT" \
      -backend filesystem -filesystem-root "$GCS_DIR/root" -public-host "$host:$SE_GCS_PORT" \
      -external-url "$SE_GCS_ENDPOINT" -log-level warn
    say "gcs: started fake-gcs-server (pid $PID)"
  fi
  wait_cloud_port gcs fake-gcs-server "$SE_GCS_PORT" "$log"
  for item in $SE_GCS_BUCKETS; do
    bucket=${item#*:}
    code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' "$SE_GCS_ENDPOINT/storage/v1/b/$bucket") || true
    [ "$code" = 200 ] && continue
    code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      --data "{\"name\":\"$bucket\"}" "$SE_GCS_ENDPOINT/storage/v1/b?project=lifeboat-local") || true
    [ "$code" = 200 ] || die 1 "gcs: could not create bucket $bucket at $SE_GCS_ENDPOINT (HTTP $code; see $(rel "$log"))"
    say "gcs: created bucket $bucket"
  done
}

start_azure() {
  local host log="$LOGS/azurite.log" item acct container key code
  host=$(cloud_host "$SE_AZURE_ENDPOINT")
  if part_pid azure; then
    say "azure: already running (pid $PID)"
  else
    resolve_azurite
    mkdir -p "$AZURE_DIR"
    # The accounts the config names, with their keys (Azurite then serves only these); the
    # variable reaches Azurite alone, never a command line. Without --disableTelemetry Azurite
    # 3.37 reports to Microsoft, starts slower and outlives a SIGTERM by 20 s and more.
    AZURITE_ACCOUNTS=$SE_AZURE_ACCOUNTS spawn azure "$log" "$LIFEBOAT_AZURITE_BIN" \
      --blobHost "$host" --blobPort "$SE_AZURE_PORT" --location "$AZURE_DIR" --silent \
      --disableTelemetry
    say "azure: started Azurite (pid $PID)"
  fi
  wait_cloud_port azure Azurite "$SE_AZURE_PORT" "$log"
  for item in $SE_AZURE_CONTAINERS; do
    item=${item#*:}; acct=${item%%/*}; container=${item#*/}
    key=$(azure_account_key "$acct")
    code=$(azure_request PUT "$SE_AZURE_ENDPOINT" "$acct" "$key" "$container" restype=container) || true
    case $code in
      201) say "azure: created container $container (account $acct)" ;;
      409) ;;   # ContainerAlreadyExists
      *) die 1 "azure: could not create container $container at $SE_AZURE_ENDPOINT/$acct (HTTP $code; see $(rel "$log"))" ;;
    esac
  done
}

azure_account_key() { # account → its key from AZURE_ACCOUNTS ("account:key;...")
  local a
  local IFS=';'
  for a in $SE_AZURE_ACCOUNTS; do [ "${a%%:*}" = "$1" ] && { printf '%s' "${a#*:}"; return 0; }; done
  return 1
}

# A body-less request to Azurite (or Azure) signed with the account's shared key ("Shared Key"
# authorization: the string to sign is the verb, eleven empty standard headers, the x-ms-
# headers and the canonical resource /ACCOUNT/PATH-AS-SENT with the query parameters sorted).
# Prints the HTTP status; the body goes to AZ_OUT (default: discarded). Used by up to create
# containers and by tests/stack_clouds_test.sh to list blobs, without an Azure client.
azure_request() { # method endpoint account key path [query: name=value&...]
  local method=$1 ep=$2 acct=$3 key=$4 path=$5 query=${6:-}
  local date ver=2021-08-06 resource sig hexkey extra=()
  date=$(LC_ALL=C TZ=GMT date '+%a, %d %b %Y %H:%M:%S GMT')
  resource="/$acct/$acct/$path"
  if [ -n "$query" ]; then
    resource+=$'\n'$(tr '&' '\n' <<<"$query" | LC_ALL=C sort | sed 's/=/:/')
  fi
  hexkey=$(printf '%s' "$key" | base64 -d | od -An -vtx1 | tr -d ' \n')
  sig=$(printf '%s\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:%s\nx-ms-version:%s\n%s' "$method" "$date" "$ver" "$resource" \
    | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hexkey" -binary | base64 -w0)
  [ "$method" != PUT ] || extra=(-H 'Content-Length: 0')
  curl -s -o "${AZ_OUT:-/dev/null}" -m 10 -w '%{http_code}' -X "$method" "${extra[@]}" \
    -H "x-ms-date: $date" -H "x-ms-version: $ver" -H "Authorization: SharedKey $acct:$sig" \
    "$ep/$acct/$path${query:+?$query}"
}

cloud_answers() { # gcs|azure: the emulator answers HTTP (any status)
  local url
  case $1 in
    gcs) url="$SE_GCS_ENDPOINT/storage/v1/b" ;;
    azure) url="$SE_AZURE_ENDPOINT/" ;;
  esac
  [ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url" 2>/dev/null)" != 000 ]
}
