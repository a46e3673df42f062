package io.emrvke.server.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.server.catalog.ComponentAction;
import io.emrvke.server.operation.engine.SecretValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a RunApplicationAction operation keeps for its steps (the operation's params), typed: the
 * action and the applicationConfigs changes. This is the one codec of those params. A secret item
 * is stored marked {@code "Secret": true} without its value, which is one of the operation's secret
 * values (stored apart, sealed, deleted when the operation ends), so no operation column holds it.
 *
 * <p>Versions: 2 (written now) carries {@code "PayloadVersion": 2}; 1 (written from store schema V5
 * until version 2) has the same shape without it, and is still read: an existing data dir may hold
 * unfinished operations written so. Version 0 (secret values in clear) was rewritten to 1 by the
 * store migration V5 and is never read here.
 */
public record RunActionPayload(ComponentAction action, List<ConfigItem> changes) {
    public static final int VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAYLOAD_VERSION = "PayloadVersion";
    private static final String ACTION = "ActionName";
    private static final String ITEMS = "ApplicationConfigs";
    private static final String FILE = "ConfigFileName";
    private static final String KEY = "ConfigItemKey";
    private static final String VALUE = "ConfigItemValue";
    private static final String SECRET = "Secret";

    public RunActionPayload {
        changes = List.copyOf(changes);
    }

    /** The params to store, and the secret values they leave out (for the plan's secret values). */
    public record Encoded(String params, SecretValues secretValues) {
    }

    public Encoded encode() {
        ObjectNode params = JSON.createObjectNode();
        params.put(PAYLOAD_VERSION, VERSION);
        params.put(ACTION, action.wireName());
        ArrayNode out = params.putArray(ITEMS);
        Map<String, String> secrets = new LinkedHashMap<>();
        for (ConfigItem item : changes) {
            ObjectNode o = out.addObject().put(FILE, item.fileName()).put(KEY, item.key());
            if (item.secret()) {
                o.put(SECRET, true);
                secrets.put(secretName(item.fileName(), item.key()), item.value());
            } else {
                o.put(VALUE, item.value());
            }
        }
        return new Encoded(params.toString(), SecretValues.of(secrets));
    }

    /**
     * Reads params of version 1 or 2, with the secret values from {@code secretValues} (by name).
     *
     * @throws IllegalStateException when the params are unreadable or of an unknown version, or a
     *                               secret value is no longer stored (naming the item, never a value)
     */
    public static RunActionPayload decode(String params, Function<String, Optional<String>> secretValues) {
        JsonNode root = parse(params);
        int version = root.path(PAYLOAD_VERSION).asInt(1);
        if (version < 1 || version > VERSION) {
            throw new IllegalStateException("operation params of version " + version + "; this server reads"
                    + " versions 1 to " + VERSION);
        }
        String actionName = root.path(ACTION).asText("");
        ComponentAction action = ComponentAction.fromWire(actionName).orElseThrow(() ->
                new IllegalStateException("operation params name no known action: '" + actionName + "'"));
        List<ConfigItem> changes = new ArrayList<>();
        for (JsonNode item : root.path(ITEMS)) {
            String fileName = item.path(FILE).asText();
            String key = item.path(KEY).asText();
            String value = item.path(SECRET).asBoolean(false)
                    ? secretValues.apply(secretName(fileName, key)).orElseThrow(() -> new IllegalStateException(
                    "the value of secret item " + key + " of " + fileName + " is not stored"))
                    : item.path(VALUE).asText();
            changes.add(new ConfigItem(fileName, key, value));
        }
        return new RunActionPayload(action, changes);
    }

    private static JsonNode parse(String params) {
        try {
            JsonNode root = JSON.readTree(params == null ? "{}" : params);
            if (root == null || !root.isObject()) {
                throw new IllegalStateException("operation params are not a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new IllegalStateException("unreadable operation params", e);
        }
    }

    /** File, then key: a key cannot hold '/', so the name is unambiguous. */
    private static String secretName(String fileName, String key) {
        return fileName + "/" + key;
    }
}
