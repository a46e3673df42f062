package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** JSON helpers: stable hashes of JSON trees. */
final class JsonTools {
    /** Characters Kubernetes uses for generated names (no vowels, no look-alikes). */
    static final String SAFE_CHARS = "bcdfghjklmnpqrstvwxz2456789";

    private JsonTools() {
    }

    /** A stable short hash of a JSON tree (member order does not matter), in safe characters. */
    static String stableHash(JsonNode node) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical(node).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (digest[i] & 0xff);
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                out.append(SAFE_CHARS.charAt((int) Long.remainderUnsigned(v, SAFE_CHARS.length())));
                v = Long.divideUnsigned(v, SAFE_CHARS.length());
            }
            return out.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tree without nulls and empty objects or arrays: the API treats them as absent (Semantic.DeepEqual). */
    static JsonNode withoutEmpty(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            node.fields().forEachRemaining(f -> {
                JsonNode v = withoutEmpty(f.getValue());
                if (!v.isNull() && !((v.isObject() || v.isArray()) && v.isEmpty())) {
                    copy.set(f.getKey(), v);
                }
            });
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(e -> copy.add(withoutEmpty(e)));
            return copy;
        }
        return node;
    }

    static String canonical(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "null";
        }
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            Collections.sort(keys);
            StringBuilder out = new StringBuilder("{");
            for (String k : keys) {
                out.append('"').append(k).append("\":").append(canonical(node.get(k))).append(',');
            }
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            node.forEach(e -> out.append(canonical(e)).append(','));
            return out.append(']').toString();
        }
        return node.toString();
    }
}
