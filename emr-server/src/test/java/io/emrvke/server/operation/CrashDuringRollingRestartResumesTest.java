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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A serve process is SIGKILLed in the middle of a rolling restart of four RayCluster instances
 * (batchSize=1): the first instance is rolled, the second has been patched and its new pods are
 * coming up, the last two are untouched. A restart on the same data directory finishes the
 * operation, and every targeted instance was rolled exactly once by it: the one done before the
 * kill and the one patched before the kill keep the pods they had at the kill (not patched
 * again: their workload still carries the token recorded in their step), the other two roll after
 * the restart, and the pods of the RayCluster the action does not name never change.
 */
class CrashDuringRollingRestartResumesTest {
    private static final long POD_READY_MS = 1500;
    private static final String LEASE_SECONDS = "3";
    private static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILED", "CANCEL", "SKIP");
    private static final List<String> TARGETS = List.of("ray-a", "ray-b", "ray-c", "ray-d");

    @TempDir
    Path tmp;
    private Sandbox sandbox;
    private Path kubeconfig;
    private KubernetesClient kube;
    private final List<ServerProcess> servers = new ArrayList<>();
    private final long startedAt = System.currentTimeMillis();

    @BeforeEach
    void startStandaloneSandbox() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
        kubeconfig = sandbox.writeKubeconfig(tmp.resolve("sandbox.kubeconfig"));
        Config config = new ConfigBuilder(sandbox.clientConfig()).withRequestTimeout(10_000).build();
        kube = new KubernetesClientBuilder().withConfig(config).build();
        // five RayClusters of 3 CPU each: more than three 4-CPU nodes hold
        io.emrvke.server.sandbox.SandboxNodes.resize(kube, "16", "64Gi");
    }

    @AfterEach
    void stopEverything() {
        servers.forEach(ServerProcess::close);
        if (kube != null) {
            kube.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void restartAfterAKillMidBatchTwoRollsEveryTargetExactlyOnce() {
        Path dataDir = tmp.resolve("data");
        String url = Database.defaultUrl(dataDir);
        ServerProcess first = start("first", dataDir);
        EmrClient client = first.client();
        String clusterId = createRayCluster(client);
        phase("started " + first + ", cluster " + clusterId + " running");
        // each creation holds only its own instance: the four are created side by side
        List<String> creations = new ArrayList<>();
        for (String name : TARGETS) {
            creations.add(client.call("CreateComponentInstance", Map.of("ClusterId", clusterId,
                    "ApplicationName", "Ray", "ComponentName", "RayCluster", "ReleaseName", name))
                    .path("Result").path("OperationId").asText());
        }
        creations.forEach(id -> awaitSuccess(client, id));
        String bystander = "raycluster-" + clusterId.substring(4, 8);
        Map<String, List<String>> before = new LinkedHashMap<>();
        for (String name : instanceNames(clusterId)) {
            before.put(name, podUids(clusterId, name));
        }
        assertThat(before).containsKeys(bystander).containsKeys(TARGETS.toArray(String[]::new));
        phase("cluster with " + before.size() + " instances ready: " + before.keySet());

        String operationId = client.call("RunApplicationAction", restartBody(clusterId)).path("Result")
                .path("OperationId").asText();
        String[] order = awaitSecondBatchPatched(client, clusterId, operationId, before);
        String done = order[0];
        String patched = order[1];
        phase("killing " + first + " while " + patched + " comes back up (" + done + " done)");
        first.kill();
        long killedAt = System.currentTimeMillis();
        Map<String, List<String>> atKill = new LinkedHashMap<>();
        before.keySet().forEach(name -> atKill.put(name, podUids(clusterId, name)));
        List<StepRow> stepsAtKill = steps(url, operationId);

        ServerProcess second = start("second", dataDir);
        phase("started " + second);
        JsonNode op = awaitEnd(second.client(), operationId);
        phase("operation ended " + op.path("OperationState").asText());
        // the embedded store serves no other process: read it once its server stopped
        assertThat(second.terminate(30)).as("exit code after SIGTERM").isEqualTo(128 + 15);
        List<StepRow> stepsAtEnd = steps(url, operationId);

        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
        assertThat(op.path("Progress").path("Succeeded").asInt()).isEqualTo(TARGETS.size());
        assertThat(stepsAtEnd).extracting(StepRow::releaseName).containsExactlyInAnyOrderElementsOf(TARGETS);
        for (StepRow step : stepsAtEnd) {
            String name = step.releaseName();
            StepRow atKillStep = stepsAtKill.stream().filter(s -> s.releaseName().equals(name)).findFirst()
                    .orElseThrow();
            assertThat(step.restartToken()).as(name + " token").isNotNull();
            assertThat(workloadToken(clusterId, name)).as(name + ": the workload carries its step's token")
                    .isEqualTo(step.restartToken());
            List<String> now = podUids(clusterId, name);
            assertThat(now).as(name + " pods rolled").hasSameSizeAs(before.get(name))
                    .doesNotContainAnyElementsOf(before.get(name));
            if (name.equals(done) || name.equals(patched)) {
                // rolled before the kill: not rolled again after it
                assertThat(atKillStep.restartToken()).as(name + " token recorded before the kill")
                        .isEqualTo(step.restartToken());
                assertThat(now).as(name + " pods are those it had at the kill").isEqualTo(atKill.get(name));
            } else {
                // not reached before the kill: rolled once, after it
                assertThat(atKillStep.restartToken()).as(name + " had no token at the kill").isNull();
                assertThat(atKill.get(name)).as(name + " untouched at the kill").isEqualTo(before.get(name));
                assertThat(step.attempt()).as(name + " attempts").isEqualTo(1);
                assertThat(step.startTime()).as(name + " started after the kill").isGreaterThanOrEqualTo(killedAt);
                assertThat(podsCreatedAfter(clusterId, name, step.startTime() - 1000)).as(name + " pods").isTrue();
            }
        }
        assertThat(stepsAtEnd.stream().filter(s -> s.releaseName().equals(done)).findFirst().orElseThrow().attempt())
                .as(done + " finished before the kill: one attempt").isEqualTo(1);
        // every other instance (the one not named, the KubeRay operator) kept its pods
        for (String name : before.keySet()) {
            if (!TARGETS.contains(name)) {
                assertThat(podUids(clusterId, name)).as(name + " is outside the action").isEqualTo(before.get(name));
            }
        }
        assertThat(workloadToken(clusterId, bystander)).as(bystander + " never restarted").isNull();
    }

    /** RunApplicationAction restart of the four named RayClusters, one per batch. */
    private static Map<String, Object> restartBody(String clusterId) {
        return Map.of("ClusterId", clusterId, "ActionName", "restart", "ActionScope", "COMPONENT",
                "Components", List.of(Map.of("ApplicationName", "Ray", "ComponentNames", List.of("RayCluster"))),
                "ActionParams", List.of(Map.of("Key", "releaseName", "Value", String.join(",", TARGETS)),
                        Map.of("Key", "batchSize", "Value", "1")));
    }

    /**
     * Waits until the first step succeeded and the second runs with its instance's pods all
     * replaced (patched, new pods not yet counted ready by the step); returns their release names.
     */
    private String[] awaitSecondBatchPatched(EmrClient client, String clusterId, String operationId,
                                             Map<String, List<String>> before) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode op = getOperation(client, operationId);
            JsonNode steps = op.path("Steps");
            if (steps.size() == TARGETS.size() && "SUCCESS".equals(steps.get(0).path("StepState").asText())
                    && "RUNNING".equals(steps.get(1).path("StepState").asText())
                    && "ACCEPT".equals(steps.get(2).path("StepState").asText())) {
                String second = steps.get(1).path("ReleaseName").asText();
                List<String> pods = podUids(clusterId, second);
                if (pods.size() == before.get(second).size() && pods.stream().noneMatch(before.get(second)::contains)) {
                    return new String[] {steps.get(0).path("ReleaseName").asText(), second};
                }
            }
            if (TERMINAL.contains(op.path("OperationState").asText()) || System.currentTimeMillis() > deadline) {
                throw new AssertionError("never caught the second batch mid-restart: " + op);
            }
            ServerProcess.sleep(25);
        }
    }

    private ServerProcess start(String name, Path dataDir) {
        ServerProcess server = ServerProcess.start(name, tmp.resolve("logs"), List.of("--data-dir", dataDir.toString(),
                "--no-sandbox", "--kubeconfig", kubeconfig.toString(), "--target-name", "sandbox",
                "--operation-lease-seconds", LEASE_SECONDS, "--rate-limit", "0"));
        servers.add(server);
        return server;
    }

    private String createRayCluster(EmrClient client) {
        JsonNode r = client.call("CreateVirtualCluster", "{\"ClusterName\":\"roll-crash\",\"ReleaseVersion\":"
                + "\"EMR-VKE-1.8.0\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\",\"VkeNodePoolIds\":[\"default\"]},"
                + "\"Applications\":[{\"ApplicationName\":\"Ray\"}]}").path("Result");
        awaitSuccess(client, r.path("OperationId").asText());
        return r.path("ClusterId").asText();
    }

    private static void awaitSuccess(EmrClient client, String operationId) {
        JsonNode op = awaitEnd(client, operationId);
        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
    }

    private static JsonNode awaitEnd(EmrClient client, String operationId) {
        long deadline = System.currentTimeMillis() + 45_000;
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

    private static JsonNode getOperation(EmrClient client, String operationId) {
        return client.call("GetOperation", "{\"OperationId\":\"" + operationId + "\"}").path("Result");
    }

    // --- the sandbox, read directly --------------------------------------------------------------

    /** Release names of every pod-owning instance in the cluster's namespace. */
    private List<String> instanceNames(String clusterId) {
        return kube.pods().inNamespace(clusterId).list().getItems().stream()
                .map(p -> p.getMetadata().getLabels().get(Labels.INSTANCE)).filter(n -> n != null).distinct()
                .sorted().toList();
    }

    private List<Pod> pods(String clusterId, String releaseName) {
        return kube.pods().inNamespace(clusterId).withLabel(Labels.INSTANCE, releaseName).list().getItems();
    }

    private List<String> podUids(String clusterId, String releaseName) {
        return pods(clusterId, releaseName).stream().map(p -> p.getMetadata().getUid()).sorted().toList();
    }

    private boolean podsCreatedAfter(String clusterId, String releaseName, long millis) {
        return pods(clusterId, releaseName).stream().allMatch(p ->
                java.time.Instant.parse(p.getMetadata().getCreationTimestamp()).toEpochMilli() >= millis);
    }

    /** The restart token the instance's RayCluster carries (null when it was never restarted). */
    private String workloadToken(String clusterId, String releaseName) {
        GenericKubernetesResource ray = kube.genericKubernetesResources("ray.io/v1", "RayCluster")
                .inNamespace(clusterId).withName(releaseName).get();
        assertThat(ray).as("RayCluster " + releaseName).isNotNull();
        Map<String, String> annotations = ray.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(KubernetesRuntime.RESTART_TOKEN);
    }

    // --- the store, read directly ----------------------------------------------------------------

    record StepRow(int stepIndex, String releaseName, String state, int attempt, Long startTime, String restartToken) {
    }

    private static List<StepRow> steps(String url, String operationId) {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
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

    private void phase(String what) {
        System.out.printf("%6d ms  %s%n", System.currentTimeMillis() - startedAt, what);
    }
}
