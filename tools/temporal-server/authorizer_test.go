package main

import (
	"context"
	"testing"

	"go.temporal.io/server/common/api"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/log"
)

const namespace = "default"

func workflowAPI(method string) string { return api.WorkflowServicePrefix + method }

func roleIn(ns string, role authorization.Role) *authorization.Claims {
	return &authorization.Claims{Subject: "someone", Namespaces: map[string]authorization.Role{ns: role}}
}

func decide(t *testing.T, claims *authorization.Claims, apiName string, ns string) authorization.Decision {
	t.Helper()
	result, err := newWorkerAwareAuthorizer(log.NewNoopLogger()).Authorize(context.Background(), claims,
		&authorization.CallTarget{APIName: apiName, Namespace: ns})
	if err != nil {
		t.Fatalf("%s: %v", apiName, err)
	}
	return result.Decision
}

func expect(t *testing.T, who string, claims *authorization.Claims, want authorization.Decision, apiNames ...string) {
	t.Helper()
	for _, apiName := range apiNames {
		if got := decide(t, claims, apiName, namespace); got != want {
			t.Errorf("%s calling %s: got decision %d, want %d", who, api.MethodName(apiName), got, want)
		}
	}
}

func TestWorkerMayRunWorkflowsAndActivities(t *testing.T) {
	expect(t, "worker", roleIn(namespace, authorization.RoleWorker), authorization.DecisionAllow,
		workflowAPI("PollWorkflowTaskQueue"), workflowAPI("RespondWorkflowTaskCompleted"),
		workflowAPI("RespondWorkflowTaskFailed"), workflowAPI("RespondQueryTaskCompleted"),
		workflowAPI("PollActivityTaskQueue"), workflowAPI("RecordActivityTaskHeartbeat"),
		workflowAPI("RespondActivityTaskCompleted"), workflowAPI("RespondActivityTaskFailed"),
		workflowAPI("RespondActivityTaskCanceled"), workflowAPI("ShutdownWorker"),
		workflowAPI("DescribeNamespace"), workflowAPI("GetWorkflowExecutionHistory"))
}

func TestWorkerMayManageTheSweepScheduleAndItsDeploymentVersion(t *testing.T) {
	expect(t, "worker", roleIn(namespace, authorization.RoleWorker), authorization.DecisionAllow,
		workflowAPI("CreateSchedule"), workflowAPI("DescribeSchedule"), workflowAPI("UpdateSchedule"),
		workflowAPI("StartWorkflowExecution"),
		workflowAPI("DescribeWorkerDeployment"), workflowAPI("DescribeWorkerDeploymentVersion"),
		workflowAPI("SetWorkerDeploymentCurrentVersion"))
}

func TestWorkerMayNotControlWorkflows(t *testing.T) {
	expect(t, "worker", roleIn(namespace, authorization.RoleWorker), authorization.DecisionDeny,
		workflowAPI("TerminateWorkflowExecution"), workflowAPI("ResetWorkflowExecution"),
		workflowAPI("SignalWorkflowExecution"), workflowAPI("SignalWithStartWorkflowExecution"),
		workflowAPI("UpdateWorkflowExecution"), workflowAPI("RequestCancelWorkflowExecution"),
		workflowAPI("DeleteWorkflowExecution"), workflowAPI("UpdateWorkflowExecutionOptions"),
		workflowAPI("StartBatchOperation"), workflowAPI("DeleteSchedule"),
		workflowAPI("SetWorkerDeploymentRampingVersion"), workflowAPI("UpdateNamespace"),
		api.OperatorServicePrefix+"AddSearchAttributes", api.OperatorServicePrefix+"DeleteNamespace",
		api.AdminServicePrefix+"DescribeMutableState")
}

func TestWorkerRoleCountsOnlyInItsNamespace(t *testing.T) {
	worker := roleIn(namespace, authorization.RoleWorker)
	if got := decide(t, worker, workflowAPI("PollWorkflowTaskQueue"), "elsewhere"); got != authorization.DecisionDeny {
		t.Errorf("a worker of %s polled namespace elsewhere: decision %d", namespace, got)
	}
	systemWorker := &authorization.Claims{Subject: "someone", System: authorization.RoleWorker}
	if got := decide(t, systemWorker, workflowAPI("PollWorkflowTaskQueue"), "elsewhere"); got != authorization.DecisionAllow {
		t.Errorf("a system-wide worker could not poll namespace elsewhere: decision %d", got)
	}
}

func TestWriterMayStartAndTerminateButNotAdminister(t *testing.T) {
	writer := roleIn(namespace, authorization.RoleWriter)
	expect(t, "writer", writer, authorization.DecisionAllow,
		workflowAPI("StartWorkflowExecution"), workflowAPI("TerminateWorkflowExecution"),
		workflowAPI("UpdateWorkflowExecution"), workflowAPI("QueryWorkflow"), workflowAPI("ListWorkflowExecutions"))
	expect(t, "writer", writer, authorization.DecisionDeny,
		api.OperatorServicePrefix+"AddSearchAttributes", workflowAPI("UpdateNamespace"))
}

func TestAdminMayCallEverything(t *testing.T) {
	admin := roleIn(namespace, authorization.RoleAdmin)
	expect(t, "admin", admin, authorization.DecisionAllow,
		workflowAPI("TerminateWorkflowExecution"), workflowAPI("ResetWorkflowExecution"),
		workflowAPI("RequestCancelWorkflowExecution"), workflowAPI("ListWorkflowExecutions"),
		workflowAPI("RegisterNamespace"), workflowAPI("UpdateNamespace"),
		api.OperatorServicePrefix+"AddSearchAttributes", api.OperatorServicePrefix+"ListSearchAttributes")
}

func TestNamespaceRolesMayReadWhatTheWebUIAsksTheCluster(t *testing.T) {
	clusterReads := []string{workflowAPI("GetClusterInfo"), workflowAPI("ListNamespaces")}
	for _, role := range []authorization.Role{authorization.RoleReader, authorization.RoleWriter, authorization.RoleAdmin} {
		expect(t, "namespace role", roleIn(namespace, role), authorization.DecisionAllow, clusterReads...)
	}
	expect(t, "worker", roleIn(namespace, authorization.RoleWorker), authorization.DecisionDeny, clusterReads...)
	expect(t, "no permissions", &authorization.Claims{Subject: "user_1"}, authorization.DecisionDeny, clusterReads...)
	expect(t, "no claims", nil, authorization.DecisionDeny, clusterReads...)
	// nothing else cluster-wide comes with it
	expect(t, "namespace admin", roleIn(namespace, authorization.RoleAdmin), authorization.DecisionDeny,
		workflowAPI("GetSearchAttributes"), api.OperatorServicePrefix+"ListClusters", api.AdminServicePrefix+"DescribeCluster")
}

func TestNoClaimsAndNoPermissionsAreRefused(t *testing.T) {
	customer := &authorization.Claims{Subject: "user_1"} // a valid token without a permissions claim
	for who, claims := range map[string]*authorization.Claims{"no claims": nil, "no permissions": customer} {
		expect(t, who, claims, authorization.DecisionDeny,
			workflowAPI("PollWorkflowTaskQueue"), workflowAPI("DescribeNamespace"),
			workflowAPI("ListWorkflowExecutions"), workflowAPI("TerminateWorkflowExecution"))
	}
	// the health check stays open, as in the default authorizer
	expect(t, "no claims", nil, authorization.DecisionAllow, workflowAPI("GetSystemInfo"))
}

func TestEveryWorkerAPIIsANamespaceWriteAPI(t *testing.T) {
	for apiName := range workerAPIs {
		metadata := api.GetMethodMetadata(apiName)
		if metadata.Scope != api.ScopeNamespace || metadata.Access != api.AccessWrite {
			t.Errorf("%s: scope %d, access %d; a misspelt name or an API the list need not carry", apiName, metadata.Scope, metadata.Access)
		}
	}
}
