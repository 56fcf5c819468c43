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
RELAY_JAR="$ROOT/relay/target/relay-$VERSION-exec.jar"
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

# The commit the workers' build id names (their application.yml; docs/changing-workflows.md): the
# short commit, plus -dirty-<hash of the changes> when what the jars are built from differs from it,
# so that different code never shares a build id. Outside git: a hash of those sources.
orders_commit() {
  local inputs=(pom.xml '*/pom.xml' '*/src/main/*') commit
  if ! commit="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null)"; then
    (cd "$ROOT" && find pom.xml ./*/pom.xml ./*/src/main -type f | LC_ALL=C sort | xargs sha256sum) \
      | sha256sum | cut -c1-12 | sed 's/^/src-/'
    return
  fi
  local changes
  changes="$(cd "$ROOT" && { git diff --no-ext-diff --binary HEAD -- "${inputs[@]}"
    git ls-files -z --others --exclude-standard -- "${inputs[@]}" | xargs -0r sha256sum; } | sha256sum | cut -c1-12)"
  if [[ -n "$(cd "$ROOT" && git status --porcelain -- "${inputs[@]}")" ]]; then
    echo "$commit-dirty-$changes"
  else
    echo "$commit"
  fi
}

# True unless the workers jar was built for commit $1: Maven's filtered copy of application.yml
# names it, and is no newer than the jar made from it.
built_for_other_commit() {
  local yml="$ROOT/workers/target/classes/application.yml"
  [[ ! -f "$yml" || "$yml" -nt "$WORKERS_JAR" ]] || ! grep -qF -- "-$1}" "$yml"
}

build() {
  local commit
  commit="$(orders_commit)"
  # shellcheck disable=SC2034  # the build id the workers register with, for the banner (stack.sh)
  BUILD_ID="${ORDERS_BUILD_ID:-$VERSION-$commit}"
  if sources_newer_than "$WORKERS_JAR" || sources_newer_than "$API_JAR" || sources_newer_than "$RELAY_JAR" \
      || sources_newer_than "$AUTH_JAR" || sources_newer_than "$DEVTOOLS_JAR" || sources_newer_than "$BENCH_JAR" || built_for_other_commit "$commit"; then
    say "building $VERSION-$commit (mvn package, tests skipped; ./run test runs them)"
    # package, not install: the reactor resolves the modules from each other, and ~/.m2 stays untouched
    mvn -B -q -f "$ROOT/pom.xml" package -DskipTests -Dorders.commit="$commit"
  fi
}
