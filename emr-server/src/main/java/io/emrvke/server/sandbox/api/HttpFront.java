package io.emrvke.server.sandbox.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API over HTTP: bearer-token authentication (health and version stay open to anonymous requests,
 * as on a real cluster; a wrong token is refused everywhere), then the router, or a stream kept open:
 * watches over chunked HTTP or over a WebSocket (fabric8's client tries WebSocket first), and
 * {@code pods/log?follow=true}.
 */
final class HttpFront extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    private static final String JSON_TYPE = "application/json";
    /** Larger than any object kubectl would send (the API server's own limit is 3 MiB per object). */
    static final long MAX_BODY_BYTES = 32L << 20;
    /** How often a followed log with nothing new checks that its pod is still there. */
    private static final long LOG_POLL_MS = 1_000;

    private final Router router;
    private final Watches watches;
    private final Subresources subresources;
    private final byte[] token;
    private final ExecutorService streams;
    private volatile ServerWebSocketContainer webSockets;

    HttpFront(Router router, Watches watches, Subresources subresources, String token, ExecutorService streams) {
        this.router = router;
        this.watches = watches;
        this.subresources = subresources;
        this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.streams = streams;
    }

    void webSockets(ServerWebSocketContainer container) {
        this.webSockets = container;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        String method = request.getMethod();
        try {
            authenticate(request, path);
            long length = request.getLength();
            if (length > MAX_BODY_BYTES) {
                throw new ApiError(413, "RequestEntityTooLarge", "the request body is larger than the sandbox accepts ("
                        + MAX_BODY_BYTES + " bytes)", null);
            }
            String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            // a protobuf body is not text: it is refused (415) or, for the access reviews, ignored, never decoded
            boolean protobuf = contentType != null && contentType.contains("protobuf");
            String body = method.equals("GET") ? null : protobuf ? "" : text(request);
            ApiRequest req = ApiRequest.of(method, query == null ? path : path + "?" + query, contentType,
                    request.getHeaders().get(HttpHeader.ACCEPT), body, false);
            if (method.equals("GET") && req.path() != null && stream(req, request, response, callback)) {
                return true;
            }
            write(response, callback, router.call(method, path, req));
        } catch (ApiError e) {
            write(response, callback, Reply.of(e));
        } catch (RuntimeException e) {
            LOG.warn("sandbox API: {} {} failed", method, path, e);
            write(response, callback, Reply.of(ApiError.internal("sandbox: " + e)));
        }
        return true;
    }

    /** The body as UTF-8 text; bytes that are not UTF-8 are the client's error (400), not the server's. */
    private static String text(Request request) throws IOException {
        try {
            return Content.Source.asString(request, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("the request body is not UTF-8 text: " + e.getMessage());
        }
    }

    private void authenticate(Request request, String path) {
        if (token == null) {
            return;
        }
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null && (Router.isHealth(path) || path.equals("/version") || path.equals("/version/"))) {
            return;
        }
        if (auth == null || !MessageDigest.isEqual(auth.trim().getBytes(StandardCharsets.UTF_8), token)) {
            throw ApiError.unauthorized();
        }
    }

    /** Opens a watch or a followed log when the request is one; false for everything else. */
    private boolean stream(ApiRequest req, Request request, Response response, Callback callback) {
        boolean watch = req.flag("watch");
        boolean follow = "log".equals(req.path().subresource()) && req.flag("follow");
        if (!watch && !follow) {
            return false;
        }
        ResourceType type = router.resolve(req);
        if (watch && req.path().subresource() == null && type.stored()) {
            Watches.Watch w = watches.open(req, type);
            if (isWebSocket(request)) {
                upgrade(w, request, response, callback);
            } else {
                streamHttp(response, callback, w);
            }
            return true;
        }
        if (follow && type.is("", "pods") && !req.flag("previous")) {
            followLog(req, type, response, callback);
            return true;
        }
        return false;
    }

    private static boolean isWebSocket(Request request) {
        String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    private void streamHttp(Response response, Callback callback, Watches.Watch w) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, private");
        try {
            flush(response);
            w.run(event -> send(response, event + "\n"));
            response.write(true, ByteBuffer.allocate(0), callback);
        } catch (IOException e) {
            callback.failed(e); // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        }
    }

    private static void flush(Response response) throws IOException {
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(false, ByteBuffer.allocate(0), cb);
            cb.block();
        }
    }

    private static void send(Response response, String text) throws IOException {
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), cb);
            cb.block();
        }
    }

    private void upgrade(Watches.Watch w, Request request, Response response, Callback callback) {
        boolean upgraded = webSockets != null && webSockets.upgrade((upgradeRequest, upgradeResponse, cb) ->
                new WatchSocket(w, streams), request, response, callback);
        if (!upgraded) {
            w.close();
            write(response, callback, Reply.of(ApiError.badRequest("the WebSocket upgrade failed")));
        }
    }

    /**
     * {@code kubectl logs -f}: the kubelet hands over the log so far and then each new line, until the
     * container's run ends, the pod is gone or the client goes away.
     */
    private void followLog(ApiRequest req, ResourceType pods, Response response, Callback callback) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        String end = new String("end"); // identity marks the end; no line is this object
        try (AutoCloseable subscription = subresources.followLog(req, pods, lines::add, () -> lines.add(end))) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            flush(response);
            while (true) {
                String next = lines.poll(LOG_POLL_MS, TimeUnit.MILLISECONDS);
                if (next == end || next == null && !subresources.podExists(req, pods)) {
                    break;
                }
                if (next != null && !next.isEmpty()) {
                    send(response, next);
                }
            }
            response.write(true, ByteBuffer.allocate(0), callback);
        } catch (ApiError e) {
            write(response, callback, Reply.of(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        } catch (Exception e) {
            callback.failed(e); // the client went away
        }
    }

    private static void write(Response response, Callback callback, Reply reply) {
        response.setStatus(reply.code());
        byte[] bytes;
        if (reply.body() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
            try {
                bytes = Json.MAPPER.writeValueAsBytes(reply.body());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            bytes = reply.text().getBytes(StandardCharsets.UTF_8);
        }
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
