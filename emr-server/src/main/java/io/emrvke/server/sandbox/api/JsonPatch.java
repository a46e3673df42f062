package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test) applied to a copy of a document. */
final class JsonPatch {
    /** What the API server says when a {@code test} operation fails. */
    private static final String REJECTED = "the server rejected our request due to an error in our request";

    private JsonPatch() {
    }

    static JsonNode apply(JsonNode document, JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            throw ApiError.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }
        JsonNode doc = document.deepCopy();
        for (JsonNode op : patch) {
            doc = step(doc, op);
        }
        return doc;
    }

    private static JsonNode step(JsonNode doc, JsonNode op) {
        String kind = op.path("op").asText("");
        String path = op.path("path").asText(null);
        if (path == null) {
            throw invalid("missing path in " + kind + " operation");
        }
        switch (kind) {
            case "add":
                return add(doc, path, value(op, kind));
            case "remove":
                return remove(doc, path, kind);
            case "replace":
                remove(doc, path, kind);
                return add(doc, path, value(op, kind));
            case "move": {
                String from = op.path("from").asText(null);
                JsonNode moved = get(doc, from, kind);
                remove(doc, from, kind);
                return add(doc, path, moved);
            }
            case "copy":
                return add(doc, path, get(doc, op.path("from").asText(null), kind).deepCopy());
            case "test":
                if (!Json.sameJson(get(doc, path, kind), value(op, kind))) {
                    throw ApiError.invalidPatch(REJECTED);
                }
                return doc;
            default:
                throw invalid("Unexpected kind: " + kind);
        }
    }

    private static JsonNode value(JsonNode op, String kind) {
        if (!op.has("value")) {
            throw invalid("missing value in " + kind + " operation");
        }
        return op.get("value").deepCopy();
    }

    private static ApiError invalid(String why) {
        return ApiError.invalidPatch(why);
    }

    private static ApiError missing(String kind, String path) {
        return invalid(kind + " operation does not apply: doc is missing path: \"" + path + "\": missing value");
    }

    static List<String> tokens(String pointer) {
        List<String> out = new ArrayList<>();
        if (pointer.isEmpty()) {
            return out;
        }
        if (!pointer.startsWith("/")) {
            throw invalid("invalid JSON pointer: " + pointer);
        }
        for (String t : pointer.substring(1).split("/", -1)) {
            out.add(t.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    private static JsonNode get(JsonNode doc, String pointer, String kind) {
        if (pointer == null) {
            throw invalid("missing from in " + kind + " operation");
        }
        JsonNode n = doc;
        for (String t : tokens(pointer)) {
            n = n.isArray() ? n.path(index(t, n.size() - 1, kind, pointer)) : n.path(t);
            if (n.isMissingNode()) {
                throw missing(kind, pointer);
            }
        }
        return n;
    }

    private static JsonNode parentOf(JsonNode doc, List<String> tokens, String kind, String pointer) {
        JsonNode n = doc;
        for (String t : tokens.subList(0, tokens.size() - 1)) {
            n = n.isArray() ? n.path(index(t, n.size() - 1, kind, pointer)) : n.path(t);
            if (!n.isContainerNode()) {
                throw missing(kind, pointer);
            }
        }
        return n;
    }

    private static int index(String token, int max, String kind, String pointer) {
        try {
            int i = Integer.parseInt(token);
            if (i < 0 || i > max) {
                throw missing(kind, pointer);
            }
            return i;
        } catch (NumberFormatException e) {
            throw missing(kind, pointer);
        }
    }

    private static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
        List<String> t = tokens(pointer);
        if (t.isEmpty()) {
            return value;
        }
        JsonNode parent = parentOf(doc, t, "add", pointer);
        String last = t.get(t.size() - 1);
        if (parent.isArray()) {
            ArrayNode a = (ArrayNode) parent;
            if (last.equals("-")) {
                a.add(value);
            } else {
                a.insert(index(last, a.size(), "add", pointer), value);
            }
        } else {
            ((ObjectNode) parent).set(last, value);
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String pointer, String kind) {
        List<String> t = tokens(pointer);
        if (t.isEmpty()) {
            throw invalid("cannot " + kind + " the whole document");
        }
        JsonNode parent = parentOf(doc, t, kind, pointer);
        String last = t.get(t.size() - 1);
        if (parent.isArray()) {
            ((ArrayNode) parent).remove(index(last, parent.size() - 1, kind, pointer));
        } else if (parent.has(last)) {
            ((ObjectNode) parent).remove(last);
        } else {
            throw missing(kind, pointer);
        }
        return doc;
    }
}
