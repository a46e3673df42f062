package io.emrvke.server.application;

import io.emrvke.server.application.StepTargets.Instance;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.ComponentAction;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.operation.engine.OperationEngine;
import io.emrvke.server.operation.engine.StepContext;
import io.emrvke.server.operation.engine.StepResult;
import io.emrvke.server.runtime.ActionResult;
import io.emrvke.server.runtime.InstanceState;
import io.emrvke.server.runtime.InstanceStatus;
import io.emrvke.server.runtime.RestartTokens;
import io.emrvke.server.runtime.RuntimeFailure;
import io.emrvke.server.runtime.TargetRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;

/**
 * The per-instance steps of RunApplicationAction, by action key ({@code start}, {@code stop},
 * {@code restart}). Each records the instance's desired state, then acts through the runtime and
 * waits, within the step timeout, noticing a cancel while it waits. Idempotent: a restart reuses
 * the token an earlier attempt recorded (the runtime does not roll twice for one token), and the
 * config version a restart writes is written once per operation and instance.
 */
public final class RunActionSteps implements AutoCloseable {
    private static final long POLL_MILLIS = 100;

    private final Jdbi jdbi;
    private final StepTargets stepTargets;
    private final InstanceRepository instances;
    private final ConfigRepository configs;
    private final ExecutorService waits = Executors.newCachedThreadPool(daemonThreads());

    public RunActionSteps(Jdbi jdbi, Catalog catalog, TargetRegistry targets, String nodePoolLabel) {
        this.jdbi = jdbi;
        this.stepTargets = new StepTargets(jdbi, catalog, targets, nodePoolLabel);
        this.instances = new InstanceRepository(jdbi);
        this.configs = new ConfigRepository(jdbi);
    }

    /** The step action key of a component action (its wire name). */
    public static String stepAction(ComponentAction action) {
        return action.wireName();
    }

    public OperationEngine.Builder register(OperationEngine.Builder engine) {
        return engine.executor(stepAction(ComponentAction.START), this::start)
                .executor(stepAction(ComponentAction.STOP), this::stop)
                .executor(stepAction(ComponentAction.RESTART), this::restart);
    }

    StepResult restart(StepContext ctx) throws Exception {
        Instance t = target(ctx);
        String name = t.releaseName();
        if (ctx.cancelRequested()) {
            return StepResult.cancelled("cancelled before restarting " + name);
        }
        String configNote = applyConfigChanges(ctx, t);
        recordDesired(t, DesiredState.RUNNING, t.row().rememberedReplicas());
        String token = ctx.recordedToken().orElseGet(() -> {
            String fresh = RestartTokens.now();
            ctx.recordToken(fresh); // durable before the patch: a resumed attempt reuses it
            return fresh;
        });
        ActionResult restarted = whileNotCancelled(ctx, () -> t.runtime().restart(t.ref(), token, runtimeTimeout(ctx)));
        if (restarted == null) {
            return StepResult.cancelled("cancelled while " + name + " was restarting" + configNote);
        }
        InstanceStatus status = restarted.status();
        String started = "";
        if (status == null || status.state() != InstanceState.RUNNING) {
            // a stopped instance: the restart left it stopped with a fresh template; bring it up
            ActionResult up = whileNotCancelled(ctx, () -> t.runtime().start(t.ref(), runtimeTimeout(ctx)));
            if (up == null) {
                return StepResult.cancelled("cancelled while " + name + " was starting" + configNote);
            }
            status = up.status();
            started = " (it was stopped: started)";
        }
        return StepResult.success(name + " restarted" + started + ": " + pods(status) + configNote);
    }

    StepResult stop(StepContext ctx) throws Exception {
        Instance t = target(ctx);
        String name = t.releaseName();
        if (ctx.cancelRequested()) {
            return StepResult.cancelled("cancelled before stopping " + name);
        }
        InstanceStatus before = t.runtime().status(t.ref());
        recordDesired(t, DesiredState.STOPPED, before != null && before.replicas() > 0
                ? Integer.valueOf(before.replicas()) : t.row().rememberedReplicas());
        ActionResult stopped = whileNotCancelled(ctx, () -> t.runtime().stop(t.ref(), runtimeTimeout(ctx)));
        if (stopped == null) {
            return StepResult.cancelled("cancelled while " + name + " was stopping");
        }
        if (stopped.outcome() == ActionResult.Outcome.ALREADY_DONE) {
            return StepResult.skip(name + " " + note(stopped, "already stopped"));
        }
        return StepResult.success(name + " stopped: no pods running");
    }

    StepResult start(StepContext ctx) throws Exception {
        Instance t = target(ctx);
        String name = t.releaseName();
        if (ctx.cancelRequested()) {
            return StepResult.cancelled("cancelled before starting " + name);
        }
        recordDesired(t, DesiredState.RUNNING, t.row().rememberedReplicas());
        ActionResult started = whileNotCancelled(ctx, () -> t.runtime().start(t.ref(), runtimeTimeout(ctx)));
        if (started == null) {
            return StepResult.cancelled("cancelled while " + name + " was starting");
        }
        if (started.outcome() == ActionResult.Outcome.ALREADY_DONE) {
            return StepResult.skip(name + " " + note(started, "already running"));
        }
        return StepResult.success(name + " started: " + pods(started.status()));
    }

    // --- config ------------------------------------------------------------------------------

    /**
     * Writes the operation's config items the instance mounts as its next config version — once:
     * a resumed attempt finds the history rows of this operation and does not write again — then
     * applies the release rendered from it (applying never rolls pods; the restart does).
     *
     * @return a note for the step message, empty when there is nothing to change
     */
    private String applyConfigChanges(StepContext ctx, Instance t) {
        List<ConfigItem> changes = changesFor(ctx, t.component(), t.app());
        if (changes.isEmpty()) {
            return "";
        }
        String clusterId = t.cluster().clusterId();
        String operationId = ctx.operation().operationId();
        int version = jdbi.inTransaction(h -> {
            InstanceRow row = instances.find(h, clusterId, t.releaseName()).orElseThrow(() ->
                    new IllegalStateException("instance " + t.releaseName() + " no longer exists"));
            boolean written = h.createQuery("SELECT COUNT(*) FROM config_history WHERE cluster_id = :clusterId"
                            + " AND release_name = :releaseName AND operation_id = :operationId")
                    .bind("clusterId", clusterId).bind("releaseName", t.releaseName())
                    .bind("operationId", operationId).mapTo(Long.class).one() > 0;
            if (written || unchanged(h, row, changes)) {
                return row.configVersion();
            }
            return configs.writeNextVersion(h, clusterId, t.app().name(), t.releaseName(), changes, operationId,
                    System.currentTimeMillis());
        });
        t.runtime().apply(ReleaseSpecs.forInstance(clusterId, t.cluster().namespace(), t.releaseName(), t.app(),
                t.component(), ConfigRepository.byFile(configs.current(clusterId, t.releaseName())),
                t.placement()));
        jdbi.useTransaction(h -> instances.nextRevision(h, clusterId, t.releaseName(), System.currentTimeMillis()));
        return "; config version " + version;
    }

    /** True when every change already holds in the instance's current version (nothing to write). */
    private boolean unchanged(org.jdbi.v3.core.Handle h, InstanceRow row, List<ConfigItem> changes) {
        Map<String, String> current = new java.util.HashMap<>();
        for (ConfigItemRow r : configs.version(h, row.clusterId(), row.releaseName(), row.configVersion())) {
            current.put(r.configFileName().toLowerCase(java.util.Locale.ROOT) + "\n" + r.key(), r.value());
        }
        return changes.stream().allMatch(c -> c.value().equals(
                current.get(c.fileName().toLowerCase(java.util.Locale.ROOT) + "\n" + c.key())));
    }

    /** The operation's ApplicationConfigs items of files this component mounts, with the catalog's file names. */
    private static List<ConfigItem> changesFor(StepContext ctx, ComponentSpec component, ApplicationSpec app) {
        RunActionPayload payload;
        try {
            payload = RunActionPayload.decode(ctx.params(), ctx::secretValue);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + " for operation " + ctx.operation().operationId(), e);
        }
        List<ConfigItem> out = new ArrayList<>();
        for (ConfigItem c : payload.changes()) {
            app.mountedFile(component, c.fileName()).ifPresent(f -> out.add(new ConfigItem(f.name(), c.key(), c.value())));
        }
        return out;
    }

    // --- waiting -----------------------------------------------------------------------------

    @FunctionalInterface
    private interface RuntimeCall {
        ActionResult call();
    }

    /**
     * Runs the blocking runtime call on a helper thread and returns its result, or null as soon as
     * the step is asked to stop (cancel, lost lease, step timeout): the wait is then interrupted.
     * A runtime failure (e.g. TIMEOUT naming the pods' states) is rethrown and fails the step.
     */
    private ActionResult whileNotCancelled(StepContext ctx, RuntimeCall call) throws Exception {
        Future<ActionResult> running = waits.submit(call::call);
        while (true) {
            if (ctx.cancelRequested()) {
                running.cancel(true);
                return null;
            }
            try {
                return running.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // still waiting: look at cancel again
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeFailure f) {
                    throw new RuntimeFailure(f.reason(), f.getMessage(), f);
                }
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    /** The step's remaining time less a margin, so the runtime's descriptive timeout comes before the engine's. */
    private static Duration runtimeTimeout(StepContext ctx) {
        return ctx.waitTimeout();
    }

    private static String pods(InstanceStatus s) {
        return s == null ? "state unknown" : s.readyReplicas() + "/" + s.replicas() + " pods ready";
    }

    private static String note(ActionResult r, String fallback) {
        return r.note() == null ? fallback : r.note();
    }

    // --- lookups -----------------------------------------------------------------------------

    private Instance target(StepContext ctx) {
        return stepTargets.instance(ctx, ctx.step().releaseName());
    }

    /** The instance's desired state (what a restart of the server brings back), from the row read for this step. */
    private void recordDesired(Instance t, DesiredState state, Integer rememberedReplicas) {
        jdbi.useTransaction(h -> instances.updateDesiredState(h, t.cluster().clusterId(), t.releaseName(), state,
                rememberedReplicas, System.currentTimeMillis()));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "action-wait-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        waits.shutdownNow();
    }
}
