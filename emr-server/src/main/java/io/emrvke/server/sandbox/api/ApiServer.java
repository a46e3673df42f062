package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's Kubernetes API server: the store, the REST verbs, watches, discovery and authentication,
 * over HTTPS on one port (Jetty), and the same verbs in process for the sandbox's own controllers.
 *
 * <pre>
 * ApiServer api = new ApiServer(token, TlsIdentity.generate("127.0.0.1"), ApiServer.DEFAULT_BOOKMARK_INTERVAL_MS);
 * api.restore(savedObjects);          // before serving, no events
 * api.startHistory();                 // watches resume from here on
 * api.start("127.0.0.1", 0);
 * Reply r = api.call("GET", "/api/v1/namespaces/default/pods", null, null);
 * </pre>
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Changes kept for watches that resume; older resourceVersions get 410 Expired. */
    public static final int HISTORY = 4096;
    public static final long DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;
    private static final Duration STREAM_IDLE = Duration.ofHours(2);
    private static final String CRD_KIND = "CustomResourceDefinition";

    private final ResourceCatalog catalog = new ResourceCatalog();
    private final Storage storage = new Storage(HISTORY);
    private final Resources resources = new Resources(catalog, storage);
    private final Subresources subresources = new Subresources(resources);
    private final Watches watches;
    private final Router router;
    private final String token;
    private final TlsIdentity tls;
    private final ExecutorService streams = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sandbox-api-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile String address = "";
    private Server server;
    private int port;

    /**
     * {@code token}: the bearer token every request must carry; {@code tls}: the HTTPS identity (kubectl
     * sends a token only over TLS). Null for either means none (plain HTTP, no credentials).
     */
    public ApiServer(String token, TlsIdentity tls, long bookmarkIntervalMs) {
        this.token = token;
        this.tls = tls;
        this.watches = new Watches(resources, bookmarkIntervalMs);
        this.router = new Router(resources, subresources, new Discovery(Json.MAPPER, catalog, () -> address));
    }

    public void admission(Admission admission) {
        resources.admission(admission);
    }

    public void podLogs(PodLogs logs) {
        subresources.podLogs(logs);
    }

    public void listener(WriteListener listener) {
        resources.listener(listener);
    }

    public ResourceCatalog catalog() {
        return catalog;
    }

    /**
     * Puts saved objects back as they were (uid, timestamps, resourceVersion kept): CRDs first, so their
     * kinds are known; objects of kinds the sandbox does not serve are skipped. Returns how many were.
     */
    public int restore(List<JsonNode> saved) {
        List<JsonNode> ordered = new ArrayList<>(saved);
        ordered.sort(Comparator.comparingInt(o -> CRD_KIND.equals(o.path("kind").asText()) ? 0 : 1));
        return storage.write(() -> {
            int restored = 0;
            boolean crdsDone = false;
            for (JsonNode obj : ordered) {
                boolean crd = CRD_KIND.equals(obj.path("kind").asText());
                if (!crd && !crdsDone) {
                    catalog.refresh(storage.list("apiextensions.k8s.io/customresourcedefinitions", null)
                            .stream().map(o -> (JsonNode) o).toList());
                    crdsDone = true;
                }
                Optional<ResourceType> type = obj.isObject() ? catalog.byKind(obj.path("apiVersion").asText(),
                        obj.path("kind").asText()) : Optional.empty();
                if (type.isEmpty()) {
                    LOG.warn("sandbox state: skipping {} {} (unknown kind)", obj.path("kind").asText(), Json.name(obj));
                    continue;
                }
                storage.restore(Resources.resourceKey(type.get()), (ObjectNode) obj.deepCopy());
                restored++;
            }
            catalog.refresh(storage.list("apiextensions.k8s.io/customresourcedefinitions", null)
                    .stream().map(o -> (JsonNode) o).toList());
            return restored;
        });
    }

    /** Watches may resume only from the resourceVersion of now on (an earlier life's changes are gone). */
    public void startHistory() {
        storage.write(() -> {
            storage.startHistory();
            return null;
        });
    }

    /** Serves HTTP on {@code bind}:{@code port} (0: any free port); returns once it accepts connections. */
    public void start(String bind, int requestedPort) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(200, 2, 60_000);
        threads.setName("sandbox-api");
        threads.setDaemon(true);
        server = new Server(threads);
        ServerConnector connector = tls == null ? new ServerConnector(server, 1, 1)
                : new ServerConnector(server, 1, 1, tls.sslContextFactory());
        connector.setHost(bind);
        connector.setPort(requestedPort);
        connector.setIdleTimeout(STREAM_IDLE.toMillis());
        server.addConnector(connector);
        HttpFront front = new HttpFront(router, watches, subresources, token, streams);
        server.setHandler(front);
        ServerWebSocketContainer ws = ServerWebSocketContainer.ensure(server);
        ws.setIdleTimeout(STREAM_IDLE);
        ws.setMaxTextMessageSize(HttpFront.MAX_BODY_BYTES);
        front.webSockets(ws);
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("cannot start the sandbox API on " + bind + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        port = connector.getLocalPort();
        address = bind + ":" + port;
    }

    public int port() {
        return port;
    }

    /** The same request a client would send, answered in process (no authentication). */
    public Reply call(String method, String path, String contentType, String body) {
        ApiRequest req = ApiRequest.of(method, path, contentType, null, body, true);
        return router.call(req.method(), ResourcePath.stripQuery(path), req);
    }

    /** Every stored object as it is now (one consistent moment), for the state file. */
    public List<JsonNode> snapshot() {
        return storage.read(() -> new ArrayList<JsonNode>(storage.all()));
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("sandbox API did not stop cleanly: {}", e.toString());
            }
        }
        streams.shutdownNow();
    }
}
