#!/usr/bin/env bash
# scripts/stack.sh: the stack's processes, as ./run and ./run bench start them:
# background processes and their cleanup, PostgreSQL, Kafka (kafka.sh), Temporal (the dev server, or
# the production engine of temporal-server.sh), the token issuer, the payload keys, the workers, the
# relays, the api and the banner. Sourced by ../run.
set -euo pipefail

PIDS=()

start() { # start NAME LOGFILE COMMAND...: runs COMMAND in the background, remembered for cleanup
  local name="$1" log="$2"; shift 2
  "$@" >"$log" 2>&1 &
  PIDS+=("$!")
  mkdir -p "$DATA/pids" && echo "$!" >"$DATA/pids/$name.pid"  # read by ./run bench (RSS, CPU)
}

cleanup() {
  trap - INT TERM EXIT
  local i
  if (( ${#PIDS[@]} > 0 )); then say "stopping..."; fi
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do  # reverse start order: api, relays, workers, Temporal, Kafka, PostgreSQL
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
  (( ${#PIDS[@]} == 0 )) || say "stopped"
}

wait_for() { # wait_for DESCRIPTION SECONDS LOGFILE COMMAND...: polls COMMAND until it succeeds
  local what="$1" seconds="$2" log="$3"; shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS > deadline )); then
      tail -n 30 "$log" >&2 || true
      die "$what did not come up within ${seconds}s (log: $log)"
    fi
    local pid
    for pid in "${PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { tail -n 30 "$log" >&2 || true; die "$what: a process exited (log: $log)"; }
    done
    sleep 1
  done
}

http_up() { curl -fsS "$1" 2>/dev/null | grep -q '"status":"UP"'; }

start_postgres() {
  if [[ -n "${ORDERS_DB_URL:-}" ]]; then say "PostgreSQL: external, $ORDERS_DB_URL"; return; fi
  say "PostgreSQL: embedded on 127.0.0.1:$PG_PORT, data in $DATA/postgres"
  start postgres "$LOGS/postgres.log" java -Dloader.main=com.example.orders.devtools.postgres.LocalPostgres \
    -jar "$DEVTOOLS_JAR" "$DATA/postgres" "$PG_PORT"
  wait_for PostgreSQL 120 "$LOGS/postgres.log" grep -q "PostgreSQL ready" "$LOGS/postgres.log"
  export ORDERS_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
}

set_temporal_engine() { # set_temporal_engine dev|server
  case "$1" in
    dev|server) TEMPORAL_ENGINE="$1" ;;
    *) die "--temporal (or ORDERS_TEMPORAL_ENGINE) is dev, the CLI's dev server (the default), or server,
       a real Temporal server on PostgreSQL; not '$1'" ;;
  esac
}

TEMPORAL_UI=""
OWN_TEMPORAL=false  # true once ./run started the engine itself; read by start_workers
start_temporal() {
  if [[ -n "${ORDERS_TEMPORAL_TARGET:-}" ]]; then
    say "Temporal: external, $ORDERS_TEMPORAL_TARGET (register the search attributes there: see docs/operations.md)"
    TEMPORAL_UI="${ORDERS_TEMPORAL_UI_URL:-}"
    return
  fi
  OWN_TEMPORAL=true
  if [[ "$TEMPORAL_ENGINE" != dev ]]; then start_temporal_server; return; fi
  local cli
  cli="$(find_temporal_cli || true)"
  if [[ -n "$cli" ]]; then
    say "Temporal: dev server ($cli), Web UI on :$TEMPORAL_UI_PORT, state in $DATA/temporal.db"
    local flags=()
    read -ra flags <<<"$(sed 's/#.*//' "$ROOT/config/temporal-dev-server.args" | tr '\n' ' ')"
    # GOGC=400 (Go's default is 100): a quarter of the collections for about twice the heap; at 25
    # orders/s its GC went from 6 to 2.5 % of the dev server's CPU (docs/performance.md). A GOGC set
    # in the environment wins.
    # shellcheck disable=SC2086  # ORDERS_TEMPORAL_EXTRA: extra flags, split into words
    start temporal "$LOGS/temporal.log" env GOGC="${GOGC:-400}" "$cli" server start-dev \
      --ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
      --db-filename "$DATA/temporal.db" --log-level warn "${flags[@]}" ${ORDERS_TEMPORAL_EXTRA:-} \
      --ui-codec-endpoint "http://localhost:$API_PORT/codec"
    wait_for "Temporal dev server" 120 "$LOGS/temporal.log" \
      "$cli" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT"
    TEMPORAL_UI="http://localhost:$TEMPORAL_UI_PORT"
  else
    printf '\033[33m%s\033[0m\n' \
      "[run] WARNING: no temporal binary and no Go toolchain: falling back to the in-process Java" \
      "[run] WARNING: test server. There is NO Web UI and workflows are lost when it stops." \
      "[run] WARNING: install Go (or put a temporal CLI on PATH) for the real dev server."
    start temporal "$LOGS/temporal.log" java -Dloader.main=com.example.orders.devtools.temporal.InProcessTemporalServer \
      -jar "$DEVTOOLS_JAR" "$TEMPORAL_PORT"
    wait_for "in-process Temporal server" 60 "$LOGS/temporal.log" grep -q "ready" "$LOGS/temporal.log"
  fi
  export ORDERS_TEMPORAL_TARGET="127.0.0.1:$TEMPORAL_PORT"
}

# The token issuer of docs/API.md (client credentials for the demo clients), unless the api is to
# trust an external provider. Its signing key is generated at first start and kept in data/auth.
start_auth() {
  if [[ -n "${ORDERS_AUTH_ISSUER:-}" ]]; then say "token issuer: external, $ORDERS_AUTH_ISSUER"; return; fi
  say "token issuer on :$AUTH_PORT (signing key in $DATA/auth)"
  # shellcheck disable=SC2086  # the flags split into words
  # the production engine's Web UI signs operators in here (client temporal-ui, its callback on the UI's port)
  start auth "$LOGS/auth.log" env ORDERS_AUTH_PORT="$AUTH_PORT" ORDERS_AUTH_ISSUER="http://localhost:$AUTH_PORT" \
    ORDERS_AUTH_SIGNING_KEY="$DATA/auth/signing-key.json" ORDERS_AUTH_CORS_ORIGINS="http://localhost:$API_PORT" \
    ORDERS_AUTH_UI_REDIRECT_URIS="${ORDERS_AUTH_UI_REDIRECT_URIS:-http://localhost:$TEMPORAL_UI_PORT/auth/sso/callback}" \
    ORDERS_AUTH_UI_CLIENT_SECRET="$UI_CLIENT_SECRET" \
    java $JAVA_OPTS -jar "$AUTH_JAR"
  wait_for "token issuer" 120 "$LOGS/auth.log" http_up "http://127.0.0.1:$AUTH_PORT/actuator/health"
  export ORDERS_AUTH_ISSUER="http://localhost:$AUTH_PORT"
}

# The keys that encrypt customer data before it reaches Temporal (docs/security.md, Customer data in Temporal): unless the
# environment names its own, a development key generated at first start, readable by its owner only.
ensure_payload_keys() {
  if [[ -n "${ORDERS_ENCRYPTION_KEYS_FILE:-}${ORDERS_ENCRYPTION_KEYS:-}" ]]; then return; fi
  local file="$DATA/encryption/payload-keys"
  if [[ ! -s "$file" ]]; then
    mkdir -p "$DATA/encryption" && chmod 700 "$DATA/encryption"
    ( umask 077
      { echo "# Payload encryption keys (<key id>=<base64 AES-256 key>), oldest first; the last one encrypts."
        echo "# Generated by ./run for development. Never commit it; keep every key while histories use it."
        echo "dev-$(date -u +%Y%m%d%H%M%S)=$(head -c 32 /dev/urandom | base64)"
      } > "$file" )
    say "generated a development payload key in $file"
  fi
  export ORDERS_ENCRYPTION_KEYS_FILE="$file"
}

# One line that prints an access token of a demo client (docs/API.md): token_command CLIENT
token_url() { echo "${ORDERS_AUTH_TOKEN_URL:-${ORDERS_AUTH_ISSUER:-http://localhost:$AUTH_PORT}/oauth2/token}"; }
token_command() {
  # shellcheck disable=SC2028  # the backslashes are the sed command's own
  echo "curl -s -u $1:$1-secret -d grant_type=client_credentials $(token_url) | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/'"
}

# On an engine it started, ./run runs one build, which takes over the Worker Deployment: the build a
# rebuilt stack finds current is gone, and new orders would wait for it (docs/changing-workflows.md).
start_workers() { # start_workers N
  local i port credentials
  mapfile -t credentials < <(temporal_client_env orders-workers orders-workers-secret)
  for (( i=1; i<=$1; i++ )); do
    port=$((WORKERS_PORT + i - 1))
    say "workers #$i (health on :$port)"
    # shellcheck disable=SC2086  # the flags split into words
    start "workers-$i" "$LOGS/workers-$i.log" env "${credentials[@]}" ORDERS_WORKERS_PORT="$port" \
      ORDERS_DEPLOYMENT_REPLACE_CURRENT="${ORDERS_DEPLOYMENT_REPLACE_CURRENT:-$OWN_TEMPORAL}" java $JAVA_OPTS -jar "$WORKERS_JAR"
  done
  for (( i=1; i<=$1; i++ )); do
    wait_for "workers #$i" 180 "$LOGS/workers-$i.log" http_up "http://127.0.0.1:$((WORKERS_PORT + i - 1))/actuator/health"
  done
}

start_api() {
  local credentials
  mapfile -t credentials < <(temporal_client_env orders-api orders-api-secret)
  say "api on :$API_PORT"
  [[ -n "$TEMPORAL_UI" ]] && export ORDERS_TEMPORAL_UI_URL="$TEMPORAL_UI"
  # The demo catalog and customers, and POST /admin/reset, exist only when switched on: ./run does.
  # shellcheck disable=SC2086  # the flags split into words
  start api "$LOGS/api.log" env "${credentials[@]}" ORDERS_DEMO_DATA="${ORDERS_DEMO_DATA:-true}" java $JAVA_OPTS -jar "$API_JAR"
  wait_for api 180 "$LOGS/api.log" http_up "http://127.0.0.1:$API_PORT/actuator/health"
}

# The relays publish the outbox's events to Kafka (docs/operations.md, Events); any number may run.
start_relays() { # start_relays N
  local i
  for (( i=1; i<=$1; i++ )); do
    say "relay #$i (health on :$((RELAY_PORT + i - 1)))"
    # shellcheck disable=SC2086  # the flags split into words
    start "relay-$i" "$LOGS/relay-$i.log" env ORDERS_RELAY_PORT="$((RELAY_PORT + i - 1))" java $JAVA_OPTS -jar "$RELAY_JAR"
  done
  for (( i=1; i<=$1; i++ )); do
    wait_for "relay #$i" 180 "$LOGS/relay-$i.log" http_up "http://127.0.0.1:$((RELAY_PORT + i - 1))/actuator/health"
  done
}

# The production engine of ./run trusts the token issuer's keys and sends its Web UI's visitors there
# to sign in: that issuer starts first. On the dev server (or an external Temporal) it starts after.
engine_needs_issuer() { [[ "$TEMPORAL_ENGINE" == server && -z "${ORDERS_TEMPORAL_TARGET:-}" ]]; }

# The whole stack, as ./run and ./run bench start it: start_stack WORKERS [RELAYS, default 1]
start_stack() {
  start_postgres
  start_kafka
  if engine_needs_issuer; then
    start_auth
    start_temporal
  else
    start_temporal
    start_auth
  fi
  ensure_payload_keys
  start_workers "$1"
  start_relays "${2:-1}"
  start_api
}

banner() {
  local engine=""
  if $SECURED_ENGINE; then
    engine="
    Temporal     $ORDERS_TEMPORAL_TARGET: TLS only (CA $ORDERS_TEMPORAL_TLS_CA) and bearer tokens of the
                 issuer; the Web UI sends you to sign in there as an operator (operator_1,
                 password operator_1-password)"
  fi
  cat <<EOF

  Order fulfillment is up.
    API          http://localhost:$API_PORT            (health: /actuator/health)
    Swagger UI   http://localhost:$API_PORT/swagger-ui.html  (Authorize: client id user_1, secret user_1-secret)
    OpenAPI      http://localhost:$API_PORT/v3/api-docs
    Tokens       $(token_url)  (clients user_1, user_2, user_3, operator, carrier;
                 each secret is the id followed by -secret)
    Metrics      http://localhost:$API_PORT/actuator/prometheus, workers http://localhost:$WORKERS_PORT/actuator/prometheus
                 (Prometheus text; send an operator's token)
    Temporal UI  ${TEMPORAL_UI:-none (in-process test server)}
                 customer data is encrypted; to read it there, open http://localhost:$API_PORT/codec/session
                 with an operator token, and turn on "include cross-origin credentials" in the UI's codec settings$engine
    Workers      build $BUILD_ID of Worker Deployment orders (./run deployment)
    Events       $ORDERS_KAFKA_BOOTSTRAP, topics orders.events, inventory.events (./run events)
    Logs         $LOGS/

  Try it (a token for user_1, then user_1 buys 2 x product_1 and waits up to 10 s for the outcome):
    TOKEN=\$($(token_command user_1))
    curl -s -X POST http://localhost:$API_PORT/orders -H "Authorization: Bearer \$TOKEN" \\
      -H 'Content-Type: application/json' -H 'Prefer: wait=10' \\
      -d '{"customerId":"user_1","items":[{"sku":"product_1","quantity":2}],
      "shippingAddress":{"name":"Ada Lovelace","line1":"1 Main St","city":"Springfield",
      "postalCode":"12345","country":"US"}}'

  Ctrl-C stops everything.
EOF
}
