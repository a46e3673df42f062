package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.emrvke.server.sandbox.api.ApiServer;
import io.emrvke.server.sandbox.api.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * In-process access to the sandbox API for its own controllers: the same requests a client would
 * send over HTTP, answered directly (so they get the same semantics and fire the same watches). What it
 * returns is the caller's own copy: the store's objects are shared and never modified.
 */
final class ObjectStore {
    private static final String JSON = "application/json";
    private final ApiServer api;

    ObjectStore(ApiServer api) {
        this.api = api;
    }

    /** The object at {@code path}, or null when there is none. */
    JsonNode get(String path) {
        Reply r = api.call("GET", path, null, null);
        return r.code() == 200 ? r.body().deepCopy() : null;
    }

    List<JsonNode> list(String collectionPath) {
        Reply r = api.call("GET", collectionPath, null, null);
        List<JsonNode> items = new ArrayList<>();
        if (r.code() == 200) {
            r.body().path("items").forEach(item -> items.add(item.deepCopy()));
        }
        return items;
    }

    /** Creates the object; returns the stored object, or null if it already existed. */
    JsonNode create(String collectionPath, JsonNode obj) {
        Reply r = api.call("POST", collectionPath, JSON, obj.toString());
        if (r.code() == 409) {
            return null;
        }
        expectSuccess(r, "create in " + collectionPath);
        return r.body().deepCopy();
    }

    /** RFC 6902 JSON patch; returns the patched object or null when it is gone. */
    JsonNode jsonPatch(String path, ArrayNode ops) {
        return patch(path, "application/json-patch+json", ops);
    }

    /** RFC 7386 merge patch; returns the patched object or null when it is gone. */
    JsonNode mergePatch(String path, JsonNode patch) {
        return patch(path, "application/merge-patch+json", patch);
    }

    private JsonNode patch(String path, String contentType, JsonNode body) {
        Reply r = api.call("PATCH", path, contentType, body.toString());
        if (r.code() == 404) {
            return null;
        }
        expectSuccess(r, "patch " + path);
        return r.body() == null ? null : r.body().deepCopy();
    }

    /** Deletes the object; false when it was already gone. */
    boolean delete(String path) {
        return delete(path, null);
    }

    /**
     * Deletes the object at once (DeleteOptions gracePeriodSeconds 0: what the kubelet sends once a pod's
     * containers are stopped); false when it was already gone.
     */
    boolean deleteNow(String path) {
        return delete(path, "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":0}");
    }

    private boolean delete(String path, String options) {
        Reply r = api.call("DELETE", path, options == null ? null : JSON, options);
        if (r.code() == 404) {
            return false;
        }
        expectSuccess(r, "delete " + path);
        return true;
    }

    private static void expectSuccess(Reply r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException("sandbox store refused to " + what + ": HTTP " + r.code() + " "
                    + (r.body() != null ? r.body() : r.text()));
        }
    }
}
