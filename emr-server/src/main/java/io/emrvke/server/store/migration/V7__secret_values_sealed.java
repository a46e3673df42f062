package io.emrvke.server.store.migration;

import io.emrvke.server.store.SecretColumn;
import io.emrvke.server.store.StoreSecrets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Seals, once, the secrets a store written before V6 holds in clear: every credential's secret key,
 * the values of secret config items and the secret values of unfinished operations; and records
 * the id of the key they are sealed with. One transaction: a store is either wholly clear (and
 * this runs again at the next start) or wholly sealed. Config history needs nothing: it has held
 * {@code ******} for secret items since it exists.
 *
 * <p>Needs the key, so it is given to Flyway as an instance ({@code Database} does) instead of
 * being found on the class path.
 */
public class V7__secret_values_sealed extends BaseJavaMigration {
    private final StoreSecrets secrets;
    private int sealed;

    public V7__secret_values_sealed(StoreSecrets secrets) {
        this.secrets = secrets;
    }

    /** How many clear values this run sealed (0 on a new store). */
    public int sealed() {
        return sealed;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        sealed += seal(c, SecretColumn.CREDENTIAL_SECRET_KEY,
                "SELECT access_key, secret_key FROM credentials",
                "UPDATE credentials SET secret_key = ? WHERE access_key = ?");
        sealed += seal(c, SecretColumn.CONFIG_ITEM_VALUE,
                "SELECT cluster_id, release_name, config_version, config_file_name, item_key, item_value"
                        + " FROM config_items WHERE secret",
                "UPDATE config_items SET item_value = ? WHERE cluster_id = ? AND release_name = ?"
                        + " AND config_version = ? AND config_file_name = ? AND item_key = ?");
        sealed += seal(c, SecretColumn.OPERATION_SECRET_VALUE,
                "SELECT operation_id, secret_name, secret_value FROM operation_secret_values",
                "UPDATE operation_secret_values SET secret_value = ? WHERE operation_id = ? AND secret_name = ?");
        recordKey(c);
    }

    /**
     * Seals the last column of every row {@code select} finds; its other columns are the row's identity,
     * in the order {@code update} binds them after the sealed value.
     */
    private int seal(Connection c, SecretColumn column, String select, String update) throws SQLException {
        List<Object[]> rows = clearRows(c, select);
        try (PreparedStatement s = c.prepareStatement(update)) {
            for (Object[] row : rows) {
                Object[] identity = Arrays.copyOf(row, row.length - 1);
                s.setString(1, secrets.seal(column, (String) row[row.length - 1], identity));
                for (int i = 0; i < identity.length; i++) {
                    s.setObject(i + 2, identity[i]);
                }
                s.addBatch();
            }
            s.executeBatch();
        }
        return rows.size();
    }

    private static List<Object[]> clearRows(Connection c, String select) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(select); ResultSet rs = s.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private void recordKey(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO store_key (key_id, create_time) VALUES (?, ?)")) {
            s.setString(1, secrets.key().id());
            s.setLong(2, System.currentTimeMillis());
            s.executeUpdate();
        }
    }
}
