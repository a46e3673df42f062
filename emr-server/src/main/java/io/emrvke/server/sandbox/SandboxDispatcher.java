package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's front door around fabric8's CRUD store: discovery for any query string, JSON
 * content type on every answer, 415 for protobuf bodies, merge and strategic-merge patches applied
 * as RFC 7386 merges (so null deletes), and the {@code /scale} subresource. Every successful write
 * is reported to a {@link ChangeListener}, which is how the simulated controllers hear of changes.
 */
final class SandboxDispatcher extends Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxDispatcher.class);
    private static final String JSON_TYPE = "application/json";
    private static final int PATCH_RETRIES = 10;

    /** Told about every successful write, after it happened. Must not block. */
    interface ChangeListener {
        void changed(String method, ApiPath path, JsonNode result);
    }

    private final KubernetesCrudDispatcher crud;
    private final ResourceCatalog catalog;
    private final ObjectMapper json;
    private final TableView tables;
    /** Readers are requests; the writer is a snapshot copying the whole store. */
    private final ReentrantReadWriteLock storeLock = new ReentrantReadWriteLock();
    private volatile ChangeListener listener = (m, p, r) -> { };
    /** First resourceVersion of this server's life; watches resuming from before it get 410 Gone. */
    private volatile long bootVersion;

    SandboxDispatcher(KubernetesCrudDispatcher crud, ResourceCatalog catalog, ObjectMapper json) {
        this.crud = crud;
        this.catalog = catalog;
        this.json = json;
        this.tables = new TableView(json, catalog);
    }

    void listen(ChangeListener l) {
        this.listener = l;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        storeLock.readLock().lock();
        try {
            MockResponse response = route(request);
            if (response.getWebSocketListener() == null && response.header("Content-Type") == null) {
                response.setHeader("Content-Type", JSON_TYPE);
            }
            reportChange(request, response);
            return response;
        } catch (RuntimeException e) {
            LOG.warn("sandbox request {} {} failed", request.getMethod(), request.getPath(), e);
            return status(500, "InternalError", "sandbox: " + e.getMessage());
        } finally {
            storeLock.readLock().unlock();
        }
    }

    private MockResponse route(RecordedRequest request) {
        String path = ApiPath.stripQuery(request.getPath());
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody("ok");
        }
        if (path.startsWith("/openapi") || path.startsWith("/swagger")) {
            return status(404, "NotFound", "the sandbox serves no OpenAPI schema; use --validate=false");
        }
        if (method.equals("GET")) {
            Optional<JsonNode> doc = catalog.discovery(path);
            if (doc.isPresent()) {
                return ok(doc.get());
            }
        }
        if (method.equals("GET") && resumesFromAnEarlierLife(request.getPath())) {
            // The store keeps no event history, so it cannot replay what a watch from a previous life of
            // the server missed; like an API server whose history was compacted, it says 410 and the
            // client lists again (informers do) instead of silently missing those events.
            return expiredWatch(request);
        }
        String contentType = contentType(request);
        if (contentType.contains("protobuf")) {
            return status(415, "UnsupportedMediaType", "the sandbox accepts JSON bodies only, not " + contentType);
        }
        ApiPath api = ApiPath.parse(path);
        if (api != null && api.name() != null && "scale".equals(api.subresource())) {
            return scale(method, request, api);
        }
        if (method.equals("PATCH") && api != null && api.name() != null) {
            if (contentType.contains("apply-patch")) {
                return status(415, "UnsupportedMediaType", "server-side apply is not supported by the sandbox");
            }
            if (contentType.contains("merge-patch")) {
                boolean strategic = contentType.contains("strategic");
                return mergePatch(api, parse(request.getUtf8Body()), strategic);
            }
        }
        MockResponse response = crud.dispatch(request);
        if (method.equals("GET") && api != null && response.code() == 200 && response.getWebSocketListener() == null
                && TableView.wanted(header(request, "Accept"))) {
            JsonNode body = parse(bodyOf(response));
            if (body != null) {
                return ok(tables.render(api, body));
            }
        }
        return response;
    }

    private void reportChange(RecordedRequest request, MockResponse response) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (method.equals("GET") || response.code() < 200 || response.code() >= 300) {
            return;
        }
        ApiPath api = ApiPath.parse(request.getPath());
        if (api == null) {
            return;
        }
        JsonNode result = null;
        try {
            if (response.getBody() != null && response.getBody().size() > 0) {
                result = json.readTree(new String(response.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            result = null;
        }
        listener.changed(method, api, result);
    }

    /** RFC 7386 merge applied here (the store would keep nulls) and written back with a PUT. */
    private MockResponse mergePatch(ApiPath api, JsonNode patch, boolean strategic) {
        if (patch == null || !patch.isObject()) {
            return status(400, "BadRequest", "the patch body must be a JSON object");
        }
        JsonNode effective = strategic ? JsonTools.stripDirectives(patch) : patch;
        boolean pinned = !effective.path("metadata").path("resourceVersion").isMissingNode();
        String target = "status".equals(api.subresource()) ? api.mainPath() + "/status" : api.mainPath();
        MockResponse last = null;
        for (int attempt = 0; attempt < PATCH_RETRIES; attempt++) {
            MockResponse current = crud.dispatch(request("GET", api.mainPath(), null, null));
            if (current.code() != 200) {
                return current;
            }
            JsonNode merged = JsonTools.mergePatch(parse(bodyOf(current)), effective);
            last = crud.dispatch(request("PUT", target, JSON_TYPE, merged.toString()));
            if (last.code() != 409 || pinned) {
                return last;
            }
        }
        return last;
    }

    private MockResponse scale(String method, RecordedRequest request, ApiPath api) {
        MockResponse current = crud.dispatch(request("GET", api.mainPath(), null, null));
        if (current.code() != 200) {
            return current;
        }
        if (method.equals("GET")) {
            return ok(scaleOf(parse(bodyOf(current))));
        }
        if (!method.equals("PUT") && !method.equals("PATCH")) {
            return status(405, "MethodNotAllowed", "the scale subresource supports get, update and patch");
        }
        JsonNode replicas = requestedReplicas(parse(request.getUtf8Body()));
        if (replicas == null || !replicas.canConvertToInt() || replicas.asInt() < 0) {
            return status(422, "Invalid", "spec.replicas: a scale request needs a non-negative spec.replicas");
        }
        ObjectNode patch = json.createObjectNode();
        patch.putObject("spec").put("replicas", replicas.asInt());
        MockResponse updated = mergePatch(new ApiPath(api.group(), api.version(), api.namespace(), api.plural(),
                api.name(), null), patch, false);
        if (updated.code() != 200) {
            return updated;
        }
        return ok(scaleOf(parse(bodyOf(updated))));
    }

    private static JsonNode requestedReplicas(JsonNode body) {
        if (body == null) {
            return null;
        }
        if (body.isArray()) {
            for (JsonNode op : body) {
                if (op.path("path").asText().equals("/spec/replicas")) {
                    return op.get("value");
                }
            }
            return null;
        }
        return body.path("spec").get("replicas");
    }

    private JsonNode scaleOf(JsonNode obj) {
        ObjectNode scale = json.createObjectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        JsonNode meta = obj.path("metadata");
        ObjectNode m = scale.putObject("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (meta.has(f)) {
                m.set(f, meta.get(f));
            }
        }
        scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
        ObjectNode status = scale.putObject("status").put("replicas", obj.path("status").path("replicas").asInt(0));
        JsonNode selector = obj.path("spec").path("selector");
        JsonNode labels = selector.has("matchLabels") ? selector.get("matchLabels") : selector;
        List<String> parts = new ArrayList<>();
        labels.fields().forEachRemaining(f -> parts.add(f.getKey() + "=" + f.getValue().asText()));
        status.put("selector", String.join(",", parts));
        return scale;
    }

    // ---- in-process access for controllers and persistence ----

    MockResponse call(String method, String path, String body) {
        return dispatch(request(method, path, body == null ? null : contentTypeFor(method, body), body));
    }

    private static String contentTypeFor(String method, String body) {
        if (method.equals("PATCH")) {
            return body.startsWith("[") ? "application/json-patch+json" : "application/merge-patch+json";
        }
        return JSON_TYPE;
    }

    /** A consistent copy of every object in the store. */
    List<String> copyAll() {
        storeLock.writeLock().lock();
        try {
            return new ArrayList<>(crud.getMap().values());
        } finally {
            storeLock.writeLock().unlock();
        }
    }

    /** Puts a saved object back as it was (uid, timestamps, resourceVersion kept). */
    void restore(String collectionPath, JsonNode obj) {
        String text = obj.toString();
        GenericKubernetesResource resource = Serialization.unmarshal(text, GenericKubernetesResource.class);
        crud.processEvent(collectionPath,
                crud.getKey(collectionPath).add(new Attribute("name", resource.getMetadata().getName())),
                null, resource, text);
    }

    /**
     * Marks the start of this server's life: everything restored or seeded so far is older. Returns the
     * version, which every list answered from now on is at or after.
     */
    long markBoot() {
        bootVersion = crud.requestResourceVersion();
        return bootVersion;
    }

    /**
     * What an API server answers a watch from a compacted resourceVersion: the watch opens, carries one
     * ERROR event with a 410 Expired Status, and ends (fabric8 informers, client-go and kubectl list again
     * on it; a 410 on the handshake itself would only make fabric8 retry the same watch forever).
     */
    private MockResponse expiredWatch(RecordedRequest request) {
        ObjectNode expired = json.createObjectNode().put("type", "ERROR");
        ObjectNode s = expired.putObject("object").put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("reason", "Expired").put("code", 410)
                .put("message", "too old resource version: the sandbox restarted since; list again");
        String event = expired.toString();
        String upgrade = header(request, "Upgrade");
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            return new MockResponse().withWebSocketUpgrade(new io.fabric8.mockwebserver.http.WebSocketListener() {
                @Override
                public void onOpen(io.fabric8.mockwebserver.http.WebSocket socket, io.fabric8.mockwebserver.http.Response response) {
                    socket.send(event);
                    socket.close(1000, "expired");
                }
            });
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", JSON_TYPE).setBody(event + "\n");
    }

    private boolean resumesFromAnEarlierLife(String rawPath) {
        int q = rawPath.indexOf('?');
        if (q < 0) {
            return false;
        }
        boolean watch = false;
        long version = -1;
        for (String param : rawPath.substring(q + 1).split("&")) {
            int eq = param.indexOf('=');
            String key = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? "" : param.substring(eq + 1);
            if (key.equals("watch")) {
                watch = value.equals("true") || value.equals("1");
            } else if (key.equals("resourceVersion")) {
                try {
                    version = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    version = -1;
                }
            }
        }
        // "0" (or none) means "any version": a fresh start, nothing to resume
        return watch && version > 0 && version < bootVersion;
    }

    /** Moves the store's resourceVersion counter past every restored object's. */
    void advanceResourceVersion(long atLeast) {
        while (crud.requestResourceVersion() < atLeast) {
            // each call hands out the next version
        }
    }

    private static RecordedRequest request(String method, String path, String contentType, String body) {
        Headers.Builder headers = Headers.builder();
        if (contentType != null) {
            headers.add("Content-Type", contentType);
        }
        Buffer buffer = new Buffer();
        if (body != null) {
            buffer.writeUtf8(body);
        }
        return new RecordedRequest("HTTP/1.1", HttpMethod.valueOf(method), path, headers.build(), buffer);
    }

    private static String header(RecordedRequest request, String name) {
        String value = request.getHeader(name);
        return value != null ? value : request.getHeader(name.toLowerCase(Locale.ROOT));
    }

    private static String contentType(RecordedRequest request) {
        String ct = request.getHeader("Content-Type");
        if (ct == null) {
            ct = request.getHeader("content-type");
        }
        return ct == null ? "" : ct.toLowerCase(Locale.ROOT);
    }

    static String bodyOf(MockResponse response) {
        Buffer body = response.getBody();
        return body == null ? "" : new String(body.getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? null : json.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private MockResponse ok(JsonNode body) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", JSON_TYPE).setBody(body.toString());
    }

    MockResponse status(int code, String reason, String message) {
        ObjectNode s = json.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", JSON_TYPE).setBody(s.toString());
    }
}
