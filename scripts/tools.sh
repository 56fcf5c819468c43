#!/usr/bin/env bash
# scripts/tools.sh: the tools ./run provisions, each found on the machine or installed
# once into the cache (CACHE, default ~/.cache/order-fulfillment): the JDK and Maven it checks, the
# Temporal CLI, Debian's chromium for the Web UI tests, the Python tools of the fuzz and generated-client
# tests, promtool and Prometheus. Sourced by ../run, which defines ROOT, CACHE, say and die.
set -euo pipefail

TEMPORAL_CLI_MODULE="github.com/temporalio/cli/cmd/temporal"
# Newer CLI tags carry a replace directive that `go install` refuses; 1.5.1 embeds server 1.29.1 and UI 2.42.1.
TEMPORAL_CLI_VERSION="v1.5.1"

java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

# Picks the newest JDK >= 21 among JAVA_HOME, /usr/lib/jvm/* and the java on PATH, and exports it.
pick_java() {
  local best="" best_major=0 seen="" candidate major
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  for candidate in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [[ -d "$candidate" ]] && candidates+=("$candidate")
  done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in "${candidates[@]}"; do
    [[ -x "$candidate/bin/java" && -x "$candidate/bin/javac" ]] || continue
    major="$(java_major "$candidate/bin/java")"
    [[ -n "$major" ]] || continue
    seen="$seen $major($candidate)"
    if (( major >= 21 && major > best_major )); then best="$candidate"; best_major="$major"; fi
  done
  if [[ -z "$best" ]]; then
    die "this project needs a JDK 21 or newer; found only:${seen:- none}.
       Install one (for example the Debian package openjdk-21-jdk, or a Temurin 21+ build) and
       set JAVA_HOME to it, then run this again."
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

need_maven() {
  command -v mvn >/dev/null 2>&1 || die "Maven 3.8+ is needed (Debian: apt-get install maven)."
  local version
  version="$(mvn -B -v 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | awk '/Apache Maven/ { print $3; exit }')"
  [[ "$(printf '%s\n3.8\n' "$version" | sort -V | head -1)" == "3.8" ]] \
    || die "Maven 3.8+ is needed; found ${version:-an unknown version} (Debian: apt-get install maven)."
}

# Finds a temporal CLI or builds the pinned one into the cache; prints its path, or nothing.
find_temporal_cli() {
  if [[ -n "${ORDERS_TEMPORAL_CLI:-}" && -x "${ORDERS_TEMPORAL_CLI}" ]]; then echo "$ORDERS_TEMPORAL_CLI"; return; fi
  if [[ -x "$CACHE/bin/temporal" ]]; then echo "$CACHE/bin/temporal"; return; fi
  if command -v temporal >/dev/null 2>&1; then command -v temporal; return; fi
  if command -v go >/dev/null 2>&1; then
    say "building the Temporal CLI $TEMPORAL_CLI_VERSION into $CACHE/bin (once; a few minutes)" >&2
    mkdir -p "$CACHE/bin"
    if (cd /tmp && GOBIN="$CACHE/bin" GOFLAGS=-mod=mod go install "$TEMPORAL_CLI_MODULE@$TEMPORAL_CLI_VERSION") >&2; then
      echo "$CACHE/bin/temporal"
    fi
  fi
}

# The Web UI tests drive Debian's chromium through chromium-driver (test tools that download their
# own browser cannot work on a machine that only reaches package registries).
ensure_chromium() {
  if [[ -x "${ORDERS_CHROMIUM:-/usr/bin/chromium}" && -x "${ORDERS_CHROMEDRIVER:-/usr/bin/chromedriver}" ]]; then return; fi
  command -v apt-get >/dev/null 2>&1 || die "the Web UI tests need chromium and chromedriver: install them,
       or point ORDERS_CHROMIUM and ORDERS_CHROMEDRIVER at them."
  local sudo=""
  (( EUID == 0 )) || sudo="sudo"
  say "installing chromium and chromium-driver (Debian packages) for the Web UI tests"
  # shellcheck disable=SC2015  # either step failing is the error
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
    || die "could not install chromium and chromium-driver"
}

# python_venv NAME WHAT REQUIREMENT...: prints the path of a virtualenv in the cache holding the
# PyPI REQUIREMENTs, made once (NAME names its directory; WHAT says in messages who needs it).
python_venv() {
  local venv="$CACHE/$1" what="$2"; shift 2
  if [[ ! -f "$venv/.installed" ]]; then
    command -v python3 >/dev/null 2>&1 || die "$what needs Python 3 (with venv)."
    say "installing $* into $venv (once)" >&2
    rm -rf "$venv"
    # shellcheck disable=SC2015  # either step failing is the error
    python3 -m venv "$venv" && "$venv/bin/pip" install -q "$@" >&2 && touch "$venv/.installed" \
      || die "could not install $* for $what (Debian: apt-get install python3-venv)"
  fi
  echo "$venv"
}

# The fuzz test (ApiFuzzIT) runs schemathesis.
SCHEMATHESIS_VERSION="4.32.5"
ensure_schemathesis() {
  local venv
  venv="$(python_venv "schemathesis-$SCHEMATHESIS_VERSION" "the fuzz test" "schemathesis==$SCHEMATHESIS_VERSION")"
  export ORDERS_SCHEMATHESIS="$venv/bin/st"
}

# GeneratedClientIT generates a client from the live OpenAPI document with openapi-python-client; the
# generated code needs only its dependencies.
OPENAPI_CLIENT_VERSION="0.29.1"
ensure_openapi_client() {
  local venv
  venv="$(python_venv "openapi-python-client-$OPENAPI_CLIENT_VERSION" "the generated-client test" \
    "openapi-python-client==$OPENAPI_CLIENT_VERSION")"
  export ORDERS_OPENAPI_CLIENT="$venv"
}

# The event tests read the topics with an independent client (librdkafka through confluent-kafka) and
# check each record against docs/events.asyncapi.yaml (jsonschema): system-tests/src/test/python.
EVENTS_READER_REQUIREMENTS=("confluent-kafka==2.16.1" "jsonschema==4.26.0" "PyYAML==6.0.3")
ensure_events_reader() {
  local venv
  venv="$(python_venv "events-reader-${EVENTS_READER_REQUIREMENTS[0]#*==}" "the event tests" "${EVENTS_READER_REQUIREMENTS[@]}")"
  export ORDERS_EVENTS_PYTHON="$venv/bin/python"
}

# The alert rules are checked and unit-tested with promtool, built once from the Go module proxy
# into the cache like the Temporal CLI (v0.316.0 of the Go module is Prometheus 3.x; a few minutes).
PROMETHEUS_MODULE="github.com/prometheus/prometheus"
PROMETHEUS_VERSION="v0.316.0"
ensure_prometheus_tool() { # ensure_prometheus_tool promtool|prometheus: prints its path, building it once
  local tool="$CACHE/bin/$1"
  if [[ ! -x "$tool" ]]; then
    command -v go >/dev/null 2>&1 || die "the metrics checks need Go (to build $1)."
    say "building $1 ($PROMETHEUS_MODULE $PROMETHEUS_VERSION) into $CACHE/bin (once; a few minutes)" >&2
    mkdir -p "$CACHE/bin"
    (cd /tmp && GOBIN="$CACHE/bin" GOFLAGS=-mod=mod go install "$PROMETHEUS_MODULE/cmd/$1@$PROMETHEUS_VERSION") >&2 \
      || die "could not build $1"
  fi
  echo "$tool"
}
