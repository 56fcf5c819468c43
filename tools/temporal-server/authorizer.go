package main

import (
	"context"

	"go.temporal.io/server/common/api"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// What a worker process of this service calls besides reading (every namespace-scoped read-only API,
// as for a reader): the stock default authorizer lets RoleWorker call nothing at all, since it
// compares roles as numbers and RoleWorker is the lowest. Everything a worker must not do (terminate,
// reset, cancel, signal, update, delete a workflow, change its options) is absent on purpose.
var workerAPIs = apiSet(api.WorkflowServicePrefix,
	// task queues: polls, completions, failures, heartbeats, query answers
	"PollWorkflowTaskQueue", "RespondWorkflowTaskCompleted", "RespondWorkflowTaskFailed",
	"RespondQueryTaskCompleted", "ResetStickyTaskQueue",
	"PollActivityTaskQueue", "RecordActivityTaskHeartbeat", "RecordActivityTaskHeartbeatById",
	"RespondActivityTaskCompleted", "RespondActivityTaskCompletedById",
	"RespondActivityTaskFailed", "RespondActivityTaskFailedById",
	"RespondActivityTaskCanceled", "RespondActivityTaskCanceledById",
	"PollNexusTaskQueue", "RespondNexusTaskCompleted", "RespondNexusTaskFailed",
	// the worker process itself
	"RecordWorkerHeartbeat", "ShutdownWorker",
	// the shipment deadline sweep: its schedule (created or updated at start), and its activity, which
	// starts a ShipmentWorkflow for each overdue shipment
	"CreateSchedule", "UpdateSchedule", "StartWorkflowExecution",
	// a new build makes itself the Worker Deployment's current version when none is (DeploymentCurrentVersion)
	"SetWorkerDeploymentCurrentVersion",
)

// What the Web UI asks the cluster before it shows anything (its version and the namespaces to offer),
// for a signed-in operator whose token names roles in namespaces only: the default authorizer gives
// these cluster-scoped reads to system-wide roles alone, and the UI sends a refused visitor back to
// sign in. Any caller with a reader, writer or admin role in some namespace may read them.
var clusterReadsForNamespaceRoles = apiSet(api.WorkflowServicePrefix, "GetClusterInfo", "ListNamespaces")

func apiSet(prefix string, methods ...string) map[string]bool {
	set := make(map[string]bool, len(methods))
	for _, method := range methods {
		set[prefix+method] = true
	}
	return set
}

// workerAwareAuthorizer is Temporal's default authorizer plus two rules: a caller holding the worker
// role in the target namespace (or system-wide) may call workerAPIs and the namespace's read-only
// APIs, and a caller with a reader role or above in any namespace may call clusterReadsForNamespaceRoles.
// Every other decision is the default authorizer's.
type workerAwareAuthorizer struct {
	fallback authorization.Authorizer
	logger   log.Logger
}

func newWorkerAwareAuthorizer(logger log.Logger) authorization.Authorizer {
	return &workerAwareAuthorizer{fallback: authorization.NewDefaultAuthorizer(), logger: logger}
}

func (a *workerAwareAuthorizer) Authorize(ctx context.Context, claims *authorization.Claims, target *authorization.CallTarget) (authorization.Result, error) {
	isWorker := hasWorkerRole(claims, target)
	if isWorker && workerMayCall(target.APIName) || clusterReadsForNamespaceRoles[target.APIName] && readsSomeNamespace(claims) {
		return authorization.Result{Decision: authorization.DecisionAllow}, nil
	}
	result, err := a.fallback.Authorize(ctx, claims, target)
	if err == nil && isWorker && result.Decision != authorization.DecisionAllow {
		// either a worker needs an API missing from workerAPIs, or its credential is being misused
		a.logger.Warn("refused an API outside the worker role's list",
			tag.NewStringTag("api", target.APIName), tag.WorkflowNamespace(target.Namespace),
			tag.NewStringTag("subject", claims.Subject))
	}
	return result, err
}

func hasWorkerRole(claims *authorization.Claims, target *authorization.CallTarget) bool {
	if claims == nil || api.GetMethodMetadata(target.APIName).Scope != api.ScopeNamespace {
		return false
	}
	return (claims.System|claims.Namespaces[target.Namespace])&authorization.RoleWorker != 0
}

func readsSomeNamespace(claims *authorization.Claims) bool {
	if claims == nil {
		return false
	}
	for _, role := range claims.Namespaces {
		if role&(authorization.RoleReader|authorization.RoleWriter|authorization.RoleAdmin) != 0 {
			return true
		}
	}
	return false
}

func workerMayCall(apiName string) bool {
	metadata := api.GetMethodMetadata(apiName)
	return workerAPIs[apiName] || (metadata.Scope == api.ScopeNamespace && metadata.Access == api.AccessReadOnly)
}
