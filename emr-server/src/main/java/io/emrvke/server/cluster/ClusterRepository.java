package io.emrvke.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.emrvke.api.Json;
import io.emrvke.server.store.Page;
import io.emrvke.server.store.Rows;
import io.emrvke.server.store.SqlFilter;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Virtual clusters in the store. Reads are always scoped to an account: another account's
 * cluster is as absent as one that never existed. Methods taking a {@link Handle} join the
 * caller's transaction.
 */
public final class ClusterRepository {
    private static final String COLUMNS = "cluster_id, account_id, user_id, creator, cluster_name,"
            + " release_version, project_name, region, vpc_id, vke_cluster_id, node_pool_ids, namespace,"
            + " state, state_change_reason, create_time, ready_time, update_time, delete_time";
    // account_id leads the ORDER BY although it is fixed by the WHERE: H2 then reads the page straight
    // from the (account_id, create_time DESC, id DESC) index instead of sorting every row of the account.
    private static final String ORDER = " ORDER BY account_id, create_time DESC, cluster_id DESC";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final RowMapper<ClusterRow> MAPPER = (rs, ctx) -> new ClusterRow(
            rs.getString("cluster_id"), rs.getLong("account_id"), rs.getLong("user_id"),
            rs.getString("creator"), rs.getString("cluster_name"), rs.getString("release_version"),
            rs.getString("project_name"), rs.getString("region"), rs.getString("vpc_id"),
            rs.getString("vke_cluster_id"), readList(rs.getString("node_pool_ids")), rs.getString("namespace"),
            ClusterState.fromWire(rs.getString("state")), rs.getString("state_change_reason"),
            rs.getLong("create_time"), (Long) rs.getObject("ready_time", Long.class), rs.getLong("update_time"),
            (Long) rs.getObject("delete_time", Long.class));
    private static final Rows<ClusterRow> ROWS = new Rows<>("clusters", COLUMNS, ORDER, MAPPER);

    private final Jdbi jdbi;

    public ClusterRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(ClusterRow cluster) {
        jdbi.useHandle(h -> insert(h, cluster));
    }

    public void insert(Handle h, ClusterRow c) {
        h.createUpdate("INSERT INTO clusters (" + COLUMNS + ") VALUES (:clusterId, :accountId, :userId,"
                        + " :creator, :clusterName, :releaseVersion, :projectName, :region, :vpcId, :vkeClusterId,"
                        + " :nodePoolIds, :namespace, :state, :stateChangeReason, :createTime, :readyTime,"
                        + " :updateTime, :deleteTime)")
                .bind("clusterId", c.clusterId()).bind("accountId", c.accountId()).bind("userId", c.userId())
                .bind("creator", c.creator()).bind("clusterName", c.clusterName())
                .bind("releaseVersion", c.releaseVersion()).bind("projectName", c.projectName())
                .bind("region", c.region()).bind("vpcId", c.vpcId()).bind("vkeClusterId", c.vkeClusterId())
                .bind("nodePoolIds", writeList(c.nodePoolIds())).bind("namespace", c.namespace())
                .bind("state", c.state().wireName()).bind("stateChangeReason", c.stateChangeReason())
                .bind("createTime", c.createTime()).bind("readyTime", c.readyTime())
                .bind("updateTime", c.updateTime()).bind("deleteTime", c.deleteTime())
                .execute();
    }

    /** The account's cluster, DELETED ones included. */
    public Optional<ClusterRow> get(long accountId, String clusterId) {
        return jdbi.withHandle(h -> get(h, accountId, clusterId));
    }

    public Optional<ClusterRow> get(Handle h, long accountId, String clusterId) {
        return ROWS.one(h, byId(accountId, clusterId));
    }

    /**
     * Reads and row-locks the account's cluster until the transaction of {@code h} ends: the
     * serialisation point for operations that check and take targets of this cluster.
     */
    public Optional<ClusterRow> lock(Handle h, long accountId, String clusterId) {
        return ROWS.lockOne(h, byId(accountId, clusterId));
    }

    private static SqlFilter byId(long accountId, String clusterId) {
        return new SqlFilter().where("cluster_id = :clusterId", "clusterId", clusterId)
                .where("account_id = :accountId", "accountId", accountId);
    }

    /**
     * Moves a cluster to a state; RUNNING sets ReadyTime (once) and DELETED sets DeleteTime.
     *
     * @return false when there is no such cluster
     */
    public boolean updateState(Handle h, String clusterId, ClusterState state, String reason, long now) {
        Long readyTime = state == ClusterState.RUNNING ? now : null;
        Long deleteTime = state == ClusterState.DELETED ? now : null;
        return h.createUpdate("UPDATE clusters SET state = :state, state_change_reason = :reason,"
                        + " update_time = :now, ready_time = COALESCE(ready_time, :readyTime),"
                        + " delete_time = COALESCE(:deleteTime, delete_time)"
                        + " WHERE cluster_id = :clusterId")
                .bind("state", state.wireName()).bind("reason", reason).bind("now", now)
                .bind("readyTime", readyTime).bind("deleteTime", deleteTime)
                .bind("clusterId", clusterId)
                .execute() > 0;
    }

    /** One page of the account's clusters, newest first (ties by id, descending). */
    public Page<ClusterRow> list(long accountId, ClusterFilter filter, Page.Request paging) {
        return jdbi.withHandle(h -> ROWS.page(h, where(accountId, filter), paging));
    }

    private static SqlFilter where(long accountId, ClusterFilter filter) {
        SqlFilter where = new SqlFilter().where("account_id = :accountId", "accountId", accountId);
        where.whereIn("cluster_id", "clusterId", filter.clusterIds());
        if (filter.nameContains() != null && !filter.nameContains().isEmpty()) {
            where.whereContainsIgnoreCase("cluster_name", "namePattern", filter.nameContains());
        }
        if (filter.states().isEmpty()) {
            where.where("state <> 'DELETED'");
        } else {
            where.whereIn("state", "state", filter.states().stream().map(ClusterState::wireName).toList());
        }
        if (filter.projectName() != null) {
            where.where("project_name = :projectName", "projectName", filter.projectName());
        }
        return where;
    }

    private static String writeList(List<String> values) {
        try {
            return Json.plain().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> readList(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return Json.plain().readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("node_pool_ids is not a JSON array of strings", e);
        }
    }
}
