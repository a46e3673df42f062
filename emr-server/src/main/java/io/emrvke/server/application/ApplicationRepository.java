package io.emrvke.server.application;

import io.emrvke.server.store.Page;
import io.emrvke.server.store.Rows;
import io.emrvke.server.store.SqlFilter;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The applications of each cluster (table applications). Rows carry no account: callers check the
 * cluster belongs to the caller's account first (ClusterRepository.get / lock). Methods taking a
 * {@link Handle} join the caller's transaction.
 */
public final class ApplicationRepository {
    private static final String COLUMNS = "cluster_id, application_name, application_version, state,"
            + " state_change_reason, create_time, update_time";
    private static final Rows<ApplicationRow> ROWS = new Rows<>("applications", COLUMNS,
            " ORDER BY create_time DESC, application_name DESC", (rs, ctx) -> new ApplicationRow(
            rs.getString("cluster_id"), rs.getString("application_name"), rs.getString("application_version"),
            ApplicationState.fromWire(rs.getString("state")), rs.getString("state_change_reason"),
            rs.getLong("create_time"), rs.getLong("update_time")));

    private final Jdbi jdbi;

    public ApplicationRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Adds an application to a cluster (the primary key refuses a second row of the same name). */
    public void insert(Handle h, ApplicationRow a) {
        h.createUpdate("INSERT INTO applications (" + COLUMNS + ") VALUES (:clusterId, :name, :version, :state,"
                        + " :reason, :createTime, :updateTime)")
                .bind("clusterId", a.clusterId()).bind("name", a.applicationName())
                .bind("version", a.applicationVersion()).bind("state", a.state().wireName())
                .bind("reason", a.stateChangeReason()).bind("createTime", a.createTime())
                .bind("updateTime", a.updateTime())
                .execute();
    }

    /** Every application of the cluster, newest first (ties by name, descending). */
    public List<ApplicationRow> list(String clusterId) {
        return jdbi.withHandle(h -> list(h, clusterId));
    }

    public List<ApplicationRow> list(Handle h, String clusterId) {
        return ROWS.list(h, ofCluster(clusterId));
    }

    /** One page of the cluster's applications (ListApplications), newest first, ties by name. */
    public Page<ApplicationRow> page(String clusterId, Page.Request paging) {
        return jdbi.withHandle(h -> ROWS.page(h, ofCluster(clusterId), paging));
    }

    private static SqlFilter ofCluster(String clusterId) {
        return new SqlFilter().where("cluster_id = :clusterId", "clusterId", clusterId);
    }

    /**
     * Moves the named applications of the cluster to {@code state} (reason may be null).
     *
     * @return how many rows changed
     */
    public int updateState(Handle h, String clusterId, Collection<String> applicationNames, ApplicationState state,
                           String reason, long now) {
        if (applicationNames.isEmpty()) {
            return 0;
        }
        return h.createUpdate("UPDATE applications SET state = :state, state_change_reason = :reason,"
                        + " update_time = :now WHERE cluster_id = :clusterId AND application_name IN (<names>)")
                .bind("state", state.wireName()).bind("reason", reason).bind("now", now)
                .bind("clusterId", clusterId).bindList("names", List.copyOf(applicationNames))
                .execute();
    }

    /** Removes one application row (its instances and config are the other repositories' business). */
    public boolean delete(Handle h, String clusterId, String applicationName) {
        return h.createUpdate("DELETE FROM applications WHERE cluster_id = :clusterId AND application_name = :name")
                .bind("clusterId", clusterId).bind("name", applicationName)
                .execute() > 0;
    }

    /** Removes every application row of the cluster; returns how many. */
    public int deleteAll(Handle h, String clusterId) {
        return h.createUpdate("DELETE FROM applications WHERE cluster_id = :clusterId")
                .bind("clusterId", clusterId).execute();
    }
}
