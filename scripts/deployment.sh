#!/usr/bin/env bash
# scripts/deployment.sh: ./run deployment, the rollout's steps (docs/changing-workflows.md) as the
# Temporal CLI's commands on Worker Deployment orders of ORDERS_TEMPORAL_TARGET and
# ORDERS_TEMPORAL_NAMESPACE (default: the local engine of ./run). Sourced by ../run.
set -euo pipefail

DEPLOYMENT="orders"  # spring.temporal.workers[0].deployment-properties.deployment-name

# ./run deployment [describe | ramp BUILD PERCENT | current BUILD | open BUILD|unversioned]
cmd_deployment() {
  detect_local_engine  # ./run's own production engine: its CA, and the operator's token
  local command=()
  case "${1:-describe}" in
    describe) command=(worker deployment describe --name "$DEPLOYMENT") ;;
    ramp) command=(worker deployment set-ramping-version --deployment-name "$DEPLOYMENT"
            --build-id "${2:?usage: ./run deployment ramp BUILD PERCENT}" --percentage "${3:?usage: ./run deployment ramp BUILD PERCENT}" --yes) ;;
    current) command=(worker deployment set-current-version --deployment-name "$DEPLOYMENT"
               --build-id "${2:?usage: ./run deployment current BUILD}" --yes) ;;
    open)
      local which="TemporalWorkerDeploymentVersion='$DEPLOYMENT:${2:?usage: ./run deployment open BUILD|unversioned}'"
      [[ "$2" == unversioned ]] && which="TemporalWorkerDeployment IS NULL"
      command=(workflow count -q "WorkflowType='OrderWorkflow' AND ExecutionStatus='Running' AND $which") ;;
    *) die "usage: ./run deployment [describe | ramp BUILD PERCENT | current BUILD | open BUILD|unversioned]" ;;
  esac
  temporal_cli_connect
  say "temporal ${command[*]}"
  temporal_cli "${command[@]}"
}
