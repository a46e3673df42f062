package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What {@code kubectl logs} reads from the sandbox: each simulated container's own output, kept for its current
 * run and the one before ({@code --previous}), as a kubelet keeps them, and gone with the pod. {@link #read} answers
 * a log request as the API server and kubelet do, including the 400 messages they give instead of logs;
 * {@link #follow} streams a container's new lines ({@code -f}) until its run ends.
 *
 * <p>Wiring (the API layer owns {@code GET .../pods/{name}/log}): parse {@code container}, {@code previous},
 * {@code timestamps}, {@code tailLines}, {@code sinceSeconds}, {@code limitBytes} and {@code follow}, read the pod,
 * then {@code read(pod, container, previous, options)}: a {@link Answer#badRequest()} is a 400 Status (reason
 * BadRequest) with that message, otherwise 200 {@code text/plain} with {@link Answer#text()}. With
 * {@code follow=true}, write that text, then {@code follow(...)} and stream each string it hands over until its
 * end callback runs or the client goes away (then close the subscription).
 */
public final class PodLogs {
    /** Lines kept per run of a container; older ones are dropped, as log rotation would. */
    private static final int MAX_LINES = 1000;

    /** Log request options ({@code PodLogOptions}); null means not given. */
    public record Options(boolean timestamps, Integer tailLines, Long sinceSeconds, Instant sinceTime, Long limitBytes) {
        public static final Options NONE = new Options(false, null, null, null, null);
    }

    /** The text of the logs, or the message of the 400 Bad Request the API server answers instead. */
    public record Answer(String text, String badRequest) {
        static Answer bad(String message) {
            return new Answer(null, message);
        }
    }

    private record Line(Instant time, String text) {
    }

    /** One run of one container: its lines, and who follows it. */
    private static final class Run {
        private final Deque<Line> lines = new ArrayDeque<>();
        private final List<Consumer<Line>> followers = new CopyOnWriteArrayList<>();
        private final List<Runnable> onEnd = new CopyOnWriteArrayList<>();
        private boolean ended;
    }

    /** The runs of a container, the current one last (at most two kept). */
    private final Map<String, Deque<Run>> runs = new ConcurrentHashMap<>();

    private static String key(String podUid, String container) {
        return podUid + "/" + container;
    }

    /** The container starts (again): a new run; the one before becomes {@code --previous}. */
    void started(String podUid, String container) {
        Deque<Run> history = runs.computeIfAbsent(key(podUid, container), k -> new ArrayDeque<>());
        synchronized (history) {
            if (!history.isEmpty()) {
                end(history.peekLast());
            }
            history.addLast(new Run());
            while (history.size() > 2) {
                history.removeFirst();
            }
        }
    }

    /** A line the container writes in its current run. */
    void write(String podUid, String container, String text) {
        Deque<Run> history = runs.get(key(podUid, container));
        if (history == null) {
            return;
        }
        Line line = new Line(Instant.now(), text);
        List<Consumer<Line>> to;
        synchronized (history) {
            Run run = history.peekLast();
            if (run == null || run.ended) {
                return;
            }
            run.lines.addLast(line);
            if (run.lines.size() > MAX_LINES) {
                run.lines.removeFirst();
            }
            // who follows now: one subscribing after this got the line with the backlog
            to = List.copyOf(run.followers);
        }
        to.forEach(f -> f.accept(line));
    }

    /** The container's current run ended (it exited or was stopped): followers are done. */
    void exited(String podUid, String container) {
        Deque<Run> history = runs.get(key(podUid, container));
        if (history != null) {
            synchronized (history) {
                if (!history.isEmpty()) {
                    end(history.peekLast());
                }
            }
        }
    }

    private static void end(Run run) {
        if (!run.ended) {
            run.ended = true;
            run.onEnd.forEach(Runnable::run);
            run.followers.clear();
        }
    }

    /** The pod is gone, and its logs with it. */
    void forget(String podUid) {
        runs.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(podUid + "/")) {
                synchronized (e.getValue()) {
                    e.getValue().forEach(PodLogs::end);
                }
                return true;
            }
            return false;
        });
    }

    /** Answers {@code GET pods/{name}/log} for {@code pod} as it is stored now. */
    public Answer read(JsonNode pod, String container, boolean previous, Options options) {
        String podName = Pods.name(pod);
        String name = containerOf(pod, container);
        if (name == null) {
            return Answer.bad(containerError(pod, container));
        }
        if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
            return Answer.bad("pod " + podName + " does not have a host assigned");
        }
        Deque<Run> history = runs.get(key(Pods.uid(pod), name));
        List<Line> lines;
        if (history == null) {
            return Answer.bad(notStarted(pod, name, previous));
        }
        synchronized (history) {
            Run run = previous ? (history.size() > 1 ? history.peekFirst() : null) : history.peekLast();
            if (run == null) {
                return Answer.bad(notStarted(pod, name, previous));
            }
            lines = new ArrayList<>(run.lines);
        }
        return new Answer(render(lines, options), null);
    }

    /**
     * {@code kubectl logs -f}: hands {@code sink} what {@link #read} would answer, then each line {@code container}
     * of {@code pod} writes from now on, in one step so that no line is lost or repeated; {@code onEnd} runs when
     * the run ends (at once when it already has).
     */
    public AutoCloseable follow(JsonNode pod, String container, Options options, Consumer<String> sink, Runnable onEnd) {
        String name = containerOf(pod, container);
        Deque<Run> history = name == null ? null : runs.get(key(Pods.uid(pod), name));
        if (history == null) {
            onEnd.run();
            return () -> { };
        }
        Consumer<Line> follower = line -> sink.accept(format(line, options));
        Run run;
        synchronized (history) {
            run = history.peekLast();
            if (run != null) {
                sink.accept(render(new ArrayList<>(run.lines), options));
            }
            if (run == null || run.ended) {
                onEnd.run();
                return () -> { };
            }
            run.followers.add(follower);
            run.onEnd.add(onEnd);
        }
        Run subscribed = run;
        return () -> {
            subscribed.followers.remove(follower);
            subscribed.onEnd.remove(onEnd);
        };
    }

    /** validateContainer: the one container may go unnamed; a named one must be the pod's. */
    private static String containerOf(JsonNode pod, String container) {
        List<String> names = containerNames(pod);
        if (container == null || container.isEmpty()) {
            return pod.path("spec").path("containers").size() == 1 ? names.get(0) : null;
        }
        return names.contains(container) ? container : null;
    }

    private static String containerError(JsonNode pod, String container) {
        String podName = Pods.name(pod);
        if (container != null && !container.isEmpty()) {
            return "container " + container + " is not valid for pod " + podName;
        }
        if (pod.path("spec").path("containers").isEmpty()) {
            return "a container name must be specified for pod " + podName;
        }
        return "a container name must be specified for pod " + podName + ", choose one of: ["
                + String.join(" ", containerNames(pod)) + "]";
    }

    private static List<String> containerNames(JsonNode pod) {
        List<String> names = new ArrayList<>();
        for (String group : List.of("initContainers", "containers", "ephemeralContainers")) {
            pod.path("spec").path(group).forEach(c -> names.add(c.path("name").asText()));
        }
        return names;
    }

    /** The kubelet's validateContainerLogStatus messages for a container with no such log. */
    private static String notStarted(JsonNode pod, String container, boolean previous) {
        String quoted = "\"" + container + "\" in pod \"" + Pods.name(pod) + "\"";
        if (previous) {
            return "previous terminated container " + quoted + " not found";
        }
        for (JsonNode cs : pod.path("status").path("containerStatuses")) {
            if (container.equals(cs.path("name").asText()) && cs.path("state").has("waiting")) {
                return "container " + quoted + " is waiting to start: "
                        + cs.path("state").path("waiting").path("reason").asText("ContainerCreating");
            }
        }
        return "container " + quoted + " is waiting to start - no logs yet";
    }

    private static String render(List<Line> lines, Options options) {
        List<Line> picked = lines;
        Instant since = options.sinceSeconds() != null ? Instant.now().minusSeconds(options.sinceSeconds())
                : options.sinceTime();
        if (since != null) {
            picked = picked.stream().filter(l -> !l.time().isBefore(since)).toList();
        }
        if (options.tailLines() != null && options.tailLines() >= 0 && picked.size() > options.tailLines()) {
            picked = picked.subList(picked.size() - options.tailLines(), picked.size());
        }
        StringBuilder out = new StringBuilder();
        picked.forEach(l -> out.append(format(l, options)));
        String text = out.toString();
        if (options.limitBytes() != null) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > options.limitBytes()) {
                text = new String(bytes, 0, (int) Math.max(0, Math.min(Integer.MAX_VALUE, options.limitBytes())),
                        StandardCharsets.UTF_8);
            }
        }
        return text;
    }

    /** One line as the kubelet serves it: RFC 3339 with nanoseconds first when timestamps are asked for. */
    private static String format(Line line, Options options) {
        return (options.timestamps() ? RFC3339_NANO_FIXED.format(line.time()) + " " : "") + line.text() + "\n";
    }

    private static final java.time.format.DateTimeFormatter RFC3339_NANO_FIXED = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(java.time.ZoneOffset.UTC);
}
