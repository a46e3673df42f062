package io.emrvke.server.operation;

import io.emrvke.server.store.Page;
import io.emrvke.server.store.SqlFilter;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Operations, their steps and the targets they hold. Reads are scoped to an account: another
 * account's operation is as absent as one that never existed. Methods taking a {@link Handle}
 * join the caller's transaction.
 */
public final class OperationRepository {
    /** The target key that stands for the whole cluster. */
    public static final String WHOLE_CLUSTER = "*";

    private static final String COLUMNS = "operation_id, account_id, user_id, operator, cluster_id, operation_name,"
            + " state, state_change_reason, content, remark, params, create_time, update_time, start_time, end_time,"
            + " lease_owner, lease_expires, heartbeat_time, cancel_requested";
    private static final String STEP_COLUMNS = "operation_id, step_index, step_id, batch_index, application_name,"
            + " component_name, release_name, action, state, start_time, end_time, message, restart_token, attempt";
    // account_id leads the ORDER BY although it is fixed by the WHERE: H2 then reads the page straight
    // from the (account_id, create_time DESC, id DESC) index instead of sorting every row of the account.
    private static final int COUNT_STRIPES = 8;
    private static final String COUNT_SAVEPOINT = "operation_count";
    private static final String ORDER = " ORDER BY account_id, create_time DESC, operation_id DESC";
    // One cluster: the same order, read from the (account_id, cluster_id, create_time DESC, id DESC) index;
    // with the account order H2 walked the whole account's time index looking for that cluster's rows.
    private static final String ORDER_IN_CLUSTER = " ORDER BY account_id, cluster_id, create_time DESC,"
            + " operation_id DESC";
    // Several clusters: few rows, sorted; without the account_id lead H2 picks the cluster index.
    private static final String ORDER_ACROSS_CLUSTERS = " ORDER BY create_time DESC, operation_id DESC";
    private static final RowMapper<OperationRow> MAPPER = (rs, ctx) -> new OperationRow(
            rs.getString("operation_id"), rs.getLong("account_id"), rs.getLong("user_id"), rs.getString("operator"),
            rs.getString("cluster_id"), OperationName.fromWire(rs.getString("operation_name")),
            OperationState.fromWire(rs.getString("state")), rs.getString("state_change_reason"),
            rs.getString("content"), rs.getString("remark"), rs.getString("params"), rs.getLong("create_time"),
            rs.getLong("update_time"), rs.getObject("start_time", Long.class), rs.getObject("end_time", Long.class),
            rs.getString("lease_owner"), rs.getObject("lease_expires", Long.class),
            rs.getObject("heartbeat_time", Long.class), rs.getBoolean("cancel_requested"));
    private static final RowMapper<StepRow> STEP_MAPPER = (rs, ctx) -> new StepRow(
            rs.getString("operation_id"), rs.getInt("step_index"), rs.getString("step_id"), rs.getInt("batch_index"),
            rs.getString("application_name"), rs.getString("component_name"), rs.getString("release_name"),
            rs.getString("action"), StepState.fromWire(rs.getString("state")), rs.getObject("start_time", Long.class),
            rs.getObject("end_time", Long.class), rs.getString("message"), rs.getString("restart_token"),
            rs.getInt("attempt"));

    private final Jdbi jdbi;

    public OperationRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Stores an operation and its planned steps together: both or neither. */
    public void insert(OperationRow operation, List<StepRow> steps) {
        jdbi.useTransaction(h -> insert(h, operation, steps));
    }

    public void insert(Handle h, OperationRow o, List<StepRow> steps) {
        h.createUpdate("INSERT INTO operations (" + COLUMNS + ") VALUES (:operationId, :accountId, :userId,"
                        + " :operator, :clusterId, :operationName, :state, :stateChangeReason, :content, :remark,"
                        + " :params, :createTime, :updateTime, :startTime, :endTime, :leaseOwner, :leaseExpires,"
                        + " :heartbeatTime, :cancelRequested)")
                .bind("operationId", o.operationId()).bind("accountId", o.accountId()).bind("userId", o.userId())
                .bind("operator", o.operator()).bind("clusterId", o.clusterId())
                .bind("operationName", o.operationName().wireName()).bind("state", o.state().wireName())
                .bind("stateChangeReason", o.stateChangeReason()).bind("content", o.content())
                .bind("remark", o.remark()).bind("params", o.params()).bind("createTime", o.createTime())
                .bind("updateTime", o.updateTime()).bind("startTime", o.startTime()).bind("endTime", o.endTime())
                .bind("leaseOwner", o.leaseOwner()).bind("leaseExpires", o.leaseExpires())
                .bind("heartbeatTime", o.heartbeatTime()).bind("cancelRequested", o.cancelRequested())
                .execute();
        insertSteps(h, steps);
        countOperation(h, o.accountId());
    }

    /**
     * Adds one to the account's operation count (a random stripe of it). The first insert of a
     * stripe can race with a concurrent one: the loser rolls back to a savepoint and adds to the
     * winner's row instead, so the caller's transaction goes on.
     */
    private static void countOperation(Handle h, long accountId) {
        int stripe = ThreadLocalRandom.current().nextInt(COUNT_STRIPES);
        if (addToCount(h, accountId, stripe)) {
            return;
        }
        boolean savepoint = h.isInTransaction();
        if (savepoint) {
            h.savepoint(COUNT_SAVEPOINT);
        }
        try {
            h.createUpdate("INSERT INTO operation_counts (account_id, stripe, total) VALUES (:accountId, :stripe, 1)")
                    .bind("accountId", accountId).bind("stripe", stripe).execute();
            if (savepoint) {
                h.releaseSavepoint(COUNT_SAVEPOINT);
            }
        } catch (UnableToExecuteStatementException e) {
            if (!savepoint) {
                throw e;
            }
            // JDBI forgets the savepoint once rolled back to it
            h.rollbackToSavepoint(COUNT_SAVEPOINT);
            if (!addToCount(h, accountId, stripe)) {
                throw e;
            }
        }
    }

    private static boolean addToCount(Handle h, long accountId, int stripe) {
        return h.createUpdate("UPDATE operation_counts SET total = total + 1"
                        + " WHERE account_id = :accountId AND stripe = :stripe")
                .bind("accountId", accountId).bind("stripe", stripe).execute() == 1;
    }

    /** The account's number of operations, from the counts kept by {@link #insert}. */
    private static long countOf(Handle h, long accountId) {
        return h.createQuery("SELECT COALESCE(SUM(total), 0) FROM operation_counts WHERE account_id = :accountId")
                .bind("accountId", accountId).mapTo(Long.class).one();
    }

    private static void insertSteps(Handle h, List<StepRow> steps) {
        if (steps.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("INSERT INTO operation_steps (" + STEP_COLUMNS + ") VALUES"
                + " (:operationId, :stepIndex, :stepId, :batchIndex, :applicationName, :componentName, :releaseName,"
                + " :action, :state, :startTime, :endTime, :message, :restartToken, :attempt)");
        for (StepRow s : steps) {
            batch.bind("operationId", s.operationId()).bind("stepIndex", s.stepIndex()).bind("stepId", s.stepId())
                    .bind("batchIndex", s.batchIndex()).bind("applicationName", s.applicationName())
                    .bind("componentName", s.componentName()).bind("releaseName", s.releaseName())
                    .bind("action", s.action()).bind("state", s.state().wireName())
                    .bind("startTime", s.startTime()).bind("endTime", s.endTime()).bind("message", s.message())
                    .bind("restartToken", s.restartToken()).bind("attempt", s.attempt())
                    .add();
        }
        batch.execute();
    }

    /** The account's operation with its steps in order. */
    public Optional<OperationDetail> get(long accountId, String operationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM operations"
                        + " WHERE operation_id = :operationId AND account_id = :accountId")
                .bind("operationId", operationId).bind("accountId", accountId)
                .map(MAPPER).findOne()
                .map(o -> new OperationDetail(o, steps(h, o.operationId()))));
    }

    public List<StepRow> steps(Handle h, String operationId) {
        return h.createQuery("SELECT " + STEP_COLUMNS + " FROM operation_steps WHERE operation_id = :operationId"
                        + " ORDER BY step_index")
                .bind("operationId", operationId).map(STEP_MAPPER).list();
    }

    /** One page of the account's operations, newest first (ties by id, descending), with their progress. */
    public Page<OperationWithProgress> list(long accountId, OperationFilter filter, Page.Request paging) {
        SqlFilter where = where(accountId, filter);
        return jdbi.withHandle(h -> {
            long total = filter.isNone() ? countOf(h, accountId)
                    : where.bind(h.createQuery("SELECT COUNT(*) FROM operations" + where.clause())).mapTo(Long.class).one();
            if (total <= paging.offset()) {
                return paging.page(List.<OperationWithProgress>of(), total);
            }
            List<OperationRow> rows = where.bind(h.createQuery("SELECT " + COLUMNS + " FROM operations"
                            + where.clause() + order(filter) + " LIMIT :limit OFFSET :offset"))
                    .bind("limit", paging.maxResults()).bind("offset", paging.offset())
                    .map(MAPPER).list();
            Map<String, Progress> progress = progressOf(h, rows.stream().map(OperationRow::operationId).toList());
            List<OperationWithProgress> items = rows.stream()
                    .map(o -> new OperationWithProgress(o, progress.getOrDefault(o.operationId(), Progress.NONE)))
                    .toList();
            return paging.page(items, total);
        });
    }

    /**
     * The unfinished operation that holds a target overlapping {@code targetKeys} on the cluster,
     * if any. Call it with the cluster row locked ({@code ClusterRepository.lock}) and hold the
     * targets in the same transaction, so two requests cannot both pass the check.
     */
    public Optional<String> findConflict(Handle h, String clusterId, Collection<String> targetKeys) {
        List<Map.Entry<String, String>> held = h.createQuery("SELECT target_key, operation_id FROM operation_targets"
                        + " WHERE cluster_id = :clusterId")
                .bind("clusterId", clusterId)
                .map((rs, ctx) -> Map.entry(rs.getString("target_key"), rs.getString("operation_id")))
                .list();
        boolean wantsWhole = targetKeys.contains(WHOLE_CLUSTER);
        for (Map.Entry<String, String> e : held) {
            if (wantsWhole || WHOLE_CLUSTER.equals(e.getKey()) || targetKeys.contains(e.getKey())) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** Records that the operation holds these targets until {@link #releaseTargets}. */
    public void holdTargets(Handle h, String clusterId, String operationId, Collection<String> targetKeys) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO operation_targets (cluster_id, target_key, operation_id)"
                + " VALUES (:clusterId, :targetKey, :operationId)");
        for (String key : targetKeys) {
            batch.bind("clusterId", clusterId).bind("targetKey", key).bind("operationId", operationId).add();
        }
        if (!targetKeys.isEmpty()) {
            batch.execute();
        }
    }

    /** Frees what an operation held; called when it ends. */
    public void releaseTargets(Handle h, String operationId) {
        h.createUpdate("DELETE FROM operation_targets WHERE operation_id = :operationId")
                .bind("operationId", operationId).execute();
    }

    private static Map<String, Progress> progressOf(Handle h, List<String> operationIds) {
        if (operationIds.isEmpty()) {
            return Map.of();
        }
        SqlFilter in = new SqlFilter().whereIn("operation_id", "op", operationIds);
        Map<String, Map<StepState, Integer>> counts = new HashMap<>();
        in.bind(h.createQuery("SELECT operation_id, state, COUNT(*) AS n FROM operation_steps" + in.clause()
                        + " GROUP BY operation_id, state"))
                .map((rs, ctx) -> {
                    counts.computeIfAbsent(rs.getString("operation_id"), k -> new EnumMap<>(StepState.class))
                            .put(StepState.fromWire(rs.getString("state")), rs.getInt("n"));
                    return Boolean.TRUE;
                })
                .list();
        Map<String, Progress> out = new HashMap<>();
        counts.forEach((id, byState) -> out.put(id, Progress.fromCounts(byState)));
        return out;
    }

    private static String order(OperationFilter filter) {
        return switch (filter.clusterIds().size()) {
            case 0 -> ORDER;
            case 1 -> ORDER_IN_CLUSTER;
            default -> ORDER_ACROSS_CLUSTERS;
        };
    }

    private static SqlFilter where(long accountId, OperationFilter filter) {
        SqlFilter where = new SqlFilter().where("account_id = :accountId", "accountId", accountId);
        where.whereIn("cluster_id", "clusterId", filter.clusterIds());
        where.whereIn("state", "state", filter.states().stream().map(OperationState::wireName).toList());
        where.whereIn("operation_name", "name", filter.names().stream().map(OperationName::wireName).toList());
        if (filter.createTimeAfter() != null) {
            where.where("create_time >= :after", "after", filter.createTimeAfter());
        }
        if (filter.createTimeBefore() != null) {
            where.where("create_time < :before", "before", filter.createTimeBefore());
        }
        return where;
    }

}
