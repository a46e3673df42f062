package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Controller references, as the controllers' ClaimPods/ClaimReplicaSets use them: an object belongs to the
 * controller whose uid its controlling ownerReference names; an object with no controller whose labels the
 * selector matches is adopted (its reference added, guarded by its uid); others are left alone.
 */
final class Owners {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Owners() {
    }

    /** A controlling ownerReference to {@code owner}, as metav1.NewControllerRef makes it. */
    static ObjectNode controllerRef(JsonNode owner) {
        return JSON.createObjectNode().put("apiVersion", owner.path("apiVersion").asText())
                .put("kind", owner.path("kind").asText())
                .put("name", owner.path("metadata").path("name").asText())
                .put("uid", owner.path("metadata").path("uid").asText())
                .put("controller", true).put("blockOwnerDeletion", true);
    }

    static boolean controlledBy(JsonNode obj, JsonNode owner) {
        return Pods.uid(owner).equals(Pods.controller(obj).path("uid").asText());
    }

    static boolean deleting(JsonNode obj) {
        return obj.path("metadata").has("deletionTimestamp");
    }

    /**
     * The candidates {@code owner} controls, after adopting those that have no controller and match
     * {@code selector}. {@code pathOf} gives a candidate's API path (for the adoption patch).
     */
    static List<JsonNode> claim(ObjectStore store, JsonNode owner, JsonNode selector, List<JsonNode> candidates,
                                Function<JsonNode, String> pathOf) {
        List<JsonNode> owned = new ArrayList<>();
        for (JsonNode c : candidates) {
            if (controlledBy(c, owner)) {
                owned.add(c);
            } else if (Pods.controller(c).isMissingNode() && !deleting(c) && !deleting(owner)
                    && Selectors.matches(selector, c.path("metadata").path("labels"))) {
                JsonNode adopted = adopt(store, owner, c, pathOf.apply(c));
                if (adopted != null) {
                    owned.add(adopted);
                }
            }
        }
        return owned;
    }

    private static JsonNode adopt(ObjectStore store, JsonNode owner, JsonNode obj, String path) {
        ArrayNode ops = JSON.createArrayNode();
        ops.addObject().put("op", "test").put("path", "/metadata/uid").put("value", Pods.uid(obj));
        if (obj.path("metadata").path("ownerReferences").isArray()) {
            ops.addObject().put("op", "add").put("path", "/metadata/ownerReferences/-").set("value", controllerRef(owner));
        } else {
            ops.addObject().put("op", "add").put("path", "/metadata/ownerReferences")
                    .set("value", JSON.createArrayNode().add(controllerRef(owner)));
        }
        try {
            return store.jsonPatch(path, ops);
        } catch (IllegalStateException e) {
            return null; // replaced meanwhile: not the object the selector matched
        }
    }
}
