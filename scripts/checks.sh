#!/usr/bin/env bash
# scripts/checks.sh: the checks ./run test makes before Maven's: docker-compose.yml, the
# production engine's authorizer and the alert rules. Sourced by ../run.
set -euo pipefail

# docker-compose.yml cannot be run here (no Docker engine), so it is validated with compose-go,
# the loader Docker Compose uses, plus the project's rules (tools/compose-check).
check_compose() {
  command -v go >/dev/null 2>&1 || die "validating docker-compose.yml needs Go (it runs tools/compose-check)."
  say "validating docker-compose.yml"
  (cd "$ROOT/tools/compose-check" && go run . "$ROOT/docker-compose.yml")
}

# The worker role's list of APIs in our Temporal server build (tools/temporal-server): its Go tests.
check_temporal_server() {
  need_go "the Temporal server's tests (tools/temporal-server)"
  say "testing the production engine's authorizer (tools/temporal-server)"
  (cd "$ROOT/tools/temporal-server" && go vet ./... && go test ./...)
}

check_alert_rules() {
  local promtool
  promtool="$(ensure_prometheus_tool promtool)"
  say "checking and unit-testing the alert rules (promtool)"
  (cd "$ROOT/config/prometheus" && "$promtool" check rules orders-alerts.yml && "$promtool" test rules orders-alerts-test.yml)
  # PrometheusIT scrapes the end-to-end processes with a real Prometheus
  ORDERS_PROMETHEUS="$(ensure_prometheus_tool prometheus)"
  export ORDERS_PROMETHEUS
}
