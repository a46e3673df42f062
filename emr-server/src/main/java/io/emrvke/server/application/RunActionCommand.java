package io.emrvke.server.application;

import io.emrvke.server.account.Caller;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ComponentAction;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.operation.engine.ClientToken;
import io.emrvke.server.operation.engine.ExecutionOptions;
import java.util.List;

/**
 * A RunApplicationAction as the API layer hands it to the domain, validated and resolved: the
 * caller's RUNNING cluster, the action, the instances in the order they are acted on (each with
 * the config changes it gets, file names in the catalog's spelling), every requested config change
 * (what the operation keeps for its steps), how to run them, and what the operation record shows.
 *
 * @param content     the request as the operation's Content shows it (secret values masked)
 * @param clientToken the request's ClientToken, null without one
 */
public record RunActionCommand(Caller caller, ClusterRow cluster, ComponentAction action, List<Target> targets,
                               List<ConfigItem> changes, int batchSize, ExecutionOptions options, boolean dryRun,
                               String content, String remark, ClientToken clientToken) {

    public RunActionCommand {
        targets = List.copyOf(targets);
        changes = List.copyOf(changes);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
    }

    /** An instance the action targets, with the config items it gets (restart with applicationConfigs). */
    public record Target(ApplicationSpec app, ComponentSpec component, InstanceRow instance, List<ConfigItem> changes) {
        public Target {
            changes = List.copyOf(changes);
        }
    }

    /** How many batches the targets make. */
    public int batchCount() {
        return (targets.size() + batchSize - 1) / batchSize;
    }
}
