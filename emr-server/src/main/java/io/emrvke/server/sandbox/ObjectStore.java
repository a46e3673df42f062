package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * In-process access to the sandbox API for its own controllers: the same requests a client would
 * send over HTTP, dispatched directly (so they get the same semantics and fire the same watches).
 */
final class ObjectStore {
    private final SandboxDispatcher api;

    ObjectStore(SandboxDispatcher api) {
        this.api = api;
    }

    /** The object at {@code path}, or null when there is none. */
    JsonNode get(String path) {
        MockResponse r = api.call("GET", path, null);
        return r.code() == 200 ? api.parse(SandboxDispatcher.bodyOf(r)) : null;
    }

    List<JsonNode> list(String collectionPath) {
        MockResponse r = api.call("GET", collectionPath, null);
        List<JsonNode> items = new ArrayList<>();
        if (r.code() == 200) {
            JsonNode body = api.parse(SandboxDispatcher.bodyOf(r));
            if (body != null) {
                body.path("items").forEach(items::add);
            }
        }
        return items;
    }

    /** Creates the object; returns the stored object, or null if it already existed. */
    JsonNode create(String collectionPath, JsonNode obj) {
        MockResponse r = api.call("POST", collectionPath, obj.toString());
        if (r.code() == 409) {
            return null;
        }
        expectSuccess(r, "create in " + collectionPath);
        return api.parse(SandboxDispatcher.bodyOf(r));
    }

    /** RFC 6902 JSON patch; returns the patched object or null when it is gone. */
    JsonNode jsonPatch(String path, ArrayNode ops) {
        return patch(path, ops);
    }

    /** RFC 7386 merge patch; returns the patched object or null when it is gone. */
    JsonNode mergePatch(String path, JsonNode patch) {
        return patch(path, patch);
    }

    /** The dispatcher tells the two patch types apart by the body (an array is a JSON patch). */
    private JsonNode patch(String path, JsonNode body) {
        MockResponse r = api.call("PATCH", path, body.toString());
        if (r.code() == 404) {
            return null;
        }
        expectSuccess(r, "patch " + path);
        return api.parse(SandboxDispatcher.bodyOf(r));
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
        MockResponse r = api.call("DELETE", path, options);
        if (r.code() == 404) {
            return false;
        }
        expectSuccess(r, "delete " + path);
        return true;
    }

    private static void expectSuccess(MockResponse r, String what) {
        if (r.code() < 200 || r.code() >= 300) {
            throw new IllegalStateException("sandbox store refused to " + what + ": HTTP " + r.code() + " "
                    + SandboxDispatcher.bodyOf(r));
        }
    }
}
