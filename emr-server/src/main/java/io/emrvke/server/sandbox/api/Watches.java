package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Watches as the API server runs them: from a resourceVersion (the changes after it, from the history;
 * 410 Expired when the history no longer reaches back that far), or with the current objects first as
 * ADDED events (resourceVersion unset or "0", or sendInitialEvents); BOOKMARK events when asked for,
 * periodically and after the initial events; closed after timeoutSeconds (by default 30 to 60 minutes).
 */
final class Watches {
    static final String INITIAL_EVENTS_END = "k8s.io/initial-events-end";
    private static final long DEFAULT_MIN_TIMEOUT_S = 1800;

    /** Where a watch's events go: one JSON document per call (an HTTP chunk or a WebSocket message). */
    interface Sink {
        void send(String event) throws IOException;
    }

    private final Resources resources;
    private final long bookmarkIntervalMs;

    Watches(Resources resources, long bookmarkIntervalMs) {
        this.resources = resources;
        this.bookmarkIntervalMs = bookmarkIntervalMs;
    }

    /** One watch request, checked: what it follows, from where, how long, in which form. */
    final class Watch {
        private final ApiRequest req;
        private final ResourceType type;
        private final Watcher watcher;
        private final boolean bookmarks;
        private final long deadline;

        private Watch(ApiRequest req, ResourceType type) {
            this.req = req;
            this.type = type;
            ResourcePath p = req.path();
            String fieldSelector = req.param("fieldSelector");
            if (p.name() != null) { // watching one object: a selector on its name
                String byName = "metadata.name=" + p.name();
                fieldSelector = fieldSelector == null || fieldSelector.isBlank() ? byName : fieldSelector + "," + byName;
            }
            this.watcher = new Watcher(Resources.resourceKey(type), p.namespace(),
                    LabelSelector.parse(req.param("labelSelector")), FieldSelector.parse(fieldSelector, type));
            this.bookmarks = req.flag("allowWatchBookmarks");
            this.deadline = System.currentTimeMillis() + 1000 * timeoutSeconds(req);
        }

        /** Registers with the store and queues what comes before the live changes. */
        private void open() {
            String rvParam = req.param("resourceVersion");
            String initial = req.param("sendInitialEvents");
            long from = rvParam == null || rvParam.isEmpty() ? 0 : version(rvParam);
            boolean listFirst = "true".equals(initial) || initial == null && from == 0;
            Storage storage = resources.storage;
            storage.write(() -> {
                if (listFirst) {
                    for (ObjectNode o : storage.list(watcher.resource, req.path().namespace())) {
                        if (watcher.selects(o)) {
                            watcher.add(new Watcher.Event("ADDED", o));
                        }
                    }
                    if (bookmarks) {
                        ObjectNode end = bookmark(storage.resourceVersion());
                        Json.meta(end).putObject("annotations").put(INITIAL_EVENTS_END, "true");
                        watcher.bookmark(end);
                    }
                } else if (from > 0 && from < storage.oldestResumable()) {
                    watcher.add(new Watcher.Event("ERROR", ApiError.expired("too old resource version: " + from
                            + " (" + storage.oldestResumable() + ")").status()));
                    watcher.end();
                    return null;
                } else if (from > 0) {
                    storage.changesAfter(from).forEach(watcher::offer);
                }
                storage.subscribe(watcher);
                return null;
            });
        }

        private ObjectNode bookmark(long rv) {
            ObjectNode b = Json.object().put("kind", type.kind()).put("apiVersion", type.groupVersion());
            b.putObject("metadata").put("resourceVersion", String.valueOf(rv));
            return b;
        }

        /** Sends events until the watch times out, ends, or its client goes away (the sink throws). */
        void run(Sink sink) throws IOException, InterruptedException {
            try {
                long nextBookmark = System.currentTimeMillis() + bookmarkIntervalMs;
                while (true) {
                    long now = System.currentTimeMillis();
                    if (now >= deadline) {
                        return;
                    }
                    if (bookmarks && now >= nextBookmark) {
                        resources.storage.read(() -> {
                            watcher.bookmark(bookmark(resources.storage.resourceVersion()));
                            return null;
                        });
                        nextBookmark = now + bookmarkIntervalMs;
                    }
                    long wait = Math.min(deadline, bookmarks ? nextBookmark : deadline) - now;
                    Watcher.Event e = watcher.next(wait);
                    if (e == Watcher.Event.END) {
                        return;
                    }
                    if (e != null) {
                        sink.send(encode(e));
                    }
                }
            } finally {
                close();
            }
        }

        void close() {
            resources.storage.unsubscribe(watcher);
            watcher.end();
        }

        private String encode(Watcher.Event e) {
            JsonNode object = e.object();
            if (e.type().equals("ADDED") || e.type().equals("MODIFIED") || e.type().equals("DELETED")) {
                object = Resources.view(type, (ObjectNode) object);
                if (req.wantsTable()) {
                    object = resources.tables.render(type, object, req.param("includeObject"));
                }
            }
            ObjectNode event = Json.object().put("type", e.type());
            event.set("object", object);
            return event.toString();
        }
    }

    /** Checks the request and registers the watch; the caller runs it on its connection. */
    Watch open(ApiRequest req, ResourceType type) {
        Watch w = new Watch(req, type);
        w.open();
        return w;
    }

    private static long version(String rv) {
        try {
            long v = Long.parseLong(rv);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("resourceVersion: Invalid value: \"" + rv + "\": must be a valid resourceVersion");
        }
    }

    private static long timeoutSeconds(ApiRequest req) {
        String t = req.param("timeoutSeconds");
        if (t == null || t.isEmpty()) {
            return DEFAULT_MIN_TIMEOUT_S + ThreadLocalRandom.current().nextLong(DEFAULT_MIN_TIMEOUT_S);
        }
        try {
            return Math.max(0, Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("timeoutSeconds: Invalid value: \"" + t + "\": must be an integer");
        }
    }
}
