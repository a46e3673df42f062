package io.emrvke.server.store.migration;

import io.emrvke.server.application.StoredConfigChanges;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * RunApplicationAction operations stored before V4 hold the values of secret applicationConfigs
 * items in clear in {@code operations.params}. Rewrites those params as they are written now (the
 * item marked secret, no value); an unfinished operation's values move to
 * {@code operation_secret_values}, where its restart step reads them; an ended one's are dropped
 * (its config history and current config already hold what it applied).
 */
public class V5__secret_config_values_leave_operation_params extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        for (Stored op : storedWithConfigValues(c)) {
            Optional<StoredConfigChanges.Rewritten> rewritten = StoredConfigChanges.withSecretValuesApart(op.params());
            if (rewritten.isEmpty()) {
                continue;
            }
            updateParams(c, op.operationId(), rewritten.get().params());
            if (op.unfinished()) {
                keepSecretValues(c, op.operationId(), rewritten.get());
            }
        }
    }

    private record Stored(String operationId, boolean unfinished, String params) {
    }

    private static List<Stored> storedWithConfigValues(Connection c) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT operation_id, state, params FROM operations"
                + " WHERE operation_name = 'RunApplicationAction' AND params LIKE '%ConfigItemValue%'");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String state = rs.getString("state");
                out.add(new Stored(rs.getString("operation_id"), state.equals("ACCEPT") || state.equals("RUNNING"),
                        rs.getString("params")));
            }
        }
        return out;
    }

    private static void updateParams(Connection c, String operationId, String params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE operations SET params = ? WHERE operation_id = ?")) {
            s.setString(1, params);
            s.setString(2, operationId);
            s.executeUpdate();
        }
    }

    private static void keepSecretValues(Connection c, String operationId, StoredConfigChanges.Rewritten rewritten)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO operation_secret_values (operation_id,"
                + " secret_name, secret_value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> secret : rewritten.secretValues().byName().entrySet()) {
                s.setString(1, operationId);
                s.setString(2, secret.getKey());
                s.setString(3, secret.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
