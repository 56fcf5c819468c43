#!/usr/bin/env bash
# scripts/build.sh: the project's jars, rebuilt by Maven when a source or pom is newer than
# one of them. Sourced by ../run.
set -euo pipefail

VERSION="0.1.0-SNAPSHOT"
# the reactor's modules, as the parent pom lists them
mapfile -t MODULES < <(sed -n 's|.*<module>\(.*\)</module>.*|\1|p' "$ROOT/pom.xml")
# The production jars (what the Dockerfile ships) and the development tools (never shipped).
WORKERS_JAR="$ROOT/workers/target/workers-$VERSION-exec.jar"
API_JAR="$ROOT/api/target/api-$VERSION-exec.jar"
AUTH_JAR="$ROOT/auth-server/target/auth-server-$VERSION-exec.jar"
DEVTOOLS_JAR="$ROOT/devtools/target/devtools-$VERSION-exec.jar"
BENCH_JAR="$ROOT/bench/target/bench-$VERSION-exec.jar"

sources_newer_than() { # true if any source or pom is newer than file $1 (or $1 is missing)
  [[ -f "$1" ]] || return 0
  local module paths=("$ROOT/pom.xml")
  for module in "${MODULES[@]}"; do
    paths+=("$ROOT/$module/pom.xml")
    [[ -d "$ROOT/$module/src/main" ]] && paths+=("$ROOT/$module/src/main")
  done
  [[ -n "$(find "${paths[@]}" -newer "$1" -print -quit)" ]]
}

build() {
  if sources_newer_than "$WORKERS_JAR" || sources_newer_than "$API_JAR" || sources_newer_than "$AUTH_JAR" \
      || sources_newer_than "$DEVTOOLS_JAR" || sources_newer_than "$BENCH_JAR"; then
    say "building (mvn package, tests skipped; ./run test runs them)"
    # package, not install: the reactor resolves the modules from each other, and ~/.m2 stays untouched
    mvn -B -q -f "$ROOT/pom.xml" package -DskipTests
  fi
}
