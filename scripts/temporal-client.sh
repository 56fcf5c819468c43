#!/usr/bin/env bash
# scripts/temporal-client.sh: how ./run's own clients reach Temporal: the Temporal CLI calls it makes
# (the production engine's namespace step, ./run deployment) and the credentials of the Java
# processes it starts (api, workers, bench, replay) on the production engine, which takes only TLS
# and bearer tokens (docs/operations.md, The two engines). Sourced by ../run.
set -euo pipefail

# true once the target is ./run's own production engine: TLS with the CA in data/temporal-tls and, per
# process, a demo client's credentials (the issuer's clients orders-api, orders-workers, operator)
SECURED_ENGINE=false

# use_secured_engine TLS_DIR: the target is ./run's own production engine, its CA in TLS_DIR; every
# client ./run starts from here on trusts that CA (ORDERS_TEMPORAL_TLS_CA turns TLS on in the Java clients).
use_secured_engine() {
  SECURED_ENGINE=true
  export ORDERS_TEMPORAL_TLS_CA="$1/ca.pem"
}

# For the commands that reach an engine already running (./run deployment, ./run replay): with no
# ORDERS_TEMPORAL_TARGET, the local engine ./run started is the production one when its pid file
# names a live temporal-server-<hash> process.
detect_local_engine() {
  [[ -z "${ORDERS_TEMPORAL_TARGET:-}" ]] || return 0
  local pid
  pid="$(cat "$DATA/pids/temporal.pid" 2>/dev/null)" || return 0
  if [[ "$(ps -o comm= -p "$pid" 2>/dev/null)" == temporal-server* ]]; then use_secured_engine "$DATA/temporal-tls"; fi
}

# The operator's client on the engine: ORDERS_TEMPORAL_CLIENT_ID / _SECRET when set, else the demo operator.
operator_client() { echo "${ORDERS_TEMPORAL_CLIENT_ID:-operator}"; }
operator_secret() { echo "${ORDERS_TEMPORAL_CLIENT_SECRET:-operator-secret}"; }

# temporal_client_env CLIENT SECRET: the environment, one NAME=VALUE a line for env, that gives a Java
# process CLIENT's credentials on the secured engine; nothing on any other engine. (An env argument
# list rather than a wrapper function: start's pid must stay the java process's.)
temporal_client_env() {
  $SECURED_ENGINE || return 0
  printf '%s\n' "ORDERS_TEMPORAL_CLIENT_ID=$1" "ORDERS_TEMPORAL_CLIENT_SECRET=$2" \
    "ORDERS_TEMPORAL_TOKEN_URL=${ORDERS_TEMPORAL_TOKEN_URL:-$(token_url)}"
}

# client_credentials_token ID SECRET URL: prints an access token, or fails
client_credentials_token() {
  local response
  response="$(curl -fsS -u "$1:$2" -d grant_type=client_credentials "$3")" || return 1
  sed -nE 's/.*"access_token":"([^"]+)".*/\1/p' <<<"$response" | grep .
}

# temporal_cli_connect: the one place that maps the client settings (ORDERS_TEMPORAL_TARGET,
# _NAMESPACE, _TLS_CA, _TLS_CERT, _TLS_KEY, _TLS_SERVER_NAME, _TLS, _API_KEY, _CLIENT_ID/_SECRET/_TOKEN_URL)
# onto the Temporal CLI: sets TEMPORAL_CLI, TEMPORAL_CLI_FLAGS and TEMPORAL_CLI_KEY for temporal_cli.
# On ./run's own production engine the credential is the operator's token, fetched here once.
temporal_cli_connect() {
  TEMPORAL_CLI="$(find_temporal_cli || true)"
  [[ -n "$TEMPORAL_CLI" ]] || die "this needs the Temporal CLI: none on PATH or in $CACHE/bin, and no Go to build it"
  TEMPORAL_CLI_FLAGS=(--address "${ORDERS_TEMPORAL_TARGET:-127.0.0.1:$TEMPORAL_PORT}"
    --namespace "${ORDERS_TEMPORAL_NAMESPACE:-default}")
  [[ -z "${ORDERS_TEMPORAL_TLS_CA:-}" ]] || TEMPORAL_CLI_FLAGS+=(--tls-ca-path "$ORDERS_TEMPORAL_TLS_CA")
  [[ -z "${ORDERS_TEMPORAL_TLS_CERT:-}" ]] || TEMPORAL_CLI_FLAGS+=(--tls-cert-path "$ORDERS_TEMPORAL_TLS_CERT")
  [[ -z "${ORDERS_TEMPORAL_TLS_KEY:-}" ]] || TEMPORAL_CLI_FLAGS+=(--tls-key-path "$ORDERS_TEMPORAL_TLS_KEY")
  [[ -z "${ORDERS_TEMPORAL_TLS_SERVER_NAME:-}" ]] || TEMPORAL_CLI_FLAGS+=(--tls-server-name "$ORDERS_TEMPORAL_TLS_SERVER_NAME")
  [[ "${ORDERS_TEMPORAL_TLS:-}" != true ]] || TEMPORAL_CLI_FLAGS+=(--tls)
  TEMPORAL_CLI_KEY="${ORDERS_TEMPORAL_API_KEY:-}"
  if [[ -z "$TEMPORAL_CLI_KEY" ]] && { $SECURED_ENGINE || [[ -n "${ORDERS_TEMPORAL_CLIENT_ID:-}" ]]; }; then
    local url="${ORDERS_TEMPORAL_TOKEN_URL:-$(token_url)}"
    TEMPORAL_CLI_KEY="$(client_credentials_token "$(operator_client)" "$(operator_secret)" "$url")" \
      || die "could not get a token for $(operator_client) from $url, which the Temporal CLI needs (is the token issuer up?)"
  fi
}

# temporal_cli ARGS...: the Temporal CLI with temporal_cli_connect's settings. The token goes in the
# environment (TEMPORAL_API_KEY, which the CLI sends as a bearer token), not on the command line,
# where any local user could read it.
temporal_cli() {
  if [[ -n "$TEMPORAL_CLI_KEY" ]]; then
    TEMPORAL_API_KEY="$TEMPORAL_CLI_KEY" "$TEMPORAL_CLI" "$@" "${TEMPORAL_CLI_FLAGS[@]}"
  else
    "$TEMPORAL_CLI" "$@" "${TEMPORAL_CLI_FLAGS[@]}"
  fi
}
