package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated containers on the fake nodes: image pulls (an image is pulled once per node unless its pull
 * policy is Always), starts, what each container writes to its log, probe failures and exits, and the events the
 * kubelet records for them (Pulling, Pulled, Created, Started, Unhealthy, Killing, BackOff). A container's log
 * says what it started from, which configuration it mounted (the pod's {@code emr-vke.io/config-checksum}), when it
 * is ready and what fault it simulates.
 */
final class ContainerRuntime {
    static final String CONFIG_CHECKSUM = "emr-vke.io/config-checksum";
    private final EventRecorder events;
    private final PodLogs logs;
    /** Images present on each node ("node|image"). */
    private final Set<String> present = ConcurrentHashMap.newKeySet();
    /** Containers whose image is being pulled, by pod uid. */
    private final Map<String, Set<String>> pulling = new ConcurrentHashMap<>();

    ContainerRuntime(EventRecorder events, PodLogs logs) {
        this.events = events;
        this.logs = logs;
    }

    /** The pod is bound to {@code node}: images not there yet (or always pulled) start pulling. */
    void pulling(JsonNode pod, String node) {
        Set<String> pulls = ConcurrentHashMap.newKeySet();
        for (JsonNode c : pod.path("spec").path("containers")) {
            String image = c.path("image").asText();
            if (alwaysPulled(c) || !present.contains(node + "|" + image)) {
                pulls.add(c.path("name").asText());
                event(pod, node, c, "Normal", "Pulling", "Pulling image \"" + image + "\"");
            }
        }
        pulling.put(Pods.uid(pod), pulls);
    }

    /** The containers start, {@code startUpMs} after binding (the pull took that long). */
    void started(JsonNode pod, String node, long startUpMs, SandboxFault fault) {
        Set<String> pulled = pulling.remove(Pods.uid(pod));
        for (JsonNode c : pod.path("spec").path("containers")) {
            String name = c.path("name").asText();
            String image = c.path("image").asText();
            if (pulled != null && pulled.contains(name)) {
                String took = goDuration(startUpMs);
                event(pod, node, c, "Normal", "Pulled", "Successfully pulled image \"" + image + "\" in " + took + " ("
                        + took + " including waiting). Image size: " + imageSize(image) + " bytes.");
                present.add(node + "|" + image);
            } else {
                event(pod, node, c, "Normal", "Pulled", "Container image \"" + image + "\" already present on machine");
            }
            run(pod, node, c);
            if (fault.kind() == SandboxFault.Kind.SLOW) {
                write(pod, name, SandboxFault.ENV + "=slow:" + fault.delayMs() + ": took " + fault.delayMs()
                        + " ms to start");
            }
        }
    }

    /** Created, Started, and the first lines of the container's log. */
    private void run(JsonNode pod, String node, JsonNode c) {
        String name = c.path("name").asText();
        event(pod, node, c, "Normal", "Created", "Created container: " + name);
        event(pod, node, c, "Normal", "Started", "Started container " + name);
        logs.started(Pods.uid(pod), name);
        write(pod, name, "container " + name + " starting: image " + c.path("image").asText() + ", pod "
                + pod.path("metadata").path("namespace").asText() + "/" + Pods.name(pod) + ", node " + node);
        for (JsonNode mount : c.path("volumeMounts")) {
            String source = volumeSource(pod, mount.path("name").asText());
            if (source != null) {
                write(pod, name, "mounted " + source + " at " + mount.path("mountPath").asText());
            }
        }
        String checksum = pod.path("metadata").path("annotations").path(CONFIG_CHECKSUM).asText(null);
        write(pod, name, checksum == null ? "config checksum: none (the pod has no " + CONFIG_CHECKSUM + " annotation)"
                : "config checksum: " + checksum + " (" + CONFIG_CHECKSUM + ")");
    }

    /** The ConfigMap or Secret behind a volume, as a log line names it; null for other volumes. */
    private static String volumeSource(JsonNode pod, String volume) {
        for (JsonNode v : pod.path("spec").path("volumes")) {
            if (volume.equals(v.path("name").asText())) {
                if (v.has("configMap")) {
                    return "ConfigMap " + v.path("configMap").path("name").asText();
                }
                if (v.has("secret")) {
                    return "Secret " + v.path("secret").path("secretName").asText();
                }
            }
        }
        return null;
    }

    void ready(JsonNode pod) {
        pod.path("spec").path("containers").forEach(c -> write(pod, c.path("name").asText(), "ready"));
    }

    /** The containers exit with code 1 (SANDBOX_FAULT=crashloop); their probes fail first. */
    void crashed(JsonNode pod) {
        String node = pod.path("spec").path("nodeName").asText();
        for (JsonNode c : pod.path("spec").path("containers")) {
            String name = c.path("name").asText();
            write(pod, name, SandboxFault.ENV + "=crashloop: exiting with code 1");
            if (c.has("readinessProbe")) {
                event(pod, node, c, "Warning", "Unhealthy", "Readiness probe failed: " + probeFailure(pod, c.get("readinessProbe")));
            }
            if (c.has("livenessProbe")) {
                event(pod, node, c, "Warning", "Unhealthy", "Liveness probe failed: " + probeFailure(pod, c.get("livenessProbe")));
                event(pod, node, c, "Normal", "Killing", "Container " + name + " failed liveness probe, will be restarted");
            }
            logs.exited(Pods.uid(pod), name);
        }
    }

    /** The kubelet waits before starting the crashed containers again. */
    void backOff(JsonNode pod) {
        String node = pod.path("spec").path("nodeName").asText();
        for (JsonNode c : pod.path("spec").path("containers")) {
            event(pod, node, c, "Warning", "BackOff", "Back-off restarting failed container " + c.path("name").asText()
                    + " in pod " + podDesc(pod));
        }
    }

    /** The back-off is over: the containers start again (their image is on the node by now). */
    void restarted(JsonNode pod) {
        String node = pod.path("spec").path("nodeName").asText();
        for (JsonNode c : pod.path("spec").path("containers")) {
            event(pod, node, c, "Normal", "Pulled", "Container image \"" + c.path("image").asText()
                    + "\" already present on machine");
            run(pod, node, c);
        }
    }

    /** The pod is deleted: its running containers are stopped, and its logs go with it. */
    void stopped(JsonNode pod, String messagePrefix) {
        String node = pod.path("spec").path("nodeName").asText("");
        for (JsonNode cs : pod.path("status").path("containerStatuses")) {
            if (cs.path("state").has("running")) {
                String name = cs.path("name").asText();
                for (JsonNode c : pod.path("spec").path("containers")) {
                    if (name.equals(c.path("name").asText())) {
                        event(pod, node, c, "Normal", "Killing", messagePrefix + name);
                    }
                }
            }
        }
        pulling.remove(Pods.uid(pod));
        logs.forget(Pods.uid(pod));
    }

    private void write(JsonNode pod, String container, String text) {
        logs.write(Pods.uid(pod), container, "sandbox: " + text);
    }

    private void event(JsonNode pod, String node, JsonNode container, String type, String reason, String message) {
        events.container(EventRecorder.Source.kubelet(node), pod, container.path("name").asText(), type, reason, message);
    }

    /** What a probe of a container that is not listening reports. */
    private static String probeFailure(JsonNode pod, JsonNode probe) {
        String ip = pod.path("status").path("podIP").asText("10.244.0.1");
        if (probe.has("httpGet")) {
            JsonNode get = probe.get("httpGet");
            String port = port(pod, get.path("port"));
            String scheme = get.path("scheme").asText("HTTP").toLowerCase(java.util.Locale.ROOT);
            return "Get \"" + scheme + "://" + ip + ":" + port + get.path("path").asText("/") + "\": dial tcp " + ip + ":"
                    + port + ": connect: connection refused";
        }
        if (probe.has("tcpSocket")) {
            return "dial tcp " + ip + ":" + port(pod, probe.get("tcpSocket").path("port")) + ": connect: connection refused";
        }
        return ""; // an exec probe reports the command's output: the crashed container printed nothing
    }

    /** A probe's port: a number, or the name of one of the pod's container ports. */
    private static String port(JsonNode pod, JsonNode port) {
        if (port.isNumber() || port.asText().matches("\\d+")) {
            return port.asText();
        }
        for (JsonNode c : pod.path("spec").path("containers")) {
            for (JsonNode p : c.path("ports")) {
                if (port.asText().equals(p.path("name").asText())) {
                    return p.path("containerPort").asText();
                }
            }
        }
        return port.asText();
    }

    /** Always pulled: policy Always, or no policy and the tag latest or none (the API's default then). */
    private static boolean alwaysPulled(JsonNode container) {
        String policy = container.path("imagePullPolicy").asText("");
        if (!policy.isEmpty()) {
            return policy.equals("Always");
        }
        String image = container.path("image").asText();
        if (image.contains("@")) {
            return false;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        return !last.contains(":") || last.endsWith(":latest");
    }

    /** A stable, plausible size for an image (nothing is really pulled). */
    private static long imageSize(String image) {
        return 20_000_000L + Math.floorMod(image.hashCode(), 480_000_000);
    }

    /** format.Pod: name_namespace(uid). */
    static String podDesc(JsonNode pod) {
        return Pods.name(pod) + "_" + pod.path("metadata").path("namespace").asText() + "(" + Pods.uid(pod) + ")";
    }

    /** A duration as Go's time.Duration prints it (150ms, 1.5s, 5m0s). */
    static String goDuration(long ms) {
        if (ms < 1000) {
            return ms + "ms";
        }
        long minutes = ms / 60_000;
        String seconds = java.math.BigDecimal.valueOf(ms % 60_000, 3).stripTrailingZeros().toPlainString();
        return (minutes > 0 ? minutes + "m" : "") + seconds + "s";
    }
}
