#!/usr/bin/env bash
# scripts/kafka.sh: the Kafka broker of ./run and ./run kafka (docs/operations.md, Events): Apache Kafka
# run from Maven Central's jars (tools/kafka/pom.xml, copied once into the cache), one KRaft node that
# is broker and controller, on 127.0.0.1, with the topics of the events contract. Sourced by ../run.
set -euo pipefail

KAFKA_VERSION="$(sed -n 's|.*<kafka.version>\(.*\)</kafka.version>.*|\1|p' "$ROOT/tools/kafka/pom.xml")"
KAFKA_PORT="${ORDERS_KAFKA_PORT:-9092}"  # its controller listens on KAFKA_PORT + 1
KAFKA_TOPICS=(orders.events:6 inventory.events:3)  # TOPIC:PARTITIONS, one replica each
KAFKA_JAVA=()

# Sets KAFKA_JAVA, the java command line that runs a Kafka class; copies the jars into the cache first
# if they are not there or tools/kafka/pom.xml changed since.
kafka_java() {
  local libs="$CACHE/kafka-$KAFKA_VERSION/libs" output
  if [[ ! "$libs/.complete" -nt "$ROOT/tools/kafka/pom.xml" ]]; then
    need_maven
    say "copying the jars of Kafka $KAFKA_VERSION into $libs (once)"
    rm -rf "$libs"
    output="$(mvn -B -q -f "$ROOT/tools/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs" 2>&1)" \
      || { echo "$output" >&2; die "could not copy Kafka's jars (tools/kafka/pom.xml)"; }
    touch "$libs/.complete"
  fi
  KAFKA_JAVA=(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1
    -Dlog4j2.configurationFile="$ROOT/config/kafka/log4j2.yaml" -cp "$libs/*")
}

# kafka_storage DIR: writes DIR/server.properties for KAFKA_PORT from config/kafka/server.properties,
# and formats DIR/kraft-combined-logs if it has never been.
kafka_storage() {
  local dir="$1" cluster_id output
  mkdir -p "$dir"
  sed -e "s|@PORT@|$KAFKA_PORT|g; s|@CONTROLLER_PORT@|$((KAFKA_PORT + 1))|g; s|@DATA@|$dir|g" \
    "$ROOT/config/kafka/server.properties" >"$dir/server.properties"
  [[ -f "$dir/kraft-combined-logs/meta.properties" ]] && return
  # a Kafka Uuid: 16 random bytes in URL-safe base64 without padding (it may start with '-', hence the =)
  cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  output="$("${KAFKA_JAVA[@]}" kafka.tools.StorageTool format --config "$dir/server.properties" \
    --cluster-id="$cluster_id" 2>&1)" || { echo "$output" >&2; die "could not format Kafka's storage in $dir"; }
}

# kafka_topics: the topics of KAFKA_TOPICS on the broker of KAFKA_PORT, created if missing.
kafka_topics() {
  local topic output
  for topic in "${KAFKA_TOPICS[@]}"; do
    output="$("${KAFKA_JAVA[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
      --create --if-not-exists --topic "${topic%%:*}" --partitions "${topic#*:}" --replication-factor 1 2>&1)" \
      || { echo "$output" >&2; die "could not create topic ${topic%%:*}"; }
  done
}

# start_kafka_broker DIR: the broker on KAFKA_PORT with its data in DIR, in the background, and its
# topics; exports ORDERS_KAFKA_BOOTSTRAP.
start_kafka_broker() {
  local dir="$1" started=$SECONDS
  kafka_java
  say "Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (controller :$((KAFKA_PORT + 1))), data in $dir"
  kafka_storage "$dir"
  start kafka "$LOGS/kafka.log" "${KAFKA_JAVA[@]}" -Xms256m -Xmx512m kafka.Kafka "$dir/server.properties"
  wait_for Kafka 60 "$LOGS/kafka.log" grep -q "Kafka Server started" "$LOGS/kafka.log"
  kafka_topics
  say "Kafka up with its topics in $((SECONDS - started)) s"
  export ORDERS_KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
}

# The broker of ./run, unless ORDERS_KAFKA_BOOTSTRAP names a cluster to use instead.
start_kafka() {
  if [[ -n "${ORDERS_KAFKA_BOOTSTRAP:-}" ]]; then
    say "Kafka: external, $ORDERS_KAFKA_BOOTSTRAP (topics ${KAFKA_TOPICS[*]} must exist there)"
    return
  fi
  start_kafka_broker "$DATA/kafka"
}

# ./run kafka [--data DIR] [--port P] [--logs DIR]: the broker of ./run alone, in the foreground, for
# whoever brings the rest (the end-to-end tests). Started again on the same DIR it keeps its data.
cmd_kafka() {
  local dir="$DATA/kafka"
  # shellcheck disable=SC2034  # DATA: read by start (stack.sh)
  while (( $# > 0 )); do
    case "$1" in
      --data) dir="${2:?--data needs a directory}"; shift 2 ;;
      --port) KAFKA_PORT="${2:?--port needs a number}"; shift 2 ;;
      --logs) LOGS="${2:?--logs needs a directory}"; DATA="$LOGS"; shift 2 ;;  # DATA: only pids/ here
      *) die "unknown option $1 (see ./run help)" ;;
    esac
  done
  pick_java
  mkdir -p "$LOGS" "$dir"
  trap 'cleanup; exit 143' TERM
  trap 'cleanup; exit 130' INT
  trap cleanup EXIT
  start_kafka_broker "$(cd "$dir" && pwd)"
  echo "Kafka ready on 127.0.0.1:$KAFKA_PORT"
  wait -n "${PIDS[@]}" || true
  die "the Kafka broker exited; see $LOGS/kafka.log"
}

# ./run events [--from-beginning]: every event of the topics as it arrives, one line each.
cmd_events() {
  pick_java
  need_maven
  build
  java -Dloader.main=com.example.orders.devtools.events.EventTail -jar "$DEVTOOLS_JAR" \
    --bootstrap "${ORDERS_KAFKA_BOOTSTRAP:-127.0.0.1:$KAFKA_PORT}" "$@"
}
