package io.emrvke.server.store.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.server.disclosure.SecretKeys;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 *
 * <p>It knows the two formats as they were then (version 0, values in clear; version 1, secret
 * items marked) and nothing of today's code: a migration is frozen with the schema it brings.
 * {@code application.RunActionPayload} reads version 1 and later.
 */
public class V5__secret_config_values_leave_operation_params extends BaseJavaMigration {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ITEMS = "ApplicationConfigs";
    private static final String FILE = "ConfigFileName";
    private static final String KEY = "ConfigItemKey";
    private static final String VALUE = "ConfigItemValue";
    private static final String SECRET = "Secret";

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        for (Stored op : storedWithConfigValues(c)) {
            Optional<Rewritten> rewritten = withSecretValuesApart(op.params());
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

    private static void keepSecretValues(Connection c, String operationId, Rewritten rewritten)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO operation_secret_values (operation_id,"
                + " secret_name, secret_value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> secret : rewritten.secretValues().entrySet()) {
                s.setString(1, operationId);
                s.setString(2, secret.getKey());
                s.setString(3, secret.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Version-1 params, and the secret values (by "file/key") they leave out. */
    record Rewritten(String params, Map<String, String> secretValues) {
    }

    /**
     * Version-0 params (secret items' values in clear) as version 1 writes them; empty when they
     * hold no secret value, are version 1 already, or are not such params.
     */
    static Optional<Rewritten> withSecretValuesApart(String params) {
        JsonNode root;
        try {
            root = JSON.readTree(params == null ? "{}" : params);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!(root instanceof ObjectNode stored)) {
            return Optional.empty();
        }
        ArrayNode items = JSON.createArrayNode();
        Map<String, String> secrets = new LinkedHashMap<>();
        for (JsonNode item : stored.path(ITEMS)) {
            if (item.has(SECRET) || !item.path(VALUE).isTextual()) {
                return Optional.empty(); // version 1 already
            }
            String file = item.path(FILE).asText();
            String key = item.path(KEY).asText();
            ObjectNode o = items.addObject().put(FILE, file).put(KEY, key);
            if (SecretKeys.isSecret(key)) {
                o.put(SECRET, true);
                secrets.put(file + "/" + key, item.path(VALUE).asText());
            } else {
                o.put(VALUE, item.path(VALUE).asText());
            }
        }
        if (secrets.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode rewritten = stored.deepCopy();
        rewritten.set(ITEMS, items);
        return Optional.of(new Rewritten(rewritten.toString(), secrets));
    }
}
