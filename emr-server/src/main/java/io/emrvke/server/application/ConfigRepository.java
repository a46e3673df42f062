package io.emrvke.server.application;

import io.emrvke.server.catalog.ConfigItems;
import io.emrvke.server.store.Page;
import io.emrvke.server.store.SecretColumn;
import io.emrvke.server.store.SqlFilter;
import io.emrvke.server.store.StoreSecrets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Config versions of instances (config_items: every item of every version; the instance row's
 * config_version says which is current) and their change history (config_history, kept when
 * items and instances go). Secret values (ConfigItems.isSecret on the key) are stored in
 * config_items only, sealed ({@link StoreSecrets}), because they must reach the Kubernetes Secret;
 * history rows hold {@code ******} for them. Reads meant for people go through {@link #redacted}. Rows carry no
 * account: callers check the cluster belongs to the caller first.
 */
public final class ConfigRepository {
    private static final String ITEM_COLUMNS = "ci.cluster_id, ci.release_name, ci.config_version,"
            + " ci.config_file_name, ci.item_key, ci.item_value, ci.secret";
    private static final String HISTORY_COLUMNS = "id, cluster_id, application_name, release_name, config_version,"
            + " config_file_name, item_key, old_value, new_value, secret, operation_id, create_time";
    private static final RowMapper<ConfigItemRow> ITEM = (rs, ctx) -> {
        ConfigItemRow stored = new ConfigItemRow(rs.getString("cluster_id"), rs.getString("release_name"),
                rs.getInt("config_version"), rs.getString("config_file_name"), rs.getString("item_key"),
                rs.getString("item_value"), rs.getBoolean("secret"));
        return stored.secret() ? stored.withValue(ctx.getConfig(StoreSecrets.class).open(
                SecretColumn.CONFIG_ITEM_VALUE, stored.value(), identity(stored))) : stored;
    };
    private static final RowMapper<ConfigHistoryRow> HISTORY = (rs, ctx) -> new ConfigHistoryRow(
            rs.getLong("id"), rs.getString("cluster_id"), rs.getString("application_name"),
            rs.getString("release_name"), rs.getInt("config_version"), rs.getString("config_file_name"),
            rs.getString("item_key"), rs.getString("old_value"), rs.getString("new_value"), rs.getBoolean("secret"),
            rs.getString("operation_id"), rs.getLong("create_time"));

    private final Jdbi jdbi;
    private final InstanceRepository instances;

    public ConfigRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.instances = new InstanceRepository(jdbi);
    }

    // --- reads -------------------------------------------------------------------------------

    /**
     * The instance's current items (its config_version), clear values included: for the runtime
     * only. Ordered by file, then key. Empty when the instance does not exist.
     */
    public List<ConfigItemRow> current(String clusterId, String releaseName) {
        return jdbi.withHandle(h -> current(h, clusterId, releaseName));
    }

    public List<ConfigItemRow> current(Handle h, String clusterId, String releaseName) {
        return h.createQuery("SELECT " + ITEM_COLUMNS + " FROM config_items ci JOIN component_instances i"
                        + " ON i.cluster_id = ci.cluster_id AND i.release_name = ci.release_name"
                        + " AND i.config_version = ci.config_version"
                        + " WHERE ci.cluster_id = :clusterId AND ci.release_name = :releaseName"
                        + " ORDER BY ci.config_file_name, ci.item_key")
                .bind("clusterId", clusterId).bind("releaseName", releaseName)
                .map(ITEM).list();
    }

    /** The items of one version of the instance (clear values), ordered by file, then key. */
    public List<ConfigItemRow> version(Handle h, String clusterId, String releaseName, int configVersion) {
        return h.createQuery("SELECT " + ITEM_COLUMNS + " FROM config_items ci WHERE ci.cluster_id = :clusterId"
                        + " AND ci.release_name = :releaseName AND ci.config_version = :version"
                        + " ORDER BY ci.config_file_name, ci.item_key")
                .bind("clusterId", clusterId).bind("releaseName", releaseName).bind("version", configVersion)
                .map(ITEM).list();
    }

    /**
     * One page of the history of a scope, newest first (ties by id, descending). Values of secret
     * items are {@code ******} as stored.
     *
     * @param releaseName    null: every instance of the application
     * @param configFileName null: every file
     */
    public Page<ConfigHistoryRow> history(String clusterId, String applicationName, String releaseName,
                                          String configFileName, Page.Request paging) {
        SqlFilter where = new SqlFilter().where("cluster_id = :clusterId", "clusterId", clusterId)
                .where("application_name = :application", "application", applicationName);
        if (releaseName != null) {
            where.where("release_name = :releaseName", "releaseName", releaseName);
        }
        if (configFileName != null) {
            where.where("config_file_name = :fileName", "fileName", configFileName);
        }
        return jdbi.withHandle(h -> {
            long total = where.bind(h.createQuery("SELECT COUNT(*) FROM config_history" + where.clause()))
                    .mapTo(Long.class).one();
            List<ConfigHistoryRow> items = total <= paging.offset() ? List.of()
                    : where.bind(h.createQuery("SELECT " + HISTORY_COLUMNS + " FROM config_history" + where.clause()
                                    + " ORDER BY create_time DESC, id DESC LIMIT :limit OFFSET :offset"))
                    .bind("limit", paging.maxResults()).bind("offset", paging.offset())
                    .map(HISTORY).list();
            return paging.page(items, total);
        });
    }

    // --- writes ------------------------------------------------------------------------------

    /**
     * Writes config version 1 of a new instance: {@code defaults} (the catalog's items of the files
     * the component mounts) overridden key by key by {@code overrides}; one history row per
     * override that differs from its default (old value = the default, or null). Sets the
     * instance row's config_version to 1 (the instance row must exist).
     *
     * @return 1
     */
    public int writeFirstVersion(Handle h, String clusterId, String applicationName, String releaseName,
                                 Collection<ConfigItem> defaults, Collection<ConfigItem> overrides,
                                 String operationId, long now) {
        Map<ItemKey, ConfigItem> base = byKey(defaults);
        writeVersion(h, clusterId, applicationName, releaseName, 1, base, overrides, operationId, now);
        return 1;
    }

    /**
     * Writes the next config version of an existing instance: its current items overridden key by
     * key by {@code changes} (new keys are added); one history row per item whose value changed,
     * recording {@code operationId}. Moves the instance row to the new version.
     *
     * @return the new version
     * @throws IllegalStateException when the instance does not exist
     */
    public int writeNextVersion(Handle h, String clusterId, String applicationName, String releaseName,
                                Collection<ConfigItem> changes, String operationId, long now) {
        InstanceRow instance = instances.find(h, clusterId, releaseName).orElseThrow(() ->
                new IllegalStateException("no instance " + releaseName + " in cluster " + clusterId));
        Map<ItemKey, ConfigItem> base = byKey(version(h, clusterId, releaseName, instance.configVersion())
                .stream().map(ConfigItemRow::item).toList());
        int next = instance.configVersion() + 1;
        writeVersion(h, clusterId, applicationName, releaseName, next, base, changes, operationId, now);
        return next;
    }

    /** Removes every version of the instance's items (history stays); returns how many rows. */
    public int deleteItems(Handle h, String clusterId, String releaseName) {
        return h.createUpdate("DELETE FROM config_items WHERE cluster_id = :clusterId AND release_name = :releaseName")
                .bind("clusterId", clusterId).bind("releaseName", releaseName).execute();
    }

    /** Removes the items of every instance of the cluster (history stays); returns how many rows. */
    public int deleteAllItems(Handle h, String clusterId) {
        return h.createUpdate("DELETE FROM config_items WHERE cluster_id = :clusterId")
                .bind("clusterId", clusterId).execute();
    }

    // --- helpers for callers -----------------------------------------------------------------

    /** {@code base} overridden key by key by {@code changes} (new keys added): what the next version holds. */
    public static List<ConfigItem> merged(Collection<ConfigItem> base, Collection<ConfigItem> changes) {
        Map<ItemKey, ConfigItem> out = byKey(base);
        changes.forEach(c -> out.put(ItemKey.of(c), c));
        return List.copyOf(out.values());
    }

    /** The rows as they may be shown: secret values replaced by {@code ******}. */
    public static List<ConfigItemRow> redacted(List<ConfigItemRow> rows) {
        return rows.stream().map(ConfigItemRow::redacted).toList();
    }

    /** Items grouped by file name, keys in stored order (the shape ReleaseSpecs.forInstance takes). Clear values. */
    public static Map<String, Map<String, String>> byFile(List<ConfigItemRow> rows) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (ConfigItemRow r : rows) {
            out.computeIfAbsent(r.configFileName(), f -> new LinkedHashMap<>()).put(r.key(), r.value());
        }
        return out;
    }

    // --- internals ---------------------------------------------------------------------------

    private void writeVersion(Handle h, String clusterId, String applicationName, String releaseName, int version,
                              Map<ItemKey, ConfigItem> base, Collection<ConfigItem> changes, String operationId,
                              long now) {
        Map<ItemKey, ConfigItem> merged = new LinkedHashMap<>(base);
        for (ConfigItem c : changes) {
            ItemKey k = ItemKey.of(c);
            ConfigItem before = merged.get(k);
            merged.put(k, c);
            if (before == null || !Objects.equals(before.value(), c.value())) {
                insertHistory(h, clusterId, applicationName, releaseName, version, c,
                        before == null ? null : before.value(), operationId, now);
            }
        }
        insertItems(h, clusterId, releaseName, version, merged.values());
        instances.updateConfigVersion(h, clusterId, releaseName, version, now);
    }

    private static void insertItems(Handle h, String clusterId, String releaseName, int version,
                                    Collection<ConfigItem> items) {
        if (items.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch("INSERT INTO config_items (cluster_id, release_name, config_version,"
                + " config_file_name, item_key, item_value, secret) VALUES (:clusterId, :releaseName, :version,"
                + " :fileName, :key, :value, :secret)");
        StoreSecrets secrets = h.getConfig(StoreSecrets.class);
        for (ConfigItem item : items) {
            String value = item.value() == null ? "" : item.value();
            if (item.secret()) {
                value = secrets.seal(SecretColumn.CONFIG_ITEM_VALUE, value,
                        clusterId, releaseName, version, item.fileName(), item.key());
            }
            batch.bind("clusterId", clusterId).bind("releaseName", releaseName).bind("version", version)
                    .bind("fileName", item.fileName()).bind("key", item.key())
                    .bind("value", value).bind("secret", item.secret())
                    .add();
        }
        batch.execute();
    }

    /** What a sealed value is bound to: the row's primary key. */
    private static Object[] identity(ConfigItemRow row) {
        return new Object[] {row.clusterId(), row.releaseName(), row.configVersion(), row.configFileName(), row.key()};
    }

    private static void insertHistory(Handle h, String clusterId, String applicationName, String releaseName,
                                      int version, ConfigItem item, String oldValue, String operationId, long now) {
        boolean secret = item.secret();
        h.createUpdate("INSERT INTO config_history (cluster_id, application_name, release_name, config_version,"
                        + " config_file_name, item_key, old_value, new_value, secret, operation_id, create_time)"
                        + " VALUES (:clusterId, :application, :releaseName, :version, :fileName, :key, :oldValue,"
                        + " :newValue, :secret, :operationId, :now)")
                .bind("clusterId", clusterId).bind("application", applicationName).bind("releaseName", releaseName)
                .bind("version", version).bind("fileName", item.fileName()).bind("key", item.key())
                .bind("oldValue", secret && oldValue != null ? ConfigItems.REDACTED : oldValue)
                .bind("newValue", secret && item.value() != null ? ConfigItems.REDACTED : item.value())
                .bind("secret", secret).bind("operationId", operationId).bind("now", now)
                .execute();
    }

    private static Map<ItemKey, ConfigItem> byKey(Collection<ConfigItem> items) {
        Map<ItemKey, ConfigItem> out = new LinkedHashMap<>();
        for (ConfigItem i : items) {
            out.put(ItemKey.of(i), i);
        }
        return out;
    }

    /** Items are identified by file (case-insensitive, as the catalog matches names) and key (exact). */
    private record ItemKey(String file, String key) {
        static ItemKey of(ConfigItem i) {
            return new ItemKey(i.fileName().toLowerCase(java.util.Locale.ROOT), i.key());
        }
    }
}
