#!/usr/bin/env bash
# scripts/temporal-server.sh: the production engine (--temporal server, ./run temporal-server; docs/operations.md,
# The two engines): its binaries built once from the Go module proxy (the server from our own module,
# tools/temporal-server), its certificates, its databases and schemas, the server and the Web UI
# server, the namespace and search attributes. Sourced by ../run.
set -euo pipefail

# A real Temporal server keeping its state in PostgreSQL (persistence and visibility), configured by
# the files in config/temporal-server/ (the same ones docker-compose.yml mounts), and the Web UI
# server beside it. The dev server of CLI v1.5.1 embeds exactly these two versions. The server is
# our build (tools/temporal-server, whose go.mod pins the same version): Temporal's server with an
# authorizer that lets the workers' credential run workers; the SQL tool is the stock one.
TEMPORAL_SERVER_MODULE="go.temporal.io/server"
TEMPORAL_SERVER_VERSION="v1.29.1"
TEMPORAL_SERVER_SOURCE="$ROOT/tools/temporal-server"
TEMPORAL_UI_SERVER_MODULE="github.com/temporalio/ui-server/v2"
TEMPORAL_UI_SERVER_VERSION="v2.42.1"
TEMPORAL_SERVER_CONFIG="$ROOT/config/temporal-server"
# How long the namespace keeps a closed order's history (set when ./run creates the namespace; an
# existing namespace keeps its own: temporal operator namespace update --retention ...).
TEMPORAL_RETENTION="72h"

need_go() { # need_go WHAT
  command -v go >/dev/null 2>&1 || die "the production engine (--temporal server) is built from source, once, and
       this machine has no Go toolchain to build $1 with. Install Go 1.21 or newer
       (it fetches by itself the newer toolchain the module asks for; Debian 13's golang-go will do,
       Debian 12's 1.19 will not), or run without --temporal server: the dev server needs only the
       temporal CLI (./run test needs it either way: end-to-end suites run on both engines)."
}

# go_tool NAME PACKAGE VERSION: prints $CACHE/bin/NAME-VERSION, built once with go install from
# PACKAGE@VERSION (go install names a binary after its package's last element, hence the rename).
go_tool() {
  local name="$1" package="$2" version="$3" tool="$CACHE/bin/$1-$3" gobin
  if [[ ! -x "$tool" ]]; then
    need_go "$name $version"
    say "building $name $version into $CACHE/bin (once; a few minutes)" >&2
    mkdir -p "$CACHE/bin"
    gobin="$(mktemp -d "$CACHE/bin/.build-XXXXXX")"
    if ! (cd /tmp && GOBIN="$gobin" GOFLAGS=-mod=mod go install "$package@$version") >&2; then
      rm -rf "$gobin"
      die "could not build $name ($package@$version)"
    fi
    mv "$gobin/${package##*/}" "$tool" && rm -rf "$gobin"
  fi
  echo "$tool"
}

# own_server_tool: prints $CACHE/bin/temporal-server-<hash>, built from tools/temporal-server when no
# build of its current sources exists (the hash covers go.mod, go.sum and the non-test .go files, so
# any change there builds anew). The name's prefix is what the end-to-end tests look the process up by.
own_server_tool() {
  local hash tool built
  hash="$(cd "$TEMPORAL_SERVER_SOURCE" && find . -maxdepth 1 \( -name go.mod -o -name go.sum -o -name '*.go' \) ! -name '*_test.go' \
    | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)"
  tool="$CACHE/bin/temporal-server-$hash"
  if [[ ! -x "$tool" ]]; then
    need_go "the Temporal server (tools/temporal-server)"
    say "building the Temporal server $TEMPORAL_SERVER_VERSION (tools/temporal-server) into $tool (once per change; a few minutes)" >&2
    mkdir -p "$CACHE/bin"
    built="$(mktemp "$CACHE/bin/.build-XXXXXX")"
    (cd "$TEMPORAL_SERVER_SOURCE" && go build -trimpath -o "$built" .) >&2 || { rm -f "$built"; die "could not build tools/temporal-server"; }
    mv "$built" "$tool"
  fi
  echo "$tool"
}

# The engine's certificates (dir 700, files 600), made with openssl at the first start and reused:
# a CA (ca.pem, ca.key), the frontend's certificate for localhost and 127.0.0.1 (frontend.pem/.key;
# clients trust ca.pem) and the services' certificate for each other (internode.pem/.key, also for
# 127.0.0.1 and the name temporal-internode the services check). Rotation: a start finds a
# certificate missing, not signed by ca.pem, or expiring within TEMPORAL_TLS_RENEW_DAYS, and issues it
# anew; a new CA (missing or expiring) reissues both certificates, and every client must then be given
# the new ca.pem (./run restarts them all anyway). To rotate at will, delete the files and restart.
TEMPORAL_TLS_CA_DAYS=3650
TEMPORAL_TLS_CERT_DAYS=365
TEMPORAL_TLS_RENEW_DAYS=30
tls_still_valid() { # tls_still_valid CERT: exists and valid beyond TEMPORAL_TLS_RENEW_DAYS
  [[ -s "$1" ]] && openssl x509 -in "$1" -noout -checkend $((TEMPORAL_TLS_RENEW_DAYS * 86400)) >/dev/null 2>&1
}
tls_issue() { # tls_issue DIR NAME SUBJECT_CN EXTENDED_KEY_USAGE SUBJECT_ALT_NAMES
  local dir="$1" name="$2"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$name.key"
  openssl req -new -key "$dir/$name.key" -subj "/CN=$3" -out "$dir/$name.csr"
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=$4" "subjectAltName=$5" >"$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -days "$TEMPORAL_TLS_CERT_DAYS" -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
}
temporal_tls() { # temporal_tls DIR
  local dir="$1"
  command -v openssl >/dev/null 2>&1 || die "the production engine's certificates are made with openssl: install it (Debian: apt-get install openssl)"
  mkdir -p "$dir" && chmod 700 "$dir"
  if ! { tls_still_valid "$dir/ca.pem" && [[ -s "$dir/ca.key" ]]; }; then
    say "making the production engine's CA in $dir"
    ( umask 077
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key"
      openssl req -x509 -new -key "$dir/ca.key" -subj "/CN=order-fulfillment Temporal CA" -days "$TEMPORAL_TLS_CA_DAYS" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$dir/ca.pem" )
  fi
  local name
  for name in frontend internode; do
    if tls_still_valid "$dir/$name.pem" && [[ -s "$dir/$name.key" ]] \
        && openssl verify -CAfile "$dir/ca.pem" "$dir/$name.pem" >/dev/null 2>&1; then continue; fi
    say "issuing the production engine's $name certificate in $dir"
    ( umask 077
      if [[ "$name" == frontend ]]; then
        tls_issue "$dir" frontend localhost serverAuth "DNS:localhost,IP:127.0.0.1"
      else
        tls_issue "$dir" internode temporal-internode serverAuth,clientAuth "DNS:temporal-internode,DNS:localhost,IP:127.0.0.1"
      fi )
  done
}

# The issuer's JWKS URL, from its discovery document: the server and the Web UI server read its keys
# at start, so the issuer must be up first.
issuer_jwks_url() {
  local discovery
  discovery="$(curl -fsS "$ORDERS_AUTH_ISSUER/.well-known/openid-configuration" 2>/dev/null)" \
    || die "the production engine trusts the token issuer $ORDERS_AUTH_ISSUER, which does not answer
       ($ORDERS_AUTH_ISSUER/.well-known/openid-configuration): it must be up before the engine starts"
  sed -nE 's/.*"jwks_uri" *: *"([^"]+)".*/\1/p' <<<"$discovery" | grep . \
    || die "$ORDERS_AUTH_ISSUER/.well-known/openid-configuration names no jwks_uri"
}

# The server's PostgreSQL: ORDERS_TEMPORAL_DB_HOST/PORT/USER/PASSWORD where set, otherwise the server
# and credentials of ORDERS_DB_URL / ORDERS_DB_USER / ORDERS_DB_PASSWORD (the embedded PostgreSQL when

# ./run started it); databases <ORDERS_TEMPORAL_DB_NAME, default temporal> and <that>_visibility.
temporal_db_settings() {
  local host="127.0.0.1" port="5432"
  if [[ "${ORDERS_DB_URL:-}" =~ ^jdbc:postgresql://([^/:?,]+)(:([0-9]+))?/ ]]; then
    host="${BASH_REMATCH[1]}"; port="${BASH_REMATCH[3]:-5432}"
  fi
  TEMPORAL_DB_HOST="${ORDERS_TEMPORAL_DB_HOST:-$host}"
  TEMPORAL_DB_PORT="${ORDERS_TEMPORAL_DB_PORT:-$port}"
  TEMPORAL_DB_USER="${ORDERS_TEMPORAL_DB_USER:-${ORDERS_DB_USER:-postgres}}"
  TEMPORAL_DB_PASSWORD="${ORDERS_TEMPORAL_DB_PASSWORD:-${ORDERS_DB_PASSWORD:-}}"
  TEMPORAL_DB_NAME="${ORDERS_TEMPORAL_DB_NAME:-temporal}"
}

# Creates the two databases if missing and brings their schemas up to this server's version. Each
# step is idempotent: create-database passes over an existing database, setup-schema -v 0.0 only adds
# the version tables, update-schema applies the versions not applied yet (the first run all of them,
# a server upgrade the new ones). The schema files are those embedded in temporal-sql-tool, the
# same as schema/postgresql/v12/ of the server module.
temporal_schema() { # temporal_schema SQL_TOOL
  local tool="$1" database schema
  for database in temporal visibility; do
    schema="postgresql/v12/$database"
    [[ "$database" == temporal ]] && database="$TEMPORAL_DB_NAME" || database="${TEMPORAL_DB_NAME}_visibility"
    if ! ( export SQL_PLUGIN=postgres12 SQL_HOST="$TEMPORAL_DB_HOST" SQL_PORT="$TEMPORAL_DB_PORT" \
             SQL_USER="$TEMPORAL_DB_USER" SQL_PASSWORD="$TEMPORAL_DB_PASSWORD" SQL_DATABASE="$database"
           "$tool" create-database && "$tool" setup-schema -v 0.0 && "$tool" update-schema --schema-name "$schema"
         ) >>"$LOGS/temporal-schema.log" 2>&1; then
      tail -n 20 "$LOGS/temporal-schema.log" >&2
      die "could not set up the schema of database $database on $TEMPORAL_DB_HOST:$TEMPORAL_DB_PORT as $TEMPORAL_DB_USER
       (it needs a user allowed to create databases, or the two databases created beforehand)"
    fi
  done
}

# The server and the Web UI server, each with its settings in its own environment only (start runs
# these in the background; exec leaves the pid to the server).
temporal_server_process() { # temporal_server_process SERVER_BINARY TLS_DIR JWKS_URL
  export TEMPORAL_FRONTEND_PORT="$TEMPORAL_PORT" TEMPORAL_BIND_IP=127.0.0.1 \
    TEMPORAL_DB_HOST TEMPORAL_DB_PORT TEMPORAL_DB_USER TEMPORAL_DB_PASSWORD TEMPORAL_DB_NAME \
    TEMPORAL_DYNAMIC_CONFIG_FILE="$TEMPORAL_SERVER_CONFIG/dynamic-config.yaml" \
    TEMPORAL_LOG_LEVEL="${ORDERS_TEMPORAL_LOG_LEVEL:-warn}" \
    TEMPORAL_TLS_CA="$2/ca.pem" TEMPORAL_TLS_FRONTEND_CERT="$2/frontend.pem" TEMPORAL_TLS_FRONTEND_KEY="$2/frontend.key" \
    TEMPORAL_TLS_INTERNODE_CERT="$2/internode.pem" TEMPORAL_TLS_INTERNODE_KEY="$2/internode.key" \
    TEMPORAL_JWT_KEY_SOURCE="$3" TEMPORAL_JWT_AUDIENCE=temporal
  exec "$1" start --config "$TEMPORAL_SERVER_CONFIG" --env temporal
}
temporal_ui_process() { # temporal_ui_process UI_SERVER_BINARY TLS_DIR
  export TEMPORAL_ADDRESS="127.0.0.1:$TEMPORAL_PORT" TEMPORAL_UI_PORT \
    TEMPORAL_DEFAULT_NAMESPACE="${ORDERS_TEMPORAL_NAMESPACE:-default}" \
    TEMPORAL_CODEC_ENDPOINT="http://localhost:$API_PORT/codec" \
    TEMPORAL_TLS_CA="$2/ca.pem" \
    TEMPORAL_AUTH_PROVIDER_URL="$ORDERS_AUTH_ISSUER" TEMPORAL_AUTH_CLIENT_ID=temporal-ui \
    TEMPORAL_AUTH_CLIENT_SECRET="$UI_CLIENT_SECRET" \
    TEMPORAL_AUTH_CALLBACK_URL="http://localhost:$TEMPORAL_UI_PORT/auth/sso/callback"
  exec "$1" --root / --config "$TEMPORAL_SERVER_CONFIG" --env ui start
}

# The namespace (with TEMPORAL_RETENTION) and the order search attributes (those the dev server gets
# from config/temporal-dev-server.args), each created only if missing.
temporal_namespace() { # temporal_namespace (the CLI of temporal_cli_connect)
  local namespace="${ORDERS_TEMPORAL_NAMESPACE:-default}" existing attribute missing=()
  if ! temporal_cli operator namespace describe >/dev/null 2>&1; then
    say "creating namespace $namespace (retention $TEMPORAL_RETENTION)"
    temporal_cli operator namespace create --retention "$TEMPORAL_RETENTION" >/dev/null
  fi
  # a new namespace reaches the frontend's namespace cache within seconds
  wait_for "namespace $namespace" 60 "$LOGS/temporal.log" temporal_cli operator search-attribute list
  existing="$(temporal_cli operator search-attribute list)"
  # shellcheck disable=SC2013  # one NAME=TYPE word per line
  for attribute in $(sed -n 's/^--search-attribute //p' "$ROOT/config/temporal-dev-server.args"); do
    grep -qw "${attribute%%=*}" <<<"$existing" || missing+=(--name "${attribute%%=*}" --type "${attribute#*=}")
  done
  if (( ${#missing[@]} > 0 )); then
    say "registering search attributes in $namespace: ${missing[*]}"
    temporal_cli operator search-attribute create "${missing[@]}" >/dev/null
  fi
}

# The three binaries of the production engine (built once into the cache): sets TEMPORAL_SERVER_BIN,
# TEMPORAL_SQL_TOOL_BIN and TEMPORAL_UI_SERVER_BIN.
temporal_server_tools() {
  TEMPORAL_SERVER_BIN="$(own_server_tool)"
  TEMPORAL_SQL_TOOL_BIN="$(go_tool temporal-sql-tool "$TEMPORAL_SERVER_MODULE/cmd/tools/sql" "$TEMPORAL_SERVER_VERSION")"
  TEMPORAL_UI_SERVER_BIN="$(go_tool temporal-ui-server "$TEMPORAL_UI_SERVER_MODULE/cmd/server" "$TEMPORAL_UI_SERVER_VERSION")"
}

# The Web UI's client at the issuer (its redirect URI: the UI's port, ORDERS_AUTH_UI_REDIRECT_URIS)
UI_CLIENT_SECRET="${ORDERS_AUTH_UI_CLIENT_SECRET:-temporal-ui-secret}"

# start_temporal_server [TLS_DIR, default data/temporal-tls]: needs the token issuer up (ORDERS_AUTH_ISSUER).
start_temporal_server() {
  [[ "$TEMPORAL_ENGINE" == server ]] || set_temporal_engine "$TEMPORAL_ENGINE"
  local tls="${1:-$DATA/temporal-tls}" jwks started
  [[ -n "${ORDERS_AUTH_ISSUER:-}" ]] || die "the production engine accepts only tokens of an issuer: set ORDERS_AUTH_ISSUER
       (./run --temporal server starts its own issuer first)"
  temporal_server_tools
  jwks="$(issuer_jwks_url)"
  temporal_tls "$tls"
  use_secured_engine "$tls"
  "$TEMPORAL_SERVER_BIN" validate-dynamic-config "$TEMPORAL_SERVER_CONFIG/dynamic-config.yaml" >/dev/null \
    || die "$TEMPORAL_SERVER_CONFIG/dynamic-config.yaml: $("$TEMPORAL_SERVER_BIN" validate-dynamic-config "$TEMPORAL_SERVER_CONFIG/dynamic-config.yaml" 2>&1 | tail -n 5)"
  temporal_db_settings
  say "Temporal: server $TEMPORAL_SERVER_VERSION on 127.0.0.1:$TEMPORAL_PORT (config $TEMPORAL_SERVER_CONFIG; TLS, CA $tls/ca.pem; tokens of $ORDERS_AUTH_ISSUER), state in PostgreSQL $TEMPORAL_DB_HOST:$TEMPORAL_DB_PORT/$TEMPORAL_DB_NAME"
  started=$SECONDS
  temporal_schema "$TEMPORAL_SQL_TOOL_BIN"
  start temporal "$LOGS/temporal.log" temporal_server_process "$TEMPORAL_SERVER_BIN" "$tls" "$jwks"
  temporal_cli_connect  # the operator's token and the CA: every CLI call below
  wait_for "Temporal server" 180 "$LOGS/temporal.log" temporal_cli operator cluster health
  temporal_namespace
  say "Temporal server ready in $((SECONDS - started)) s; Web UI server $TEMPORAL_UI_SERVER_VERSION on :$TEMPORAL_UI_PORT (sign-in at $ORDERS_AUTH_ISSUER)"
  start temporal-ui "$LOGS/temporal-ui.log" temporal_ui_process "$TEMPORAL_UI_SERVER_BIN" "$tls"
  wait_for "Temporal Web UI" 60 "$LOGS/temporal-ui.log" curl -fsS "http://127.0.0.1:$TEMPORAL_UI_PORT/healthz"
  TEMPORAL_UI="http://localhost:$TEMPORAL_UI_PORT"
  export ORDERS_TEMPORAL_TARGET="127.0.0.1:$TEMPORAL_PORT"
}

# ./run temporal-server [--logs DIR] [--tls DIR]: the production engine and nothing else, in the
# foreground, for whoever brings the rest (the end-to-end tests' EndToEndEnvironment): the same
# functions as --temporal server, so config/temporal-server/, the certificates, the schema step, the
# namespace and the search attributes have one source. Started again on the same database and TLS
# folder it finds everything where it was. Its certificates: --tls DIR, default DIR/temporal-tls
# of --logs (data/temporal-tls without --logs); clients trust <that>/ca.pem.
cmd_temporal_server() {
  local tls=""
  # shellcheck disable=SC2034  # DATA: read by start (stack.sh)
  while (( $# > 0 )); do
    case "$1" in
      --logs) LOGS="${2:?--logs needs a directory}"; DATA="$LOGS"; shift 2 ;;  # DATA: pids/ and temporal-tls/ here
      --tls) tls="${2:?--tls needs a directory}"; shift 2 ;;
      *) die "unknown option $1 (see ./run help)" ;;
    esac
  done
  [[ -n "${ORDERS_DB_URL:-}${ORDERS_TEMPORAL_DB_HOST:-}" ]] \
    || die "./run temporal-server keeps its state in a PostgreSQL that is already running: set ORDERS_DB_URL
       (or ORDERS_TEMPORAL_DB_HOST and the other ORDERS_TEMPORAL_DB_* variables)"
  [[ -n "${ORDERS_AUTH_ISSUER:-}" ]] \
    || die "./run temporal-server accepts only tokens of a token issuer that is already running: set ORDERS_AUTH_ISSUER
       (its JWKS gives the keys; operators sign in to the Web UI there with the client temporal-ui, whose
       redirect URI http://localhost:$TEMPORAL_UI_PORT/auth/sso/callback it must accept)"
  mkdir -p "$LOGS"
  trap 'cleanup; exit 143' TERM
  trap 'cleanup; exit 130' INT
  trap cleanup EXIT
  set_temporal_engine server
  start_temporal_server "${tls:-$DATA/temporal-tls}"
  say "production engine ready: Temporal on $ORDERS_TEMPORAL_TARGET (TLS, CA $ORDERS_TEMPORAL_TLS_CA), Web UI on $TEMPORAL_UI (logs: $LOGS)"
  wait -n "${PIDS[@]}" || true
  die "a process of the production engine exited; see $LOGS/"
}
