package io.emrvke.server.operation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.runtime.KubernetesRuntime;
import io.emrvke.server.runtime.Labels;
import io.emrvke.server.sandbox.Sandbox;
import io.emrvke.server.sandbox.SandboxConfig;
import io.emrvke.server.store.Database;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For the tests that SIGKILL {@code emr-vke serve} in the middle of a rolling restart of RayClusters
 * (registered with {@code @RegisterExtension}): per test, a standalone sandbox and a temporary data dir,
 * server processes on it with a short operation lease, and what the sandbox and the (embedded) store
 * hold, read directly.
 */
final class SandboxRayRestarts implements BeforeEachCallback, AfterEachCallback {
    static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILED", "CANCEL", "SKIP");
    private static final long POD_READY_MS = 1500;
    // heartbeats (commits) every 2 s: a kill soon after a step's write finds that write the store's last one
    private static final String LEASE_SECONDS = "6";

    // under target/, kept after the test: what each process did around the kill
    private final Path logs = Path.of("target", "kill-logs", String.valueOf(System.currentTimeMillis()));
    private final List<ServerProcess> servers = new ArrayList<>();
    private final long startedAt = System.currentTimeMillis();
    private Path tmp;
    private Path dataDir;
    private Sandbox sandbox;
    private Path kubeconfig;
    private KubernetesClient kube;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        tmp = Files.createTempDirectory("emr-vke-kill");
        dataDir = tmp.resolve("data");
        sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
        kubeconfig = sandbox.writeKubeconfig(tmp.resolve("sandbox.kubeconfig"));
        Config config = new ConfigBuilder(sandbox.clientConfig()).withRequestTimeout(10_000).build();
        kube = new KubernetesClientBuilder().withConfig(config).build();
        // RayClusters of 3 CPU each: more than the three 4-CPU nodes hold
        io.emrvke.server.sandbox.SandboxNodes.resize(kube, "16", "64Gi");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        servers.forEach(ServerProcess::close);
        servers.clear();
        // null when beforeEach failed half way
        if (kube != null) {
            kube.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A server on the data dir, on the sandbox, with a 6 s operation lease (a killed one's is taken over soon). */
    ServerProcess startServer(String name) {
        List<String> args = new ArrayList<>(ServerProcess.storeReusingSpaceSoon(dataDir));
        args.addAll(List.of("--no-sandbox", "--kubeconfig", kubeconfig.toString(), "--target-name", "sandbox",
                "--operation-lease-seconds", LEASE_SECONDS, "--rate-limit", "0"));
        ServerProcess server = ServerProcess.start(name, logs, args);
        servers.add(server);
        return server;
    }

    /** A running cluster with Ray, plus one more RayCluster per name in {@code more}; its ClusterId. */
    String rayClusterWith(EmrClient client, String clusterName, List<String> more) {
        JsonNode r = client.call("CreateVirtualCluster", "{\"ClusterName\":\"" + clusterName + "\",\"ReleaseVersion\":"
                + "\"EMR-VKE-1.8.0\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\",\"VkeNodePoolIds\":[\"default\"]},"
                + "\"Applications\":[{\"ApplicationName\":\"Ray\"}]}").path("Result");
        awaitSuccess(client, r.path("OperationId").asText());
        String clusterId = r.path("ClusterId").asText();
        // each creation holds only its own instance: they are created side by side
        List<String> creations = new ArrayList<>();
        for (String name : more) {
            creations.add(client.call("CreateComponentInstance", Map.of("ClusterId", clusterId,
                    "ApplicationName", "Ray", "ComponentName", "RayCluster", "ReleaseName", name))
                    .path("Result").path("OperationId").asText());
        }
        creations.forEach(id -> awaitSuccess(client, id));
        return clusterId;
    }

    /** The release name of the cluster's own RayCluster instance. */
    static String ownRayCluster(String clusterId) {
        return "raycluster-" + clusterId.substring(4, 8);
    }

    /** RunApplicationAction restart of the named RayClusters with {@code params} added to releaseName. */
    static String restart(EmrClient client, String clusterId, List<String> targets, Map<String, String> params) {
        List<Map<String, String>> actionParams = new ArrayList<>(List.of(Map.of("Key", "releaseName",
                "Value", String.join(",", targets))));
        params.forEach((k, v) -> actionParams.add(Map.of("Key", k, "Value", v)));
        return client.call("RunApplicationAction", Map.of("ClusterId", clusterId, "ActionName", "restart",
                "ActionScope", "COMPONENT", "Components", List.of(Map.of("ApplicationName", "Ray",
                        "ComponentNames", List.of("RayCluster"))), "ActionParams", actionParams))
                .path("Result").path("OperationId").asText();
    }

    static void awaitSuccess(EmrClient client, String operationId) {
        JsonNode op = awaitEnd(client, operationId);
        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
    }

    static JsonNode awaitEnd(EmrClient client, String operationId) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonNode op = getOperation(client, operationId);
            if (TERMINAL.contains(op.path("OperationState").asText())) {
                return op;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("operation never ended: " + op);
            }
            ServerProcess.sleep(100);
        }
    }

    static JsonNode getOperation(EmrClient client, String operationId) {
        return client.call("GetOperation", "{\"OperationId\":\"" + operationId + "\"}").path("Result");
    }

    void phase(String what) {
        System.out.printf("%6d ms  %s%n", System.currentTimeMillis() - startedAt, what);
    }

    // --- the sandbox, read directly --------------------------------------------------------------

    /** Release names of every pod-owning instance in the cluster's namespace. */
    List<String> instanceNames(String clusterId) {
        return kube.pods().inNamespace(clusterId).list().getItems().stream()
                .map(p -> p.getMetadata().getLabels().get(Labels.INSTANCE)).filter(n -> n != null).distinct()
                .sorted().toList();
    }

    List<Pod> pods(String clusterId, String releaseName) {
        return kube.pods().inNamespace(clusterId).withLabel(Labels.INSTANCE, releaseName).list().getItems();
    }

    List<String> podUids(String clusterId, String releaseName) {
        return pods(clusterId, releaseName).stream().map(p -> p.getMetadata().getUid()).sorted().toList();
    }

    Map<String, List<String>> podUidsOf(String clusterId, List<String> releaseNames) {
        Map<String, List<String>> uids = new LinkedHashMap<>();
        releaseNames.forEach(name -> uids.put(name, podUids(clusterId, name)));
        return uids;
    }

    boolean podsCreatedAfter(String clusterId, String releaseName, long millis) {
        return pods(clusterId, releaseName).stream().allMatch(p ->
                java.time.Instant.parse(p.getMetadata().getCreationTimestamp()).toEpochMilli() >= millis);
    }

    /** The restart token the instance's RayCluster carries (null when it was never restarted). */
    String workloadToken(String clusterId, String releaseName) {
        GenericKubernetesResource ray = kube.genericKubernetesResources("ray.io/v1", "RayCluster")
                .inNamespace(clusterId).withName(releaseName).get();
        assertThat(ray).as("RayCluster " + releaseName).isNotNull();
        Map<String, String> annotations = ray.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(KubernetesRuntime.RESTART_TOKEN);
    }

    /** The restart token a pod carries (kubectl.kubernetes.io/restartedAt), null on a never restarted one. */
    static String podToken(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Labels.RESTARTED_AT);
    }

    // --- the store, read directly ----------------------------------------------------------------

    record StepRow(int stepIndex, String releaseName, String state, int attempt, Long startTime, String restartToken) {
    }

    /** The steps as stored: readable only while no server holds the embedded store, or between its writes. */
    List<StepRow> steps(String operationId) {
        try (Connection c = DriverManager.getConnection(Database.defaultUrl(dataDir), "sa", "");
             PreparedStatement ps = c.prepareStatement("SELECT step_index, release_name, state, attempt, start_time,"
                     + " restart_token FROM operation_steps WHERE operation_id = ? ORDER BY step_index")) {
            ps.setString(1, operationId);
            List<StepRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StepRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getObject(5, Long.class), rs.getString(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError("reading the steps of " + operationId + ": " + e.getMessage(), e);
        }
    }

    static StepRow step(List<StepRow> steps, String releaseName) {
        return steps.stream().filter(s -> s.releaseName().equals(releaseName)).findFirst().orElseThrow();
    }
}
