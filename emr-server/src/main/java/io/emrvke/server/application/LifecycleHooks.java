package io.emrvke.server.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.Json;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.OperationRepository;
import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.operation.engine.OperationEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What the end of a lifecycle operation means for the cluster and its applications. Each runs in
 * the transaction that ends the operation, so domain state and operation state change together.
 */
public final class LifecycleHooks {
    /** Key of the DeleteCluster params holding the state to return to if the delete fails. */
    public static final String PREVIOUS_STATE = "PreviousState";

    private final ClusterRepository clusters;
    private final ApplicationRepository applications;
    private final OperationRepository operations;
    private final Deployments deployments;

    public LifecycleHooks(Jdbi jdbi) {
        this.clusters = new ClusterRepository(jdbi);
        this.applications = new ApplicationRepository(jdbi);
        this.operations = new OperationRepository(jdbi);
        this.deployments = new Deployments(jdbi);
    }

    /** Registers the four hooks on an engine builder. */
    public OperationEngine.Builder register(OperationEngine.Builder builder) {
        return builder.lifecycle(OperationName.CREATE_CLUSTER, this::createClusterFinished)
                .lifecycle(OperationName.DELETE_CLUSTER, this::deleteClusterFinished)
                .lifecycle(OperationName.DEPLOY_APPLICATIONS, this::deployFinished)
                .lifecycle(OperationName.UNDEPLOY_APPLICATIONS, this::undeployFinished);
    }

    /** All steps succeeded: RUNNING, apps INSTALLED; else INIT_FAILED naming what failed and why. */
    void createClusterFinished(Handle h, OperationRow op, OperationState end, String reason) {
        long now = System.currentTimeMillis();
        List<StepRow> steps = operations.steps(h, op.operationId());
        List<String> failures = settleInstalls(h, op.clusterId(), steps, end, reason, now);
        if (end == OperationState.SUCCESS) {
            clusters.updateState(h, op.clusterId(), ClusterState.RUNNING, null, now);
            return;
        }
        String why = steps.stream().filter(s -> s.state() == StepState.FAILED
                        && LifecycleSteps.CREATE_NAMESPACE.equals(s.action())).findFirst()
                .map(s -> "The namespace could not be created: " + s.message())
                .orElseGet(() -> failures.isEmpty() ? describeEnd(end, reason) : String.join("; ", failures));
        clusters.updateState(h, op.clusterId(), ClusterState.INIT_FAILED, clip(why), now);
    }

    /** Success: DELETED, applications/instances/config items removed; else back to the state it had. */
    void deleteClusterFinished(Handle h, OperationRow op, OperationState end, String reason) {
        long now = System.currentTimeMillis();
        if (end == OperationState.SUCCESS) {
            deployments.removeAll(h, op.clusterId());
            clusters.updateState(h, op.clusterId(), ClusterState.DELETED, null, now);
            return;
        }
        settleRemovals(h, op.clusterId(), operations.steps(h, op.operationId()), reason, now);
        clusters.updateState(h, op.clusterId(), previousState(op), clip("DeleteCluster " + op.operationId() + " "
                + describeEnd(end, reason) + "; call DeleteVirtualCluster again to retry."), now);
    }

    /** Each application INSTALLED when all its instances deployed, else INSTALL_FAILED with the reason. */
    void deployFinished(Handle h, OperationRow op, OperationState end, String reason) {
        settleInstalls(h, op.clusterId(), operations.steps(h, op.operationId()), end, reason,
                System.currentTimeMillis());
    }

    /** Each application removed when all its instances were undeployed, else UNINSTALL_FAILED with the reason. */
    void undeployFinished(Handle h, OperationRow op, OperationState end, String reason) {
        settleRemovals(h, op.clusterId(), operations.steps(h, op.operationId()), reason, System.currentTimeMillis());
    }

    /** Sets every application with deploy steps INSTALLED or INSTALL_FAILED; returns one sentence per failure. */
    private List<String> settleInstalls(Handle h, String clusterId, List<StepRow> steps, OperationState end,
                                        String reason, long now) {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<StepRow>> app : byApplication(steps, LifecycleSteps.DEPLOY).entrySet()) {
            String problem = problemOf(app.getValue());
            if (problem == null) {
                applications.updateState(h, clusterId, List.of(app.getKey()), ApplicationState.INSTALLED, null, now);
                continue;
            }
            String sentence = "Application " + app.getKey() + " failed to install: "
                    + (problem.isEmpty() ? describeEnd(end, reason) : problem);
            failures.add(sentence);
            applications.updateState(h, clusterId, List.of(app.getKey()), ApplicationState.INSTALL_FAILED,
                    clip(sentence), now);
        }
        return failures;
    }

    /** Removes every application whose undeploy steps all succeeded; marks the others UNINSTALL_FAILED. */
    private void settleRemovals(Handle h, String clusterId, List<StepRow> steps, String reason, long now) {
        for (Map.Entry<String, List<StepRow>> app : byApplication(steps, LifecycleSteps.UNDEPLOY).entrySet()) {
            String problem = problemOf(app.getValue());
            if (problem == null) {
                deployments.remove(h, clusterId, List.of(app.getKey()));
            } else {
                applications.updateState(h, clusterId, List.of(app.getKey()), ApplicationState.UNINSTALL_FAILED,
                        clip("Application " + app.getKey() + " failed to uninstall: "
                                + (problem.isEmpty() ? String.valueOf(reason) : problem)), now);
            }
        }
    }

    /** Null when every step succeeded (or had nothing to do); the failed step's story; "" when steps did not run. */
    private static String problemOf(List<StepRow> steps) {
        for (StepRow s : steps) {
            if (s.state() == StepState.FAILED) {
                return s.action() + " of " + s.releaseName() + " failed"
                        + (s.message() == null || s.message().isBlank() ? "" : ": " + s.message());
            }
        }
        boolean allDone = steps.stream().allMatch(s -> s.state() == StepState.SUCCESS || s.state() == StepState.SKIP);
        return allDone ? null : "";
    }

    private static Map<String, List<StepRow>> byApplication(List<StepRow> steps, String action) {
        Map<String, List<StepRow>> out = new LinkedHashMap<>();
        for (StepRow s : steps) {
            if (action.equals(s.action()) && s.applicationName() != null) {
                out.computeIfAbsent(s.applicationName(), k -> new ArrayList<>()).add(s);
            }
        }
        return out;
    }

    private static String describeEnd(OperationState end, String reason) {
        String what = end == OperationState.CANCEL ? "was cancelled" : "ended " + end.wireName();
        return reason == null || reason.isBlank() ? what : what + ": " + reason;
    }

    private static ClusterState previousState(OperationRow op) {
        try {
            JsonNode params = Json.plain().readTree(op.params() == null ? "{}" : op.params());
            return ClusterState.fromWire(params.path(PREVIOUS_STATE).asText("RUNNING"));
        } catch (Exception e) {
            return ClusterState.RUNNING;
        }
    }

    private static String clip(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }
}
