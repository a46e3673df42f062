package io.emrvke.server.application;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.server.application.LifecycleOperations.LockedCheck;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.engine.OperationPlan;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.operation.engine.PlannedStep;
import io.emrvke.server.operation.engine.Submission;
import io.emrvke.server.operation.engine.Targets;
import java.util.Set;

/**
 * Plans and submits CreateComponentInstance and DeleteComponentInstance: one operation holding just
 * that instance, one step. On create the instance row and its config version 1 are written in the
 * submit's transaction, so a request that got an OperationId has its row.
 */
public final class InstanceOperations {
    private final InstanceRepository instances;
    private final ConfigRepository configs;
    private final OperationSubmitter submitter;

    public InstanceOperations(InstanceRepository instances, ConfigRepository configs, OperationSubmitter submitter) {
        this.instances = instances;
        this.configs = configs;
        this.submitter = submitter;
    }

    public Submission create(InstanceCommand cmd, LockedCheck stillFree) {
        OperationPlan plan = plan(cmd, OperationName.CREATE_COMPONENT_INSTANCE, InstanceStepExecutors.CREATE_INSTANCE);
        return submitter.submit(plan, (h, operationId) -> {
            stillFree.check(h);
            String clusterId = cmd.cluster().clusterId();
            long now = System.currentTimeMillis();
            instances.insert(h, InstanceRow.created(clusterId, cmd.releaseName(), cmd.app().name(),
                    cmd.component().name(), cmd.component().workloadKind().wireName(), now));
            configs.writeFirstVersion(h, clusterId, cmd.app().name(), cmd.releaseName(),
                    ConfigItem.defaultsOf(cmd.app(), cmd.component()), cmd.items(), operationId, now);
        });
    }

    public Submission delete(InstanceCommand cmd, LockedCheck notTheLast) {
        OperationPlan plan = plan(cmd, OperationName.DELETE_COMPONENT_INSTANCE, InstanceStepExecutors.DELETE_INSTANCE);
        return submitter.submit(plan, (h, operationId) -> notTheLast.check(h));
    }

    private static OperationPlan plan(InstanceCommand cmd, OperationName name, String stepAction) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("ApplicationName", cmd.app().name());
        params.put("ComponentName", cmd.component().name());
        params.put("ReleaseName", cmd.releaseName());
        return cmd.requester().plan(cmd.cluster().clusterId(), name)
                .params(params.toString())
                .targets(Targets.instances(Set.of(cmd.releaseName())))
                .step(new PlannedStep(0, cmd.app().name(), cmd.component().name(), cmd.releaseName(), stepAction))
                .build();
    }
}
