#!/usr/bin/env bash
# scripts/temporal-server.sh: the production engine (--temporal server, ./run temporal-server; docs/operations.md,
# The two engines): its binaries built once from the Go module proxy, its databases and schemas, the
# server and the Web UI server, the namespace and search attributes. Sourced by ../run.
set -euo pipefail

# A real Temporal server keeping its state in PostgreSQL (persistence and visibility), configured by
# the files in config/temporal-server/ (the same ones docker-compose.yml mounts), and the Web UI
# server beside it. The dev server of CLI v1.5.1 embeds exactly these two versions.
TEMPORAL_SERVER_MODULE="go.temporal.io/server"
TEMPORAL_SERVER_VERSION="v1.29.1"
TEMPORAL_UI_SERVER_MODULE="github.com/temporalio/ui-server/v2"
TEMPORAL_UI_SERVER_VERSION="v2.42.1"
TEMPORAL_SERVER_CONFIG="$ROOT/config/temporal-server"
# How long the namespace keeps a closed order's history (set when ./run creates the namespace; an
# existing namespace keeps its own: temporal operator namespace update --retention ...).
TEMPORAL_RETENTION="72h"

# go_tool NAME PACKAGE VERSION: prints $CACHE/bin/NAME-VERSION, built once with go install from
# PACKAGE@VERSION (go install names a binary after its package's last element, hence the rename).
go_tool() {
  local name="$1" package="$2" version="$3" tool="$CACHE/bin/$1-$3" gobin
  if [[ ! -x "$tool" ]]; then
    command -v go >/dev/null 2>&1 || die "the production engine (--temporal server) is built from source, once, and
       this machine has no Go toolchain to build $name $version with. Install Go 1.21 or newer
       (it fetches by itself the newer toolchain the module asks for; Debian 13's golang-go will do,
       Debian 12's 1.19 will not), or run without --temporal server: the dev server needs only the
       temporal CLI (./run test needs it either way: end-to-end suites run on both engines)."
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
temporal_server_process() { # temporal_server_process SERVER_BINARY
  export TEMPORAL_FRONTEND_PORT="$TEMPORAL_PORT" TEMPORAL_BIND_IP=127.0.0.1 \
    TEMPORAL_DB_HOST TEMPORAL_DB_PORT TEMPORAL_DB_USER TEMPORAL_DB_PASSWORD TEMPORAL_DB_NAME \
    TEMPORAL_DYNAMIC_CONFIG_FILE="$TEMPORAL_SERVER_CONFIG/dynamic-config.yaml" \
    TEMPORAL_LOG_LEVEL="${ORDERS_TEMPORAL_LOG_LEVEL:-warn}"
  # no authorizer: the frontend listens on 127.0.0.1 only (docs/operations.md, The two engines)
  exec "$1" --root / --config "$TEMPORAL_SERVER_CONFIG" --env temporal --allow-no-auth start
}
temporal_ui_process() { # temporal_ui_process UI_SERVER_BINARY
  export TEMPORAL_ADDRESS="127.0.0.1:$TEMPORAL_PORT" TEMPORAL_UI_PORT \
    TEMPORAL_DEFAULT_NAMESPACE="${ORDERS_TEMPORAL_NAMESPACE:-default}" \
    TEMPORAL_CODEC_ENDPOINT="http://localhost:$API_PORT/codec"
  exec "$1" --root / --config "$TEMPORAL_SERVER_CONFIG" --env ui start
}

# The namespace (with TEMPORAL_RETENTION) and the order search attributes (those the dev server gets
# from config/temporal-dev-server.args), each created only if missing.
temporal_namespace() { # temporal_namespace CLI
  local cli="$1" namespace="${ORDERS_TEMPORAL_NAMESPACE:-default}" existing attribute missing=()
  local target=(--address "127.0.0.1:$TEMPORAL_PORT" --namespace "$namespace")
  if ! "$cli" operator namespace describe "${target[@]}" >/dev/null 2>&1; then
    say "creating namespace $namespace (retention $TEMPORAL_RETENTION)"
    "$cli" operator namespace create "${target[@]}" --retention "$TEMPORAL_RETENTION" >/dev/null
  fi
  # a new namespace reaches the frontend's namespace cache within seconds
  wait_for "namespace $namespace" 60 "$LOGS/temporal.log" "$cli" operator search-attribute list "${target[@]}"
  existing="$("$cli" operator search-attribute list "${target[@]}")"
  # shellcheck disable=SC2013  # one NAME=TYPE word per line
  for attribute in $(sed -n 's/^--search-attribute //p' "$ROOT/config/temporal-dev-server.args"); do
    grep -qw "${attribute%%=*}" <<<"$existing" || missing+=(--name "${attribute%%=*}" --type "${attribute#*=}")
  done
  if (( ${#missing[@]} > 0 )); then
    say "registering search attributes in $namespace: ${missing[*]}"
    "$cli" operator search-attribute create "${target[@]}" "${missing[@]}" >/dev/null
  fi
}

# The three binaries of the production engine (built once into the cache): sets TEMPORAL_SERVER_BIN,
# TEMPORAL_SQL_TOOL_BIN and TEMPORAL_UI_SERVER_BIN.
temporal_server_tools() {
  TEMPORAL_SERVER_BIN="$(go_tool temporal-server "$TEMPORAL_SERVER_MODULE/cmd/server" "$TEMPORAL_SERVER_VERSION")"
  TEMPORAL_SQL_TOOL_BIN="$(go_tool temporal-sql-tool "$TEMPORAL_SERVER_MODULE/cmd/tools/sql" "$TEMPORAL_SERVER_VERSION")"
  TEMPORAL_UI_SERVER_BIN="$(go_tool temporal-ui-server "$TEMPORAL_UI_SERVER_MODULE/cmd/server" "$TEMPORAL_UI_SERVER_VERSION")"
}

start_temporal_server() {
  [[ "$TEMPORAL_ENGINE" == server ]] || set_temporal_engine "$TEMPORAL_ENGINE"
  local cli started
  temporal_server_tools
  cli="$(find_temporal_cli || true)"
  [[ -n "$cli" ]] || die "the production engine needs the temporal CLI too (namespace, search attributes)"
  "$TEMPORAL_SERVER_BIN" validate-dynamic-config "$TEMPORAL_SERVER_CONFIG/dynamic-config.yaml" >/dev/null \
    || die "$TEMPORAL_SERVER_CONFIG/dynamic-config.yaml: $("$TEMPORAL_SERVER_BIN" validate-dynamic-config "$TEMPORAL_SERVER_CONFIG/dynamic-config.yaml" 2>&1 | tail -n 5)"
  temporal_db_settings
  say "Temporal: server $TEMPORAL_SERVER_VERSION on 127.0.0.1:$TEMPORAL_PORT (config $TEMPORAL_SERVER_CONFIG), state in PostgreSQL $TEMPORAL_DB_HOST:$TEMPORAL_DB_PORT/$TEMPORAL_DB_NAME"
  started=$SECONDS
  temporal_schema "$TEMPORAL_SQL_TOOL_BIN"
  start temporal "$LOGS/temporal.log" temporal_server_process "$TEMPORAL_SERVER_BIN"
  wait_for "Temporal server" 180 "$LOGS/temporal.log" \
    "$cli" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT"
  temporal_namespace "$cli"
  say "Temporal server ready in $((SECONDS - started)) s; Web UI server $TEMPORAL_UI_SERVER_VERSION on :$TEMPORAL_UI_PORT"
  start temporal-ui "$LOGS/temporal-ui.log" temporal_ui_process "$TEMPORAL_UI_SERVER_BIN"
  wait_for "Temporal Web UI" 60 "$LOGS/temporal-ui.log" curl -fsS "http://127.0.0.1:$TEMPORAL_UI_PORT/healthz"
  TEMPORAL_UI="http://localhost:$TEMPORAL_UI_PORT"
  export ORDERS_TEMPORAL_TARGET="127.0.0.1:$TEMPORAL_PORT"
}

# ./run temporal-server [--logs DIR]: the production engine and nothing else, in the foreground, for
# whoever brings the rest (the end-to-end tests' EndToEndEnvironment): the same functions as
# --temporal server, so config/temporal-server/, the schema step, the namespace and the search
# attributes have one source. Started again on the same database it finds everything where it was.
cmd_temporal_server() {
  # shellcheck disable=SC2034  # DATA: read by start (stack.sh)
  while (( $# > 0 )); do
    case "$1" in
      --logs) LOGS="${2:?--logs needs a directory}"; DATA="$LOGS"; shift 2 ;;  # DATA: only pids/ here
      *) die "unknown option $1 (see ./run help)" ;;
    esac
  done
  [[ -n "${ORDERS_DB_URL:-}${ORDERS_TEMPORAL_DB_HOST:-}" ]] \
    || die "./run temporal-server keeps its state in a PostgreSQL that is already running: set ORDERS_DB_URL
       (or ORDERS_TEMPORAL_DB_HOST and the other ORDERS_TEMPORAL_DB_* variables)"
  mkdir -p "$LOGS"
  trap 'cleanup; exit 143' TERM
  trap 'cleanup; exit 130' INT
  trap cleanup EXIT
  set_temporal_engine server
  start_temporal_server
  say "production engine ready: Temporal on $ORDERS_TEMPORAL_TARGET, Web UI on $TEMPORAL_UI (logs: $LOGS)"
  wait -n "${PIDS[@]}" || true
  die "a process of the production engine exited; see $LOGS/"
}
