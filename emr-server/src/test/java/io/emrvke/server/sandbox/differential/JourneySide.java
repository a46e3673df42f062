package io.emrvke.server.sandbox.differential;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.Json;
import io.emrvke.server.operation.ServerProcess;
import io.emrvke.server.realk8s.OfficialSdk;
import io.emrvke.server.realk8s.RealKubernetes;
import io.emrvke.server.runtime.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * One side of the journey comparison: a real {@code emr-vke serve} process (its embedded sandbox, or the
 * real control plane as its least-privilege identity), the official SDK calling it, and a client with the
 * cluster's whole view (the sandbox's kubeconfig, or the real plane's administrator) to record what emr-vke
 * left there after each stage.
 */
final class JourneySide implements AutoCloseable {
    static final String POOL_LABEL = "sandbox.emr-vke.io/node-pool";
    /** The kinds emr-vke's charts render (the CRDs aside), as apiVersion/kind. */
    private static final List<String[]> MANAGED_KINDS = List.of(new String[]{"v1", "ConfigMap"},
            new String[]{"v1", "Secret"}, new String[]{"v1", "Service"}, new String[]{"v1", "ServiceAccount"},
            new String[]{"rbac.authorization.k8s.io/v1", "Role"}, new String[]{"rbac.authorization.k8s.io/v1", "RoleBinding"},
            new String[]{"apps/v1", "Deployment"}, new String[]{"apps/v1", "StatefulSet"}, new String[]{"ray.io/v1", "RayCluster"});

    final String target;
    final OfficialSdk sdk;
    private final ServerProcess server;
    private final KubernetesClient kube;
    private String clusterId;
    private Normaliser normaliser;

    private JourneySide(String target, ServerProcess server, KubernetesClient kube) {
        this.target = target;
        this.server = server;
        this.kube = kube;
        this.sdk = new OfficialSdk("127.0.0.1:" + server.port(), ServerProcess.ROOT_ACCESS_KEY,
                ServerProcess.ROOT_SECRET_KEY);
    }

    /** emr-vke with its embedded sandbox, whose nodes get the real plane's pools (default, pool-a, pool-b). */
    static JourneySide sandbox(Path dir, Path logs) {
        Path data = dir.resolve("sandbox-data");
        ServerProcess server = ServerProcess.start("journey-on-sandbox", logs, List.of("--data-dir", data.toString(),
                "--sandbox-pod-ready-ms", String.valueOf(Target.SANDBOX_POD_READY_MS), "--rate-limit", "0"));
        KubernetesClient kube = client(data.resolve("sandbox.kubeconfig"));
        label(kube, "sandbox-node-2", "pool-a");
        label(kube, "sandbox-node-3", "pool-b");
        return new JourneySide(Target.SANDBOX, server, kube);
    }

    /** emr-vke on the real control plane as its own identity (deploy/rbac.yaml), looked at as the administrator. */
    static JourneySide real(Path dir, Path logs) {
        RealKubernetes real = RealKubernetes.fromEnvironment();
        ServerProcess server = ServerProcess.start("journey-on-real", logs, List.of("--data-dir",
                dir.resolve("real-data").toString(), "--no-sandbox", "--kubeconfig", real.emrVkeKubeconfig().toString(),
                "--target-name", Target.REAL, "--rate-limit", "0"));
        return new JourneySide(Target.REAL, server, real.adminClient());
    }

    private static KubernetesClient client(Path kubeconfig) {
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void label(KubernetesClient kube, String node, String pool) {
        kube.nodes().withName(node).edit(n -> {
            n.getMetadata().getLabels().put(POOL_LABEL, pool);
            return n;
        });
    }

    /** CreateVirtualCluster on this side's target; the cluster's generated names get placeholders from here on. */
    JsonNode createCluster(String name, List<String> pools, List<String> applications) {
        JsonNode created = sdk.call("CreateVirtualCluster", Map.of("ClusterName", name, "ReleaseVersion",
                "EMR-VKE-1.8.0", "VkeCluster", Map.of("VkeClusterId", target, "VkeNodePoolIds", pools),
                "Applications", applications.stream().map(a -> Map.of("ApplicationName", a)).toList()));
        clusterId = created.path("ClusterId").asText();
        return created;
    }

    String clusterId() {
        return clusterId;
    }

    /** GetOperation until it ends (5 min at most). */
    JsonNode await(JsonNode accepted) {
        return sdk.awaitOperation(accepted.path("OperationId").asText(), 300);
    }

    /** What a stage left: the operation, the cluster, its instances, the objects and pods in its namespace. */
    Observation observe(String stage, JsonNode operation) {
        Normaliser n = normaliser();
        Observation o = new Observation(stage);
        o.put("operation", n.values(operationSummary(operation)));
        o.put("cluster", sdk.call("GetVirtualCluster", Map.of("ClusterId", clusterId)).path("ClusterState").asText());
        o.put("instances", n.values(instances()));
        List<HasMetadata> objects = managedObjects();
        o.put("objects", n.values(String.join("\n", objects.stream().map(JourneySide::kindAndName).sorted().toList())));
        for (String section : List.of("metadata", "spec", "status")) {
            o.put("objects." + section, n.values(section(objects, section, n)));
        }
        o.put("pods", String.join("\n", n.values(pods()).lines().sorted().toList()));
        o.put("services", n.values(names(kube.services().inNamespace(clusterId).list().getItems())));
        o.put("replicasets", n.values(names(kube.apps().replicaSets().inNamespace(clusterId).list().getItems())));
        return o;
    }

    /** After DeleteVirtualCluster: the operation, the cluster's state, and whether its namespace went (2 min). */
    Observation observeDeleted(String stage, JsonNode operation) {
        Normaliser n = normaliser();
        boolean gone = eventually(120, () -> kube.namespaces().withName(clusterId).get() == null);
        return new Observation(stage).put("operation", n.values(operationSummary(operation)))
                .put("cluster", sdk.call("GetVirtualCluster", Map.of("ClusterId", clusterId)).path("ClusterState")
                        .asText())
                .put("namespace", gone ? "gone" : "still there after 120 s");
    }

    private Normaliser normaliser() {
        if (normaliser == null) {
            String suffix = clusterId.substring(4, 8);
            Map<String, String> replacements = new LinkedHashMap<>();
            replacements.put(Pattern.quote(clusterId), "<cluster>");
            replacements.put("-" + Pattern.quote(suffix) + "\\b", "-<c>");
            replacements.put("\\bop-[a-z0-9]{16,}\\b", "<operation>");
            // emr-vke's applied-hash and config-checksum annotations hash content that names the cluster
            replacements.put("\\b[0-9a-f]{32}\\b|\\b[0-9a-f]{64}\\b", "<digest>");
            List<String> workloads = new ArrayList<>();
            for (String w : List.of("spark-operator", "spark-history-server", "kuberay-operator")) {
                workloads.add(w + "-<c>");
            }
            workloads.addAll(List.of("raycluster-<c>-head", "raycluster-<c>-worker-worker", "raycluster-<c>-worker"));
            normaliser = new Normaliser(workloads, replacements);
        }
        return normaliser;
    }

    private static String operationSummary(JsonNode op) {
        StringBuilder sb = new StringBuilder(op.path("OperationName").asText() + " " + op.path("OperationState").asText()
                + " " + op.path("Progress") + "\nreason: " + op.path("StateChangeReason").asText(""));
        for (JsonNode step : op.path("Steps")) {
            sb.append('\n').append(String.join(" | ", step.path("Action").asText(), step.path("ApplicationName").asText(""),
                    step.path("ComponentName").asText(""), step.path("ReleaseName").asText(""),
                    step.path("StepState").asText(), step.path("Message").asText("")));
        }
        return sb.toString();
    }

    private String instances() {
        JsonNode items = sdk.call("ListComponentInstances", Map.of("ClusterId", clusterId, "MaxResults", 100)).path("Items");
        TreeSet<String> lines = new TreeSet<>();
        for (JsonNode i : items) {
            lines.add(String.join(" ", i.path("ApplicationName").asText() + "/" + i.path("ComponentName").asText(),
                    i.path("ReleaseName").asText(), i.path("InstanceState").asText(), "desired=" + i.path("DesiredState").asText(),
                    "ready=" + i.path("ReadyReplicas").asText() + "/" + i.path("Replicas").asText(),
                    i.path("WorkloadKind").asText() + "/" + i.path("WorkloadName").asText(),
                    "config=" + i.path("ConfigVersion").asText()));
        }
        return String.join("\n", lines);
    }

    private List<HasMetadata> managedObjects() {
        List<HasMetadata> objects = new ArrayList<>();
        for (String[] kind : MANAGED_KINDS) {
            objects.addAll(kube.genericKubernetesResources(kind[0], kind[1]).inNamespace(clusterId)
                    .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).list().getItems());
        }
        return objects;
    }

    /** The objects' {@code section} (spec: everything but metadata and status, e.g. a ConfigMap's data), by name. */
    private static String section(List<HasMetadata> objects, String section, Normaliser n) {
        Map<String, String> byName = new java.util.TreeMap<>();
        for (HasMetadata object : objects) {
            JsonNode json = n.json(Json.plain().valueToTree(object));
            JsonNode part = switch (section) {
                case "metadata", "status" -> json.path(section);
                default -> ((com.fasterxml.jackson.databind.node.ObjectNode) json.deepCopy())
                        .without(List.of("metadata", "status", "apiVersion", "kind"));
            };
            if (!part.isMissingNode() && !part.isEmpty()) {
                byName.put(kindAndName(object), Observation.pretty(part));
            }
        }
        StringBuilder sb = new StringBuilder();
        byName.forEach((name, value) -> sb.append(name).append(": ").append(value).append('\n'));
        return sb.toString().strip();
    }

    /** name, phase, readiness, owner, the node's pool and the containers' limits: one line a pod, sorted. */
    private String pods() {
        List<String> lines = new ArrayList<>();
        for (Pod p : kube.pods().inNamespace(clusterId).list().getItems()) {
            String owner = p.getMetadata().getOwnerReferences().stream().filter(r -> Boolean.TRUE.equals(r.getController()))
                    .map(r -> r.getKind() + "/" + r.getName()).findFirst().orElse("none");
            String node = p.getSpec().getNodeName();
            String pool = node == null ? "unscheduled" : Objects.toString(kube.nodes().withName(node).get().getMetadata()
                    .getLabels().get(POOL_LABEL));
            List<String> limits = p.getSpec().getContainers().stream().map(c -> c.getName() + (c.getResources() == null ? "(no resources)" : c.getResources().getLimits()))
                    .toList();
            lines.add(String.join(" ", p.getMetadata().getName(), p.getStatus().getPhase(), "ready=" + ready(p),
                    "owner=" + owner, "pool=" + pool, "limits=" + limits));
        }
        // sorted after normalising: pods of one workload differ only in their random suffixes
        return String.join("\n", lines);
    }

    private static boolean ready(Pod p) {
        return p.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready")
                && c.getStatus().equals("True"));
    }

    private static String names(List<? extends HasMetadata> objects) {
        return String.join("\n", objects.stream().map(o -> o.getMetadata().getName()).sorted().toList());
    }

    private static String kindAndName(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }

    private static boolean eventually(long seconds, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + seconds * 1000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            ServerProcess.sleep(500);
        }
        return true;
    }

    /** The server's log, for a failure message. */
    String log() {
        return server.logText();
    }

    @Override
    public void close() {
        server.close();
        kube.close();
    }
}
