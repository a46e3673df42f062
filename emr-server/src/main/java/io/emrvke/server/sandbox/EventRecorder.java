package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code v1} Events the way the real components do. Controllers and the kubelet record through
 * client-go's recorder: {@code source}, {@code count}, {@code firstTimestamp}/{@code lastTimestamp}, and a
 * repeat of the same event (same source, object, type, reason and message) raises the count of the first
 * one instead of adding another. The scheduler records through {@code events.k8s.io/v1}: {@code eventTime},
 * {@code action}, {@code reportingInstance}, an empty source, and repeats counted in {@code series}.
 * Events are written on their own thread, as client-go's broadcaster does, so recording never delays a
 * controller; while the controllers are busy they wait (at most {@link #MAX_DEFER_MS}), as events are rate
 * limited behind a component's own requests. Each is deleted an hour after it was last seen (the API server's
 * default event TTL).
 */
final class EventRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TTL = Duration.ofHours(1);
    /** client-go's correlator counts a repeat only within this window; later it starts a new event. */
    private static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);
    private static final long SWEEP_EVERY_MS = 60_000;
    static final long MAX_DEFER_MS = 2_000;
    private static final long DEFER_STEP_MS = 10;
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    /** Who reports: {@code host} is the node for the kubelet, null for controllers. */
    record Source(String component, String host) {
        static final Source DEPLOYMENT = new Source("deployment-controller", null);
        static final Source REPLICA_SET = new Source("replicaset-controller", null);
        static final Source STATEFUL_SET = new Source("statefulset-controller", null);
        static final Source RAY_CLUSTER = new Source("raycluster-controller", null);
        static final Source SCHEDULER = new Source("default-scheduler", null);

        static Source kubelet(String node) {
            return new Source("kubelet", node);
        }
    }

    private record Recorded(String path, int count, Instant first, Instant last) {
    }

    private final ObjectStore store;
    private final java.util.function.BooleanSupplier controllersBusy;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-events");
        t.setDaemon(true);
        return t;
    });
    /** Events written and not yet expired, by what makes two events "the same" to the correlator. */
    private final Map<String, Recorded> recorded = new ConcurrentHashMap<>();
    private final AtomicLong lastNanos = new AtomicLong();

    EventRecorder(ObjectStore store, java.util.function.BooleanSupplier controllersBusy) {
        this.store = store;
        this.controllersBusy = controllersBusy;
        thread.scheduleWithFixedDelay(this::sweep, SWEEP_EVERY_MS, SWEEP_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    void normal(Source source, JsonNode involved, String reason, String message) {
        record(source, involved, null, "Normal", reason, message);
    }

    void warning(Source source, JsonNode involved, String reason, String message) {
        record(source, involved, null, "Warning", reason, message);
    }

    /** An event about one container of a pod (the kubelet's): involvedObject.fieldPath names it. */
    void container(Source source, JsonNode pod, String container, String type, String reason, String message) {
        record(source, pod, "spec.containers{" + container + "}", type, reason, message);
    }

    /** The scheduler's events ({@code events.k8s.io/v1}), with the action it took. */
    void scheduler(JsonNode pod, String type, String reason, String action, String message) {
        ObjectNode ref = reference(pod, null);
        Instant now = Instant.now();
        submit(now, () -> writeSchedulerEvent(ref, type, reason, action, message, now));
    }

    private void record(Source source, JsonNode involved, String fieldPath, String type, String reason, String message) {
        ObjectNode ref = reference(involved, fieldPath);
        Instant now = Instant.now();
        submit(now, () -> write(source, ref, type, reason, message, now));
    }

    private void submit(Instant recorded, Runnable work) {
        try {
            thread.execute(() -> {
                try {
                    awaitQuietControllers(recorded);
                    work.run();
                } catch (RuntimeException e) {
                    LOG.debug("sandbox event not written: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // closing: events no longer matter
        }
    }

    /** Lets the controllers' own writes go first, for at most {@link #MAX_DEFER_MS} after the event happened. */
    private void awaitQuietControllers(Instant recorded) {
        long deadline = recorded.toEpochMilli() + MAX_DEFER_MS;
        try {
            while (controllersBusy.getAsBoolean() && System.currentTimeMillis() < deadline) {
                Thread.sleep(DEFER_STEP_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(Source source, ObjectNode ref, String type, String reason, String message, Instant now) {
        String key = String.join("\u0000", source.component(), String.valueOf(source.host()), identity(ref), type,
                reason, message);
        Recorded before = recorded.get(key);
        if (before != null && before.last().plus(AGGREGATION_WINDOW).isAfter(now)) {
            ObjectNode patch = JSON.createObjectNode().put("count", before.count() + 1)
                    .put("lastTimestamp", seconds(now));
            if (store.mergePatch(before.path(), patch) != null) {
                recorded.put(key, new Recorded(before.path(), before.count() + 1, before.first(), now));
                return;
            }
        }
        ObjectNode event = base(ref, type, reason, message, now);
        event.put("count", 1).put("firstTimestamp", seconds(now)).put("lastTimestamp", seconds(now));
        event.putNull("eventTime");
        ObjectNode src = event.putObject("source").put("component", source.component());
        if (source.host() != null) {
            src.put("host", source.host());
        }
        event.put("reportingComponent", source.component()).put("reportingInstance",
                source.host() == null ? "" : source.host());
        String path = create(event);
        if (path != null) {
            recorded.put(key, new Recorded(path, 1, now, now));
        }
    }

    private void writeSchedulerEvent(ObjectNode ref, String type, String reason, String action, String message,
                                     Instant now) {
        String key = String.join("\u0000", "events.k8s.io", identity(ref), type, reason, action, message);
        Recorded before = recorded.get(key);
        if (before != null && before.last().plus(AGGREGATION_WINDOW).isAfter(now)) {
            ObjectNode patch = JSON.createObjectNode();
            patch.putObject("series").put("count", before.count() + 1).put("lastObservedTime", MICRO_TIME.format(now));
            if (store.mergePatch(before.path(), patch) != null) {
                recorded.put(key, new Recorded(before.path(), before.count() + 1, before.first(), now));
                return;
            }
        }
        ObjectNode event = base(ref, type, reason, message, now);
        event.put("eventTime", MICRO_TIME.format(now)).put("action", action);
        event.putNull("firstTimestamp");
        event.putNull("lastTimestamp");
        event.putObject("source");
        event.put("reportingComponent", Source.SCHEDULER.component())
                .put("reportingInstance", Source.SCHEDULER.component() + "-sandbox");
        String path = create(event);
        if (path != null) {
            recorded.put(key, new Recorded(path, 1, now, now));
        }
    }

    /** The involved object as client-go's correlator keys it: everything but its resourceVersion. */
    private static String identity(ObjectNode ref) {
        ObjectNode copy = ref.deepCopy();
        copy.remove("resourceVersion");
        return copy.toString();
    }

    private ObjectNode base(ObjectNode ref, String type, String reason, String message, Instant now) {
        ObjectNode event = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Event");
        // client-go names an event after its object and the time, in nanoseconds, as hex
        event.putObject("metadata").put("name", ref.path("name").asText() + "." + Long.toHexString(uniqueNanos(now)))
                .put("namespace", namespaceOf(ref));
        event.set("involvedObject", ref);
        event.put("type", type).put("reason", reason).put("message", message);
        return event;
    }

    private String create(ObjectNode event) {
        String collection = ApiPath.collection("", "v1", event.path("metadata").path("namespace").asText(), "events");
        JsonNode created = store.create(collection, event);
        return created == null ? null : collection + "/" + Pods.name(created);
    }

    private long uniqueNanos(Instant now) {
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return lastNanos.updateAndGet(prev -> Math.max(prev + 1, nanos));
    }

    private static String namespaceOf(ObjectNode ref) {
        String ns = ref.path("namespace").asText("");
        return ns.isEmpty() ? "default" : ns; // events about cluster-scoped objects (nodes) land in default
    }

    /** An ObjectReference to {@code obj}, as client-go's reference.GetReference makes it. */
    static ObjectNode reference(JsonNode obj, String fieldPath) {
        JsonNode meta = obj.path("metadata");
        ObjectNode ref = JSON.createObjectNode().put("apiVersion", obj.path("apiVersion").asText())
                .put("kind", obj.path("kind").asText()).put("name", meta.path("name").asText());
        if (meta.hasNonNull("namespace")) {
            ref.put("namespace", meta.path("namespace").asText());
        }
        ref.put("uid", meta.path("uid").asText());
        if (meta.hasNonNull("resourceVersion")) {
            ref.put("resourceVersion", meta.path("resourceVersion").asText());
        }
        if (fieldPath != null) {
            ref.put("fieldPath", fieldPath);
        }
        return ref;
    }

    private static String seconds(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Takes over the events a previous run of the sandbox left (they expire an hour after they were last seen). */
    void adopt(List<JsonNode> events) {
        for (JsonNode e : events) {
            Instant last = lastSeen(e);
            String path = ApiPath.collection("", "v1", e.path("metadata").path("namespace").asText(), "events") + "/"
                    + Pods.name(e);
            // keyed by path: a restored event is never counted up again, only expired
            recorded.put(path, new Recorded(path, 0, last, last));
        }
    }

    /** When an event was last seen: series, lastTimestamp, eventTime or creation, whichever it has. */
    private static Instant lastSeen(JsonNode e) {
        for (JsonNode v : List.of(e.path("series").path("lastObservedTime"), e.path("lastTimestamp"), e.path("eventTime"),
                e.path("metadata").path("creationTimestamp"))) {
            if (v.isTextual()) {
                try {
                    return Instant.parse(v.asText());
                } catch (java.time.format.DateTimeParseException ignored) {
                    // try the next field
                }
            }
        }
        return Instant.now();
    }

    /** Deletes the events nobody has seen again for {@link #TTL}. */
    void sweep() {
        Instant cutoff = Instant.now().minus(TTL);
        Iterator<Map.Entry<String, Recorded>> it = recorded.entrySet().iterator();
        while (it.hasNext()) {
            Recorded r = it.next().getValue();
            if (r.last().isBefore(cutoff)) {
                it.remove();
                try {
                    store.delete(r.path());
                } catch (RuntimeException e) {
                    LOG.debug("expired sandbox event {} not deleted: {}", r.path(), e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
