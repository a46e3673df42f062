package io.emrvke.server.application;

import io.emrvke.server.catalog.ConfigItems;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.engine.OperationPlan;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.operation.engine.PlannedStep;
import io.emrvke.server.operation.engine.Submission;
import io.emrvke.server.operation.engine.Targets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a {@link RunActionCommand} as one operation holding exactly its instances, one step each,
 * in batches of {@code batchSize}, submitted in one transaction. A dry run stores the same plan
 * already ended SKIP, with each step's config diff as its message, and changes nothing.
 */
public final class RunActions {
    private final ConfigRepository configs;
    private final OperationSubmitter submitter;

    public RunActions(ConfigRepository configs, OperationSubmitter submitter) {
        this.configs = configs;
        this.submitter = submitter;
    }

    public Submission run(RunActionCommand cmd) {
        OperationPlan plan = plan(cmd);
        if (cmd.dryRun()) {
            return submitter.submitSkipped(plan, dryRunMessages(cmd), "Dry run: nothing was changed; Steps hold the"
                    + " plan (" + cmd.targets().size() + " instance(s) in " + cmd.batchCount() + " batch(es)).");
        }
        return submitter.submit(plan);
    }

    private static OperationPlan plan(RunActionCommand cmd) {
        List<PlannedStep> steps = new ArrayList<>();
        Set<String> releaseNames = new LinkedHashSet<>();
        for (int i = 0; i < cmd.targets().size(); i++) {
            RunActionCommand.Target t = cmd.targets().get(i);
            steps.add(new PlannedStep(i / cmd.batchSize(), t.app().name(), t.component().name(),
                    t.instance().releaseName(), RunActionSteps.stepAction(cmd.action())));
            releaseNames.add(t.instance().releaseName());
        }
        RunActionPayload.Encoded payload = new RunActionPayload(cmd.action(), cmd.changes()).encode();
        return OperationPlan.builder(cmd.caller().accountId(), cmd.caller().userId(), cmd.cluster().clusterId(),
                        OperationName.RUN_APPLICATION_ACTION)
                .operator(cmd.caller().userName())
                .content(cmd.content())
                .remark(cmd.remark())
                .params(payload.params())
                .secretValues(payload.secretValues())
                .targets(Targets.instances(releaseNames))
                .steps(steps)
                .options(cmd.options())
                .clientToken(cmd.clientToken())
                .build();
    }

    /** Per step, what it would do and the config diff it would apply (secret values masked). */
    private List<String> dryRunMessages(RunActionCommand cmd) {
        List<String> out = new ArrayList<>();
        for (RunActionCommand.Target t : cmd.targets()) {
            StringBuilder sb = new StringBuilder("dry run: would ").append(cmd.action().wireName()).append(' ')
                    .append(t.instance().releaseName());
            if (!t.changes().isEmpty()) {
                sb.append(" with config version ").append(t.instance().configVersion() + 1).append(": ")
                        .append(diff(cmd, t));
            }
            out.add(sb.toString());
        }
        return out;
    }

    private String diff(RunActionCommand cmd, RunActionCommand.Target t) {
        Map<String, String> current = new LinkedHashMap<>();
        for (ConfigItemRow r : configs.current(cmd.cluster().clusterId(), t.instance().releaseName())) {
            current.put(r.configFileName().toLowerCase(Locale.ROOT) + "\n" + r.key(), r.value());
        }
        List<String> parts = new ArrayList<>();
        for (ConfigItem c : t.changes()) {
            String before = current.get(c.fileName().toLowerCase(Locale.ROOT) + "\n" + c.key());
            String shownBefore = before == null ? "(unset)" : ConfigItems.shown(c.key(), before);
            String change = !c.secret() && Objects.equals(before, c.value()) ? " (unchanged)" : "";
            parts.add(c.fileName() + " " + c.key() + ": " + shownBefore + " → " + c.shownValue() + change);
        }
        return String.join("; ", parts);
    }
}
