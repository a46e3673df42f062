package io.emrvke.server.application;

import io.emrvke.server.operation.OperationName;
import io.emrvke.server.store.Rows;
import io.emrvke.server.store.SqlFilter;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Component instances (table component_instances), keyed by cluster and release name. Rows carry
 * no account: callers check the cluster belongs to the caller first. Methods taking a
 * {@link Handle} join the caller's transaction.
 */
public final class InstanceRepository {
    private static final String COLUMNS = "cluster_id, release_name, application_name, component_name,"
            + " workload_kind, workload_name, desired_state, remembered_replicas, config_version, revision,"
            + " create_time, update_time";
    private static final Rows<InstanceRow> ROWS = new Rows<>("component_instances", COLUMNS,
            " ORDER BY create_time DESC, release_name DESC", (rs, ctx) -> new InstanceRow(
            rs.getString("cluster_id"), rs.getString("release_name"), rs.getString("application_name"),
            rs.getString("component_name"), rs.getString("workload_kind"), rs.getString("workload_name"),
            DesiredState.fromWire(rs.getString("desired_state")),
            (Integer) rs.getObject("remembered_replicas", Integer.class), rs.getInt("config_version"),
            rs.getInt("revision"), rs.getLong("create_time"), rs.getLong("update_time")));

    private final Jdbi jdbi;

    public InstanceRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Adds an instance (the primary key refuses a release name already used in the cluster). */
    public void insert(Handle h, InstanceRow i) {
        h.createUpdate("INSERT INTO component_instances (" + COLUMNS + ") VALUES (:clusterId, :releaseName,"
                        + " :application, :component, :kind, :workloadName, :desired, :remembered, :configVersion,"
                        + " :revision, :createTime, :updateTime)")
                .bind("clusterId", i.clusterId()).bind("releaseName", i.releaseName())
                .bind("application", i.applicationName()).bind("component", i.componentName())
                .bind("kind", i.workloadKind()).bind("workloadName", i.workloadName())
                .bind("desired", i.desiredState().wireName()).bind("remembered", i.rememberedReplicas())
                .bind("configVersion", i.configVersion()).bind("revision", i.revision())
                .bind("createTime", i.createTime()).bind("updateTime", i.updateTime())
                .execute();
    }

    /** The cluster's instance of that release name. */
    public Optional<InstanceRow> find(String clusterId, String releaseName) {
        return jdbi.withHandle(h -> find(h, clusterId, releaseName));
    }

    public Optional<InstanceRow> find(Handle h, String clusterId, String releaseName) {
        return ROWS.one(h, ofCluster(clusterId).where("release_name = :releaseName", "releaseName", releaseName));
    }

    /** Every instance of the cluster, newest first (ties by release name, descending). */
    public List<InstanceRow> list(String clusterId) {
        return jdbi.withHandle(h -> list(h, clusterId));
    }

    public List<InstanceRow> list(Handle h, String clusterId) {
        return ROWS.list(h, ofCluster(clusterId));
    }

    /** The instances of one application of the cluster, newest first. */
    public List<InstanceRow> listByApplication(Handle h, String clusterId, String applicationName) {
        return ROWS.list(h, ofApplication(clusterId, applicationName));
    }

    public List<InstanceRow> listByApplication(String clusterId, String applicationName) {
        return jdbi.withHandle(h -> listByApplication(h, clusterId, applicationName));
    }

    /** The instances of one component of the cluster, newest first. */
    public List<InstanceRow> listByComponent(Handle h, String clusterId, String applicationName,
                                             String componentName) {
        return ROWS.list(h, ofApplication(clusterId, applicationName)
                .where("component_name = :component", "component", componentName));
    }

    public List<InstanceRow> listByComponent(String clusterId, String applicationName, String componentName) {
        return jdbi.withHandle(h -> listByComponent(h, clusterId, applicationName, componentName));
    }

    private static SqlFilter ofCluster(String clusterId) {
        return new SqlFilter().where("cluster_id = :clusterId", "clusterId", clusterId);
    }

    private static SqlFilter ofApplication(String clusterId, String applicationName) {
        return ofCluster(clusterId).where("application_name = :application", "application", applicationName);
    }

    /** Records what an accepted action wants of the instance (and the size to come back to after a stop). */
    public boolean updateDesiredState(Handle h, String clusterId, String releaseName, DesiredState desired,
                                      Integer rememberedReplicas, long now) {
        return h.createUpdate("UPDATE component_instances SET desired_state = :desired,"
                        + " remembered_replicas = :remembered, update_time = :now"
                        + " WHERE cluster_id = :clusterId AND release_name = :releaseName")
                .bind("desired", desired.wireName()).bind("remembered", rememberedReplicas).bind("now", now)
                .bind("clusterId", clusterId).bind("releaseName", releaseName)
                .execute() > 0;
    }

    /** Sets the instance's current config version (ConfigRepository does this when it writes a version). */
    public boolean updateConfigVersion(Handle h, String clusterId, String releaseName, int configVersion, long now) {
        return h.createUpdate("UPDATE component_instances SET config_version = :version, update_time = :now"
                        + " WHERE cluster_id = :clusterId AND release_name = :releaseName")
                .bind("version", configVersion).bind("now", now)
                .bind("clusterId", clusterId).bind("releaseName", releaseName)
                .execute() > 0;
    }

    /** Counts one more applied revision of the instance's release; returns the new revision (0 if no row). */
    public int nextRevision(Handle h, String clusterId, String releaseName, long now) {
        h.createUpdate("UPDATE component_instances SET revision = revision + 1, update_time = :now"
                        + " WHERE cluster_id = :clusterId AND release_name = :releaseName")
                .bind("now", now).bind("clusterId", clusterId).bind("releaseName", releaseName).execute();
        return find(h, clusterId, releaseName).map(InstanceRow::revision).orElse(0);
    }

    /**
     * How many other instances of the component would stay after {@code releaseName} goes: those no
     * DeleteComponentInstance still holds as its target (an operation lets its targets go when it ends).
     */
    public long othersNotBeingDeleted(Handle h, String clusterId, String applicationName, String componentName,
                                      String releaseName) {
        return h.createQuery("SELECT COUNT(*) FROM component_instances i"
                        + " WHERE i.cluster_id = :clusterId AND i.application_name = :application"
                        + " AND i.component_name = :component AND i.release_name <> :releaseName"
                        + " AND NOT EXISTS (SELECT 1 FROM operation_targets t JOIN operations o"
                        + " ON o.operation_id = t.operation_id WHERE t.cluster_id = i.cluster_id"
                        + " AND t.target_key = i.release_name AND o.operation_name = :deleting)")
                .bind("clusterId", clusterId).bind("application", applicationName)
                .bind("component", componentName).bind("releaseName", releaseName)
                .bind("deleting", OperationName.DELETE_COMPONENT_INSTANCE.wireName())
                .mapTo(Long.class).one();
    }

    /** Removes one instance row. */
    public boolean delete(Handle h, String clusterId, String releaseName) {
        return h.createUpdate("DELETE FROM component_instances WHERE cluster_id = :clusterId"
                        + " AND release_name = :releaseName")
                .bind("clusterId", clusterId).bind("releaseName", releaseName)
                .execute() > 0;
    }

    /** Removes every instance of one application of the cluster; returns how many. */
    public int deleteByApplication(Handle h, String clusterId, String applicationName) {
        return h.createUpdate("DELETE FROM component_instances WHERE cluster_id = :clusterId"
                        + " AND application_name = :application")
                .bind("clusterId", clusterId).bind("application", applicationName)
                .execute();
    }

    /** Removes every instance of the cluster; returns how many. */
    public int deleteAll(Handle h, String clusterId) {
        return h.createUpdate("DELETE FROM component_instances WHERE cluster_id = :clusterId")
                .bind("clusterId", clusterId).execute();
    }
}
