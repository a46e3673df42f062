package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** JSON helpers of the API server: value equality, RFC 7386 merge. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Equal as JSON documents: 2 (an int) equals 2L; plain {@code equals} says they differ. */
    static boolean sameJson(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> x.isNumber() && y.isNumber() ? x.decimalValue().compareTo(y.decimalValue())
                : x.equals(y) ? 0 : 1, b);
    }

    /** RFC 7386 JSON merge patch applied to a copy of {@code target}; null removes a member. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        return mergeInto(target == null ? null : target.deepCopy(), patch);
    }

    private static JsonNode mergeInto(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : MAPPER.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getValue().isNull()) {
                result.remove(f.getKey());
            } else {
                result.set(f.getKey(), mergeInto(result.get(f.getKey()), f.getValue()));
            }
        }
        return result;
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ObjectNode meta(JsonNode obj) {
        return (ObjectNode) obj.path("metadata");
    }

    static String text(JsonNode obj, String a, String b) {
        JsonNode v = obj.path(a).path(b);
        return v.isValueNode() && !v.isNull() ? v.asText() : "";
    }

    static String name(JsonNode obj) {
        return text(obj, "metadata", "name");
    }

    static String namespace(JsonNode obj) {
        return text(obj, "metadata", "namespace");
    }
}
