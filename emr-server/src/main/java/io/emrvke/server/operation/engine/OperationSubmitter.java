package io.emrvke.server.operation.engine;

import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.operation.OperationRepository;
import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.Database;
import io.emrvke.server.store.Ids;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Stores an operation with all its planned steps and targets in one transaction, after checking
 * the ClientToken and that no unfinished operation holds an overlapping target, then wakes the
 * engine. When {@link #submit} returns, the operation is durable.
 */
public final class OperationSubmitter {
    private static final int ATTEMPTS = 5;

    /** Writes domain rows in the submit's transaction (e.g. the new cluster row), under the cluster's lock. */
    @FunctionalInterface
    public interface InTransaction {
        void write(Handle handle, String operationId);

        InTransaction NONE = (h, id) -> { };
    }

    private final Jdbi jdbi;
    private final OperationRepository operations;
    private final ClusterRepository clusters;
    private final Idempotency idempotency;
    private final Runnable wakeEngine;

    public OperationSubmitter(Database db, Idempotency idempotency, Runnable wakeEngine) {
        this.jdbi = db.jdbi();
        this.operations = new OperationRepository(jdbi);
        this.clusters = new ClusterRepository(jdbi);
        this.idempotency = idempotency;
        this.wakeEngine = wakeEngine;
    }

    /** A submitter that wakes {@code engine} and uses its idempotency settings. */
    public OperationSubmitter(Database db, OperationEngine engine) {
        this(db, engine.idempotency(), engine::wake);
    }

    /**
     * The original answer to a request carrying this ClientToken, if one was stored. Called before
     * any state check, so a retry of a request that changed the state still gets its original answer.
     *
     * @throws ClientTokenReusedException when the token came with other parameters
     */
    public Optional<Submission> replay(long accountId, Optional<ClientToken> token) {
        return replay(accountId, token.orElse(null));
    }

    public Optional<Submission> replay(long accountId, ClientToken token) {
        if (token == null) {
            return Optional.empty();
        }
        return jdbi.inTransaction(h -> idempotency.find(h, accountId, token, System.currentTimeMillis())
                .map(r -> new Submission(r.clusterId(), r.operationId(), true)));
    }

    public Submission submit(OperationPlan plan) {
        return submit(plan, InTransaction.NONE);
    }

    /**
     * Stores the plan, its steps (state ACCEPT) and its secret values and holds its targets, in one
     * transaction with {@code inSameTransaction}.
     *
     * @throws ConflictingOperationException naming the holder; ClientTokenReusedException; or whatever the
     *                                       callback throws
     */
    public Submission submit(OperationPlan plan, InTransaction inSameTransaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                Submission s = jdbi.inTransaction(h -> submitIn(h, plan, inSameTransaction));
                if (!s.replayed()) {
                    wakeEngine.run();
                }
                return s;
            } catch (UnableToExecuteStatementException e) {
                // Two requests racing on one ClientToken (unique key), or a lock wait that gave up:
                // the retry sees the winner's rows.
                if (attempt >= ATTEMPTS || !isRetryable(e)) {
                    throw e;
                }
            }
        }
    }

    private Submission submitIn(Handle h, OperationPlan plan, InTransaction callback) {
        long now = System.currentTimeMillis();
        Optional<Submission> twin = lockAndFindTwin(h, plan, now);
        if (twin.isPresent()) {
            return twin.get();
        }
        refuseConflicts(h, plan);
        String operationId = Ids.newOperationId();
        callback.write(h, operationId);
        operations.insert(h, OperationRow.accepted(operationId, plan.accountId(), plan.userId(), plan.operator(),
                plan.clusterId(), plan.name(), plan.content(), plan.remark(), plan.params(), now), stepRows(operationId, plan));
        storeOptions(h, operationId, plan.options());
        EngineStore.storeSecretValues(h, operationId, plan.secretValues());
        operations.holdTargets(h, plan.clusterId(), operationId, plan.targets().keys());
        rememberToken(h, plan, operationId, now);
        return new Submission(plan.clusterId(), operationId, false);
    }

    /**
     * Locks the cluster row, then looks for the plan's ClientToken. Lock first: a concurrent twin of
     * this request (same token) then finishes before we look, and we answer its result instead of a
     * conflict with it.
     */
    private Optional<Submission> lockAndFindTwin(Handle h, OperationPlan plan, long now) {
        clusters.lock(h, plan.accountId(), plan.clusterId());
        if (plan.clientToken() == null) {
            return Optional.empty();
        }
        return idempotency.find(h, plan.accountId(), plan.clientToken(), now)
                .map(original -> new Submission(original.clusterId(), original.operationId(), true));
    }

    private void rememberToken(Handle h, OperationPlan plan, String operationId, long now) {
        if (plan.clientToken() != null) {
            idempotency.remember(h, plan.accountId(), plan.clientToken(),
                    new Idempotency.Result(plan.clusterId(), operationId), now);
        }
    }

    /**
     * Stores a plan that is not to be run (a dry run): the operation and its steps are written
     * already ended SKIP, each step with its message (e.g. what it would change), holding no
     * targets and no secret values, so the engine never claims it and nothing conflicts with it.
     * The ClientToken is honoured as for {@link #submit}.
     *
     * @param stepMessages one message per step, in the plan's step order
     * @param reason       the operation's StateChangeReason
     */
    public Submission submitSkipped(OperationPlan plan, List<String> stepMessages, String reason) {
        if (stepMessages.size() != plan.steps().size()) {
            throw new IllegalArgumentException("one message per step: " + plan.steps().size() + " steps, "
                    + stepMessages.size() + " messages");
        }
        return jdbi.inTransaction(h -> {
            long now = System.currentTimeMillis();
            Optional<Submission> twin = lockAndFindTwin(h, plan, now);
            if (twin.isPresent()) {
                return twin.get();
            }
            String operationId = Ids.newOperationId();
            OperationRow accepted = OperationRow.accepted(operationId, plan.accountId(), plan.userId(),
                    plan.operator(), plan.clusterId(), plan.name(), plan.content(), plan.remark(), plan.params(), now);
            OperationRow skipped = new OperationRow(operationId, accepted.accountId(), accepted.userId(),
                    accepted.operator(), accepted.clusterId(), accepted.operationName(), OperationState.SKIP, reason,
                    accepted.content(), accepted.remark(), accepted.params(), now, now, now, now, null, null, null,
                    false);
            operations.insert(h, skipped, skippedStepRows(operationId, plan, stepMessages, now));
            storeOptions(h, operationId, plan.options());
            rememberToken(h, plan, operationId, now);
            return new Submission(plan.clusterId(), operationId, false);
        });
    }

    private static List<StepRow> skippedStepRows(String operationId, OperationPlan plan, List<String> messages,
                                                 long now) {
        List<StepRow> planned = stepRows(operationId, plan);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < plan.steps().size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> plan.steps().get(i).batchIndex()));
        List<StepRow> out = new ArrayList<>(planned.size());
        for (int i = 0; i < planned.size(); i++) {
            StepRow p = planned.get(i);
            out.add(new StepRow(p.operationId(), p.stepIndex(), p.stepId(), p.batchIndex(), p.applicationName(),
                    p.componentName(), p.releaseName(), p.action(), StepState.SKIP, now, now,
                    OperationRun.clip(messages.get(order.get(i))), null, 0));
        }
        return out;
    }

    private void refuseConflicts(Handle h, OperationPlan plan) {
        Optional<String> holder = operations.findConflict(h, plan.clusterId(), plan.targets().keys());
        if (holder.isPresent()) {
            throw new ConflictingOperationException("Operation " + holder.get() + " is still running on "
                    + describe(plan.targets()) + " of cluster " + plan.clusterId()
                    + "; wait for it to end or cancel it (CancelOperation), then retry.");
        }
    }

    private static String describe(Targets targets) {
        return targets.whole() ? "the cluster or some of its instances"
                : "instance(s) " + String.join(", ", targets.keys()) + " or the whole cluster";
    }

    /** Steps numbered in batch order (stable within a batch), so step_index order is execution order. */
    private static List<StepRow> stepRows(String operationId, OperationPlan plan) {
        List<PlannedStep> ordered = new ArrayList<>(plan.steps());
        ordered.sort(Comparator.comparingInt(PlannedStep::batchIndex));
        List<StepRow> rows = new ArrayList<>(ordered.size());
        for (int i = 0; i < ordered.size(); i++) {
            PlannedStep p = ordered.get(i);
            rows.add(StepRow.planned(operationId, i, p.batchIndex(), p.applicationName(), p.componentName(),
                    p.releaseName(), p.action()));
        }
        return rows;
    }

    private static void storeOptions(Handle h, String operationId, ExecutionOptions o) {
        h.createUpdate("UPDATE operations SET failure_strategy = :strategy, batch_interval_ms = :interval,"
                        + " step_timeout_ms = :timeout WHERE operation_id = :id")
                .bind("strategy", o.failureStrategy().name()).bind("interval", o.batchIntervalMillis())
                .bind("timeout", o.stepTimeoutMillis()).bind("id", operationId)
                .execute();
    }

    private static boolean isRetryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 23505 unique violation, 40001 serialization, 40P01 deadlock, HYT00 H2 lock timeout
                if (state.equals("23505") || state.equals("40001") || state.equals("40P01") || state.equals("HYT00")) {
                    return true;
                }
            }
        }
        return false;
    }
}
