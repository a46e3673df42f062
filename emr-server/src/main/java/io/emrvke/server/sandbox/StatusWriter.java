package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Writes a workload's whole status, only when it really changed (so status writes never loop). */
final class StatusWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectStore store;

    StatusWriter(ObjectStore store) {
        this.store = store;
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * Equal as JSON documents: a number read back from the store (an int) equals the long this process put
     * in (plain {@code equals} says 2L != 2, which made every reconcile rewrite an unchanged status).
     */
    static boolean sameJson(JsonNode a, JsonNode b) {
        return a.equals(StatusWriter::compareValues, b);
    }

    private static int compareValues(JsonNode x, JsonNode y) {
        if (x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue());
        }
        return x.equals(y) ? 0 : 1;
    }

    /** A condition, keeping the old transition time when nothing but time would change. */
    static ObjectNode condition(JsonNode oldStatus, String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        String last = now();
        for (JsonNode c : oldStatus.path("conditions")) {
            if (type.equals(c.path("type").asText()) && value.equals(c.path("status").asText())
                    && reason.equals(c.path("reason").asText())) {
                last = c.path("lastTransitionTime").asText(last);
            }
        }
        ObjectNode c = JSON.createObjectNode().put("type", type).put("status", value)
                .put("lastTransitionTime", last).put("reason", reason).put("message", message);
        return c;
    }

    /** Replaces {@code status} of the object at {@code path} unless it already equals {@code status}. */
    void write(String path, JsonNode current, ObjectNode status) {
        if (sameJson(status, current.path("status"))) {
            return;
        }
        ArrayNode ops = JSON.createArrayNode();
        ops.addObject().put("op", "add").put("path", "/status").set("value", status);
        store.jsonPatch(path + "/status", ops);
    }
}
