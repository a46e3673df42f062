package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One open watch: which objects it follows, and the queue of events for it that the store fills under its
 * write lock (so the order is the store's) and the connection drains. A watch that falls too far behind is
 * ended, as the API server ends slow watchers; its client watches again from its last resourceVersion.
 */
final class Watcher {
    /** An event ready to send; {@code object} null marks the end of the watch. */
    record Event(String type, JsonNode object) {
        static final Event END = new Event("END", null);
    }

    static final int MAX_BACKLOG = 100_000;
    final String resource;
    private final String namespace;
    private final LabelSelector labels;
    private final FieldSelector fields;
    private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private volatile boolean ended;

    Watcher(String resource, String namespace, LabelSelector labels, FieldSelector fields) {
        this.resource = resource;
        this.namespace = namespace;
        this.labels = labels;
        this.fields = fields;
    }

    boolean selects(JsonNode obj) {
        return obj != null && (namespace == null || namespace.equals(Json.namespace(obj)))
                && labels.matches(obj) && fields.matches(obj);
    }

    /** Queues what this watch sees of a change: an object entering its selection is ADDED, leaving it DELETED. */
    void offer(Change c) {
        if (ended || !resource.equals(c.resource())) {
            return;
        }
        boolean now = !c.type().equals("DELETED") && selects(c.object());
        boolean before = c.type().equals("ADDED") ? false
                : c.type().equals("DELETED") ? selects(c.object()) : selects(c.old());
        if (now && before) {
            add(new Event("MODIFIED", c.object()));
        } else if (now) {
            add(new Event("ADDED", c.object()));
        } else if (before) {
            add(new Event("DELETED", c.object()));
        }
    }

    void add(Event e) {
        if (ended) {
            return;
        }
        if (queue.size() >= MAX_BACKLOG) {
            queue.clear(); // its client watches again from the last event it got
            end();
            return;
        }
        queue.add(e);
    }

    /** A bookmark at {@code resourceVersion}: every change up to it has been queued. */
    void bookmark(ObjectNode marker) {
        add(new Event("BOOKMARK", marker));
    }

    /** Ends the watch: the connection finishes what is queued up to here and closes. */
    void end() {
        if (!ended) {
            ended = true;
            queue.add(Event.END);
        }
    }

    boolean ended() {
        return ended;
    }

    /** The next event, or null when none came within {@code timeoutMs}. */
    Event next(long timeoutMs) throws InterruptedException {
        return queue.poll(Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
    }
}
