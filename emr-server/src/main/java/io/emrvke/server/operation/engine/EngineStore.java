package io.emrvke.server.operation.engine;

import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationRepository;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.SecretColumn;
import io.emrvke.server.store.StoreSecrets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The engine's SQL: claims, heartbeats and fenced transitions. Every write on behalf of a running
 * operation first takes the operation row with a conditional UPDATE that requires this process's
 * unexpired lease and an unfinished state (the fence); it then holds the row lock to its commit.
 */
final class EngineStore {
    static final String UNFINISHED = "('ACCEPT', 'RUNNING')";

    private final Jdbi jdbi;
    private final OperationRepository operations;
    private final String owner;
    private final long leaseMillis;

    EngineStore(Jdbi jdbi, String owner, long leaseMillis) {
        this.jdbi = jdbi;
        this.operations = new OperationRepository(jdbi);
        this.owner = owner;
        this.leaseMillis = leaseMillis;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    OperationRepository operations() {
        return operations;
    }

    /** Unfinished operations this process may claim: unleased, expired, or left by an earlier run of its own. */
    List<String> claimable(long now, int limit, Set<String> runningHere) {
        return jdbi.withHandle(h -> h.createQuery("SELECT operation_id FROM operations WHERE state IN " + UNFINISHED
                        + " AND (lease_owner IS NULL OR lease_expires < :now OR lease_owner = :owner)"
                        + " ORDER BY create_time, operation_id LIMIT :limit")
                .bind("now", now).bind("owner", owner).bind("limit", limit + runningHere.size())
                .mapTo(String.class).list()
                .stream().filter(id -> !runningHere.contains(id)).limit(limit).toList());
    }

    /** Atomically takes the lease if it is free, expired or already ours. */
    boolean claim(String operationId, long now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE operations SET lease_owner = :owner,"
                        + " lease_expires = :expires, heartbeat_time = :now WHERE operation_id = :id"
                        + " AND state IN " + UNFINISHED
                        + " AND (lease_owner IS NULL OR lease_expires < :now OR lease_owner = :owner)")
                .bind("owner", owner).bind("expires", now + leaseMillis).bind("now", now).bind("id", operationId)
                .execute()) == 1;
    }

    /** Extends our lease; false when it is no longer ours (or the operation ended). */
    boolean heartbeat(String operationId, long now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE operations SET lease_expires = :expires,"
                        + " heartbeat_time = :now WHERE operation_id = :id AND lease_owner = :owner"
                        + " AND lease_expires >= :now AND state IN " + UNFINISHED)
                .bind("owner", owner).bind("expires", now + leaseMillis).bind("now", now).bind("id", operationId)
                .execute()) == 1;
    }

    /** Whether the operation is in a final state (or gone). */
    boolean ended(String operationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM operations WHERE operation_id = :id"
                        + " AND state IN " + UNFINISHED)
                .bind("id", operationId).mapTo(Integer.class).one()) == 0;
    }

    boolean cancelRequested(String operationId) {
        return jdbi.withHandle(h -> cancelRequested(h, operationId));
    }

    static boolean cancelRequested(Handle h, String operationId) {
        return h.createQuery("SELECT cancel_requested FROM operations WHERE operation_id = :id")
                .bind("id", operationId).mapTo(Boolean.class).findOne().orElse(false);
    }

    /** The operation with its steps and execution options; empty when it does not exist. */
    Optional<Loaded> load(String operationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT account_id, failure_strategy, batch_interval_ms,"
                        + " step_timeout_ms FROM operations WHERE operation_id = :id")
                .bind("id", operationId)
                .map((rs, ctx) -> new Owned(rs.getLong("account_id"), new ExecutionOptions(
                        FailureStrategy.valueOf(rs.getString("failure_strategy")), rs.getLong("batch_interval_ms"),
                        rs.getLong("step_timeout_ms"))))
                .findOne())
                .flatMap(o -> operations.get(o.accountId(), operationId).map(d -> new Loaded(d, o.options())));
    }

    private record Owned(long accountId, ExecutionOptions options) {
    }

    record Loaded(OperationDetail detail, ExecutionOptions options) {
    }

    /**
     * Runs {@code work} in a transaction that first proves this process holds the lease.
     *
     * @throws LeaseLostException when it does not
     */
    <T> T fenced(String operationId, Runnable onCancelSeen, FencedWork<T> work) {
        return jdbi.inTransaction(h -> {
            long now = System.currentTimeMillis();
            int held = h.createUpdate("UPDATE operations SET update_time = :now WHERE operation_id = :id"
                            + " AND lease_owner = :owner AND lease_expires >= :now AND state IN " + UNFINISHED)
                    .bind("now", now).bind("id", operationId).bind("owner", owner).execute();
            if (held != 1) {
                throw new LeaseLostException(operationId);
            }
            // The row is ours and locked: reading the cancel flag here refreshes it at every transition.
            if (cancelRequested(h, operationId)) {
                onCancelSeen.run();
            }
            return work.run(h, now);
        });
    }

    @FunctionalInterface
    interface FencedWork<T> {
        T run(Handle h, long now);
    }

    static void markOperationRunning(Handle h, String operationId, long now) {
        h.createUpdate("UPDATE operations SET state = 'RUNNING', start_time = :now, update_time = :now"
                        + " WHERE operation_id = :id AND state = 'ACCEPT'")
                .bind("now", now).bind("id", operationId).execute();
    }

    /** Starts an attempt of each step: RUNNING, start time, attempt + 1; returns the attempt number by step index. */
    static Map<Integer, Integer> markStepsRunning(Handle h, String operationId, List<Integer> stepIndexes, long now) {
        h.createUpdate("UPDATE operation_steps SET state = 'RUNNING', start_time = :now, end_time = NULL,"
                        + " message = NULL, attempt = attempt + 1 WHERE operation_id = :id AND step_index IN (<steps>)")
                .bind("now", now).bind("id", operationId).bindList("steps", stepIndexes).execute();
        Map<Integer, Integer> attempts = new HashMap<>();
        h.createQuery("SELECT step_index, attempt FROM operation_steps WHERE operation_id = :id"
                        + " AND step_index IN (<steps>)")
                .bind("id", operationId).bindList("steps", stepIndexes)
                .map((rs, ctx) -> Map.entry(rs.getInt("step_index"), rs.getInt("attempt")))
                .forEach(e -> attempts.put(e.getKey(), e.getValue()));
        return attempts;
    }

    /** Ends one attempt of a step; false when that attempt had already been ended (e.g. timed out). */
    static boolean endStep(Handle h, String operationId, int stepIndex, int attempt, StepState state,
                           String message, long now) {
        return h.createUpdate("UPDATE operation_steps SET state = :state, end_time = :now, message = :message"
                        + " WHERE operation_id = :id AND step_index = :step AND attempt = :attempt"
                        + " AND state = 'RUNNING'")
                .bind("state", state.wireName()).bind("now", now).bind("message", message)
                .bind("id", operationId).bind("step", stepIndex).bind("attempt", attempt).execute() == 1;
    }

    static void recordToken(Handle h, String operationId, int stepIndex, String token) {
        h.createUpdate("UPDATE operation_steps SET restart_token = :token"
                        + " WHERE operation_id = :id AND step_index = :step")
                .bind("token", token).bind("id", operationId).bind("step", stepIndex).execute();
    }

    /** Steps not started yet (or left running) end CANCEL with {@code message}; returns how many. */
    static int cancelUnfinishedSteps(Handle h, String operationId, String message, long now) {
        return h.createUpdate("UPDATE operation_steps SET state = 'CANCEL', end_time = :now, message = :message"
                        + " WHERE operation_id = :id AND state IN " + UNFINISHED)
                .bind("now", now).bind("message", message).bind("id", operationId).execute();
    }

    /** Makes the operation terminal, frees its lease and its targets, and forgets its secret values. */
    void endOperation(Handle h, String operationId, OperationState state, String reason, long now) {
        h.createUpdate("UPDATE operations SET state = :state, state_change_reason = :reason, end_time = :now,"
                        + " update_time = :now, lease_owner = NULL, lease_expires = NULL"
                        + " WHERE operation_id = :id AND state IN " + UNFINISHED)
                .bind("state", state.wireName()).bind("reason", reason).bind("now", now).bind("id", operationId)
                .execute();
        operations.releaseTargets(h, operationId);
        h.createUpdate("DELETE FROM operation_secret_values WHERE operation_id = :id").bind("id", operationId)
                .execute();
    }

    static void storeSecretValues(Handle h, String operationId, SecretValues values) {
        if (values.isEmpty()) {
            return;
        }
        StoreSecrets secrets = h.getConfig(StoreSecrets.class);
        PreparedBatch batch = h.prepareBatch("INSERT INTO operation_secret_values (operation_id, secret_name,"
                + " secret_value) VALUES (:id, :name, :value)");
        values.byName().forEach((name, value) -> batch.bind("id", operationId).bind("name", name)
                .bind("value", secrets.seal(SecretColumn.OPERATION_SECRET_VALUE, value, operationId, name)).add());
        batch.execute();
    }

    /** A secret value of an unfinished operation; empty once the operation ended (or never stored). */
    Optional<String> secretValue(String operationId, String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT secret_value FROM operation_secret_values"
                        + " WHERE operation_id = :id AND secret_name = :name")
                .bind("id", operationId).bind("name", name).mapTo(String.class).findOne()
                .map(sealed -> h.getConfig(StoreSecrets.class).open(SecretColumn.OPERATION_SECRET_VALUE, sealed,
                        operationId, name)));
    }

    static List<StepState> stepStates(Handle h, String operationId) {
        return h.createQuery("SELECT state FROM operation_steps WHERE operation_id = :id ORDER BY step_index")
                .bind("id", operationId).mapTo(String.class).map(StepState::fromWire).list();
    }

}
