package io.emrvke.server.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reading an object's JSON as the Go API server reads its typed struct: an absent or null member is the
 * zero value ("" for text, 0 for a number, empty for a list or map).
 */
final class Fields {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Fields() {
    }

    static JsonNode at(JsonNode node, String name) {
        JsonNode value = node == null ? null : node.get(name);
        return value == null || value.isNull() ? JSON.missingNode() : value;
    }

    static boolean has(JsonNode node, String name) {
        return !at(node, name).isMissingNode();
    }

    static String text(JsonNode node, String name) {
        JsonNode value = at(node, name);
        return value.isMissingNode() ? "" : value.asText();
    }

    static long number(JsonNode node, String name, long zero) {
        JsonNode value = at(node, name);
        return value.isMissingNode() ? zero : value.asLong();
    }

    static List<JsonNode> list(JsonNode node, String name) {
        List<JsonNode> out = new ArrayList<>();
        at(node, name).forEach(out::add);
        return out;
    }

    /** A map member's entries in the order the object holds them (Go visits a map in no set order). */
    static List<Map.Entry<String, JsonNode>> entries(JsonNode node, String name) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        JsonNode map = at(node, name);
        if (map.isObject()) {
            map.fields().forEachRemaining(out::add);
        }
        return out;
    }

    /** A map[string]string as json.Marshal writes it: keys sorted; JSON null when absent. */
    static JsonNode goMap(JsonNode map) {
        if (map == null || !map.isObject()) {
            return JSON.nullNode();
        }
        ObjectNode sorted = JSON.objectNode();
        GoText.sortedKeys(map).forEach(k -> sorted.set(k, map.get(k)));
        return sorted;
    }

    /** Members of a struct, in Go field order (names and values alternating). */
    static ObjectNode struct(Object... namesAndValues) {
        ObjectNode out = JSON.objectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.set((String) namesAndValues[i], (JsonNode) namesAndValues[i + 1]);
        }
        return out;
    }
}
