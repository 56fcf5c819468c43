#!/usr/bin/env bash
# scripts/bench.sh: ./run bench (docs/performance.md). Sourced by ../run; the stack comes from stack.sh.
set -euo pipefail

# The load generator shares the box with what it measures, so it gets the same lean JVM, fixed rather
# than ORDERS_JAVA_OPTS so that an A/B of the service's flags does not change the load generator.
LOADGEN_JAVA_OPTS="$LEAN_JAVA_OPTS"

# A fresh stack's directories under data/bench/stack, emptied, and its processes stopped on exit.
fresh_bench_stack() {
  DATA="$ROOT/data/bench/stack"
  LOGS="$DATA/logs"
  rm -rf "$DATA"  # a fresh stack every time: no history from earlier runs in PostgreSQL or Temporal
  mkdir -p "$LOGS"
  trap 'cleanup; exit 130' INT TERM
  trap cleanup EXIT
}

# bench_load MODE URL RESULTS ARGS...: the load generator (load or step-up) against the api at URL;
# pids (RSS, CPU) from the pid files the stack in DATA writes.
bench_load() {
  local mode="$1" url="$2" results="$3" credentials; shift 3
  mapfile -t credentials < <(temporal_client_env "$(operator_client)" "$(operator_secret)")
  # shellcheck disable=SC2086  # the flags split into words
  env "${credentials[@]}" java $LOADGEN_JAVA_OPTS -jar "$BENCH_JAR" "$mode" --url "$url" --temporal "${ORDERS_TEMPORAL_TARGET:-127.0.0.1:$TEMPORAL_PORT}" \
    --token-url "$(token_url)" \
    --stack-dir "$DATA" --results "$results" "$@"
}

# ./run bench [load|step-up|ceiling|hot-sku|events|help] [--temporal dev|server] [options]: see
# docs/performance.md. load, step-up and events start a fresh stack of their own (PostgreSQL, Kafka,
# Temporal, workers, relay, api, under data/bench/stack; the same functions as ./run) unless --url
# points at a service already running, e.g. one ./run started. --temporal (or ORDERS_TEMPORAL_ENGINE)
# picks the engine, which every result names; a step-up reports its share of that engine's ceiling.
cmd_bench() {
  local args=() workers=1 url="" mode="load" credentials engine_named=false
  case "${1:-}" in load|step-up|ceiling|hot-sku|events|help) mode="$1"; shift ;; esac
  while (( $# > 0 )); do
    case "$1" in
      --workers) workers="${2:?--workers needs a number}"; shift 2 ;;
      --url) url="${2:?--url needs the api base URL}"; shift 2 ;;
      --temporal) set_temporal_engine "${2:?--temporal needs dev or server}"; engine_named=true; shift 2 ;;
      *) args+=("$1"); shift ;;
    esac
  done
  pick_java
  need_maven
  build
  local results="$DATA/bench/results"
  case "$mode" in
    help) java -jar "$BENCH_JAR" help; return ;;
    hot-sku)
      # The limit it compares against is pgbench. Not installed for you: on Debian it comes with the
      # server packages (postgresql-contrib), whose install may create and start a cluster of its own.
      [[ " ${args[*]} " == *" --pgbench "* ]] || command -v pgbench >/dev/null 2>&1 \
        || die "the hot-SKU benchmark measures its limit with pgbench: install it (Debian: apt-get install
       postgresql-contrib), or pass --pgbench PATH, or --pgbench none to skip the limit."
      java -jar "$BENCH_JAR" hot-sku --results "$results" "${args[@]}"; return ;;
    ceiling)
      [[ -z "$url" ]] || die "the ceiling runs on a Temporal of its own (its worker serves the orders task queue): no --url"
      fresh_bench_stack
      # the production engine keeps its state in PostgreSQL and takes tokens from the issuer
      if [[ "$TEMPORAL_ENGINE" == server && -z "${ORDERS_TEMPORAL_TARGET:-}" ]]; then start_postgres; fi
      if engine_needs_issuer; then start_auth; fi
      start_temporal
      ensure_payload_keys
      say "ceiling: the order's workflows on no-op activities, worker inside the bench (logs of the stack: $LOGS)"
      mapfile -t credentials < <(temporal_client_env "$(operator_client)" "$(operator_secret)")
      # shellcheck disable=SC2086  # JAVA_OPTS: the same JVM flags as the workers it stands in for
      env "${credentials[@]}" java $JAVA_OPTS -jar "$BENCH_JAR" ceiling --temporal "$ORDERS_TEMPORAL_TARGET" \
        --stack-dir "$DATA" --results "$results" --engine "$TEMPORAL_ENGINE" --build "$BUILD_ID" "${args[@]}"
      return ;;
  esac
  # load and step-up name the engine (events compares with no ceiling); a running service's engine is
  # whatever it was started on: ./run's own production engine is detected (its TLS and the operator's
  # token are then used to read the task queue's backlog), any other is named by --temporal only
  if [[ -n "$url" ]]; then
    detect_local_engine
    if $SECURED_ENGINE && ! $engine_named; then set_temporal_engine server; engine_named=true; fi
  fi
  local engine=(--engine "$TEMPORAL_ENGINE")
  if [[ "$mode" == events ]] || { [[ -n "$url" ]] && ! $engine_named; }; then engine=(); fi
  if [[ -n "$url" ]]; then  # a running service; pids (RSS, CPU) from the pid files ./run writes
    bench_load "$mode" "$url" "$results" "${engine[@]}" "${args[@]}"
    return
  fi
  fresh_bench_stack
  start_stack "$workers"
  say "benchmarking (logs of the stack: $LOGS)"
  # the workers it started are this checkout's build: a step-up compares with that build's ceiling
  local build=(--build "$BUILD_ID")
  if [[ "$mode" == events ]]; then build=(); fi
  bench_load "$mode" "http://127.0.0.1:$API_PORT" "$results" "${engine[@]}" "${build[@]}" "${args[@]}"
}
