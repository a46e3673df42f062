package io.emrvke.server.operation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.sandbox.Sandbox;
import io.emrvke.server.sandbox.SandboxConfig;
import io.emrvke.server.store.Database;
import io.emrvke.server.store.KeySource;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server process is SIGKILLed while its CreateCluster operation is part-way (some steps done,
 * one running, some not started). Another process finishes it: after a restart on the same H2
 * data directory, or, with PostgreSQL, the second server sharing the database once the dead
 * owner's lease expired. Steps that had finished are not run again; the interrupted step runs
 * once more, only after its first owner died; no two steps overlap.
 */
class CrashDuringCreateClusterResumesTest {
    private static final long POD_READY_MS = 2000;
    private static final String LEASE_SECONDS = "3";
    private static final String SHARED_STORE_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    private static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILED", "CANCEL", "SKIP");
    private static final String CREATE = "{\"ClusterName\":\"crash-test\",\"ReleaseVersion\":\"EMR-VKE-1.8.0\","
            + "\"VkeCluster\":{\"VkeClusterId\":\"sandbox\",\"VkeNodePoolIds\":[\"default\"]},"
            + "\"Applications\":[{\"ApplicationName\":\"Ray\",\"ApplicationConfigs\":[{\"ConfigFileName\":"
            + "\"ray-cluster-values.yaml\",\"ConfigItemKey\":\"worker_replicas\",\"ConfigItemValue\":\"1\"}]},"
            + "{\"ApplicationName\":\"Spark\"}]}";

    @TempDir
    Path tmp;
    private Sandbox sandbox;
    private Path kubeconfig;
    private final List<ServerProcess> servers = new ArrayList<>();
    private final long startedAt = System.currentTimeMillis();

    @BeforeEach
    void startStandaloneSandbox() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.persistent(tmp.resolve("sandbox"), 0, POD_READY_MS));
        kubeconfig = sandbox.writeKubeconfig(tmp.resolve("sandbox.kubeconfig"));
    }

    @AfterEach
    void stopEverything() {
        servers.forEach(ServerProcess::close);
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void restartOnTheSameH2DataDirFinishesTheOperation() {
        Path dataDir = tmp.resolve("data");
        String url = Database.defaultUrl(dataDir);
        ServerProcess first = start("h2-first", dataDir, null);
        String[] ids = create(first.client());
        String clusterId = ids[0];
        String operationId = ids[1];

        JsonNode answered = awaitMidway(first.client(), operationId);
        phase("killing " + first);
        first.kill();
        long killedAt = System.currentTimeMillis();
        Snapshot atKill = Snapshot.read(url, operationId);
        assertAnsweredStatesSurvived(answered, atKill);
        assertMidway(atKill);
        assertThat(atKill.leaseOwner()).contains("/" + first.pid() + "/");

        ServerProcess second = start("h2-second", dataDir, null);
        phase("started " + second);
        JsonNode op = awaitEnd(second.client(), operationId, owner -> { });

        phase("finished by " + second);
        assertFinished(second.client(), op, clusterId);
        // the embedded store serves no other process: read it once its server stopped
        assertThat(second.terminate(30)).as("exit code after SIGTERM").isEqualTo(128 + 15);
        assertNoStepRanTwiceAtOnce(atKill, Snapshot.read(url, operationId), killedAt);
    }

    @Test
    void survivorSharingPostgresTakesOverAfterTheLeaseExpires() throws Exception {
        try (StoreBackend pg = StoreBackends.fresh(StoreBackends.Kind.POSTGRESQL)) {
            String url = pg.jdbcUrl();
            CompletableFuture<ServerProcess> startingB = CompletableFuture.supplyAsync(
                    () -> start("pg-b", tmp.resolve("data-b"), url));
            ServerProcess a = start("pg-a", tmp.resolve("data-a"), url);
            ServerProcess b = startingB.join();
            phase("started " + a + " and " + b);

            String[] ids = create(a.client());
            String clusterId = ids[0];
            String operationId = ids[1];
            JsonNode answered = awaitMidway(a.client(), operationId);
            // Whichever engine claimed it (A was woken, B scans for unowned work) is the one to kill.
            String ownerAtKill = Snapshot.read(url, operationId).leaseOwner();
            ServerProcess owner = ownerAtKill.contains("/" + a.pid() + "/") ? a : b;
            ServerProcess survivor = owner == a ? b : a;
            assertThat(ownerAtKill).contains("/" + owner.pid() + "/");
            phase("killing the owner " + owner);
            owner.kill();
            long killedAt = System.currentTimeMillis();
            Snapshot atKill = Snapshot.read(url, operationId);
            assertAnsweredStatesSurvived(answered, atKill);
            assertMidway(atKill);
            assertThat(atKill.leaseOwner()).isEqualTo(ownerAtKill);
            assertThat(atKill.leaseExpires()).isGreaterThan(killedAt - 1000 * Long.parseLong(LEASE_SECONDS));

            Set<String> ownersAfterKill = new LinkedHashSet<>();
            JsonNode op = awaitEnd(survivor.client(), operationId, ignored -> {
                String o = Snapshot.read(url, operationId).leaseOwner();
                if (o != null) {
                    ownersAfterKill.add(o);
                }
            });

            phase("finished by " + survivor);
            assertFinished(survivor.client(), op, clusterId);
            Snapshot end = Snapshot.read(url, operationId);
            assertNoStepRanTwiceAtOnce(atKill, end, killedAt);
            // The survivor waited for the dead owner's lease: nothing restarted before it expired.
            for (StepAt resumed : end.steps()) {
                if (atKill.step(resumed.stepIndex()).state() == StepState.RUNNING) {
                    assertThat(resumed.startTime()).as("restart of " + resumed.releaseName())
                            .isGreaterThanOrEqualTo(atKill.leaseExpires());
                }
            }
            // Until it expired the dead owner's lease stayed in place; then only the survivor held it.
            String survivorOwner = ownersAfterKill.stream().filter(o -> o.contains("/" + survivor.pid() + "/"))
                    .findFirst().orElseThrow(() -> new AssertionError("the survivor never held the lease: "
                            + ownersAfterKill));
            assertThat(ownersAfterKill).isSubsetOf(ownerAtKill, survivorOwner);
            assertThat(owner.isAlive()).isFalse();
        }
    }

    /** The servers' own log lines (no access log), the last ones of each: what a timeout needs to be understood. */
    private String serverLogs() {
        StringBuilder out = new StringBuilder();
        synchronized (servers) {
            for (ServerProcess server : servers) {
                List<String> lines = server.logText().lines().filter(l -> !l.contains("emr-vke.access")).toList();
                out.append("\n--- ").append(server).append(" (last lines of its log) ---\n");
                lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(l -> out.append(l).append('\n'));
            }
        }
        return out.toString();
    }

    /** Progress with elapsed time, in the test's output file: where the time of a crash test goes. */
    private void phase(String what) {
        System.out.printf("%6d ms  %s%n", System.currentTimeMillis() - startedAt, what);
    }

    private ServerProcess start(String name, Path dataDir, String databaseUrl) {
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--no-sandbox",
                "--kubeconfig", kubeconfig.toString(), "--target-name", "sandbox",
                "--operation-lease-seconds", LEASE_SECONDS, "--rate-limit", "0"));
        if (databaseUrl != null) {
            args.addAll(List.of("--database-url", databaseUrl));
        }
        // servers sharing a database share its store key
        Map<String, String> env = databaseUrl == null ? Map.of() : Map.of(KeySource.ENV, SHARED_STORE_KEY);
        ServerProcess server = ServerProcess.start(name, tmp.resolve("logs"), args, env);
        synchronized (servers) {
            servers.add(server);
        }
        return server;
    }

    /** {ClusterId, OperationId} of an accepted CreateVirtualCluster with Ray (1 worker) and Spark. */
    private static String[] create(EmrClient client) {
        JsonNode r = client.call("CreateVirtualCluster", CREATE).path("Result");
        return new String[] {r.path("ClusterId").asText(), r.path("OperationId").asText()};
    }

    /** Until at least two steps succeeded, one runs and at least one has not started. */
    private static JsonNode awaitMidway(EmrClient client, String operationId) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode op = getOperation(client, operationId);
            List<String> states = new ArrayList<>();
            op.path("Steps").forEach(s -> states.add(s.path("StepState").asText()));
            long succeeded = states.stream().filter("SUCCESS"::equals).count();
            if (succeeded >= 2 && states.contains("RUNNING") && states.contains("ACCEPT")) {
                return op;
            }
            if (TERMINAL.contains(op.path("OperationState").asText()) || System.currentTimeMillis() > deadline) {
                throw new AssertionError("never caught the operation part-way: " + op);
            }
            ServerProcess.sleep(50);
        }
    }

    /** What the API answered before the kill was committed: a step it called SUCCESS is SUCCESS in the store. */
    private static void assertAnsweredStatesSurvived(JsonNode answered, Snapshot atKill) {
        int i = 0;
        for (JsonNode step : answered.path("Steps")) {
            if ("SUCCESS".equals(step.path("StepState").asText())) {
                assertThat(atKill.steps().get(i).state()).as("step " + i + " answered SUCCESS before the kill")
                        .isEqualTo(StepState.SUCCESS);
            }
            i++;
        }
    }

    private static void assertMidway(Snapshot s) {
        assertThat(s.operationState()).isEqualTo(OperationState.RUNNING);
        assertThat(s.steps()).filteredOn(r -> r.state() == StepState.SUCCESS).hasSizeGreaterThanOrEqualTo(2);
        assertThat(s.steps()).filteredOn(r -> r.state() == StepState.ACCEPT).isNotEmpty();
        assertThat(s.steps()).filteredOn(r -> r.state() == StepState.RUNNING).hasSizeLessThanOrEqualTo(1);
    }

    private JsonNode awaitEnd(EmrClient client, String operationId, java.util.function.Consumer<JsonNode> eachPoll) {
        long deadline = System.currentTimeMillis() + 45_000;
        while (true) {
            JsonNode op = getOperation(client, operationId);
            if (TERMINAL.contains(op.path("OperationState").asText())) {
                return op;
            }
            eachPoll.accept(op);
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("operation never ended after the crash: " + op + serverLogs());
            }
            ServerProcess.sleep(100);
        }
    }

    private void assertFinished(EmrClient client, JsonNode op, String clusterId) {
        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
        assertThat(op.path("Progress").path("Succeeded").asInt()).isEqualTo(5);
        JsonNode cluster = client.call("GetVirtualCluster", "{\"ClusterId\":\"" + clusterId + "\"}").path("Result");
        assertThat(cluster.path("ClusterState").asText()).isEqualTo("RUNNING");
        Config config = sandbox.clientConfig();
        try (KubernetesClient kube = new KubernetesClientBuilder().withConfig(config).build()) {
            assertThat(kube.apps().deployments().inNamespace(clusterId).list().getItems()).hasSize(3);
            List<Pod> pods = kube.pods().inNamespace(clusterId).list().getItems();
            // spark-operator, spark-history-server, kuberay-operator, ray head and its one worker
            assertThat(pods).hasSize(5).allSatisfy(pod -> assertThat(pod.getStatus().getConditions())
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
        }
    }

    /**
     * Steps done before the kill kept their one attempt and times; steps not started ran once,
     * after the kill; the interrupted step ran a second attempt, started after the kill; and the
     * steps' time spans do not overlap (one release applied at a time).
     */
    private static void assertNoStepRanTwiceAtOnce(Snapshot atKill, Snapshot end, long killedAt) {
        assertThat(end.steps()).hasSameSizeAs(atKill.steps())
                .allSatisfy(s -> assertThat(s.state()).isEqualTo(StepState.SUCCESS));
        for (StepAt now : end.steps()) {
            StepAt before = atKill.step(now.stepIndex());
            String what = now.action() + " " + now.releaseName();
            switch (before.state()) {
                case SUCCESS -> {
                    assertThat(now.attempt()).as(what + " attempts").isEqualTo(1);
                    assertThat(now.startTime()).as(what + " start").isEqualTo(before.startTime());
                    assertThat(now.endTime()).as(what + " end").isEqualTo(before.endTime());
                }
                case RUNNING -> {
                    assertThat(now.attempt()).as(what + " attempts").isEqualTo(2);
                    assertThat(now.startTime()).as(what + " restart").isGreaterThanOrEqualTo(killedAt);
                }
                case ACCEPT -> {
                    assertThat(now.attempt()).as(what + " attempts").isEqualTo(1);
                    assertThat(now.startTime()).as(what + " start").isGreaterThanOrEqualTo(killedAt);
                }
                default -> throw new AssertionError("unexpected state at kill: " + before);
            }
        }
        for (int i = 1; i < end.steps().size(); i++) {
            assertThat(end.steps().get(i).startTime()).as("step " + i + " starts after step " + (i - 1) + " ended")
                    .isGreaterThanOrEqualTo(end.steps().get(i - 1).endTime());
        }
    }

    private static JsonNode getOperation(EmrClient client, String operationId) {
        return client.call("GetOperation", "{\"OperationId\":\"" + operationId + "\"}").path("Result");
    }

    /** The operation's row and steps read straight from the store (a short-lived connection). */
    record Snapshot(OperationState operationState, String leaseOwner, long leaseExpires, List<StepAt> steps) {
        static Snapshot read(String url, String operationId) {
            try (Connection c = url.startsWith("jdbc:h2:") ? DriverManager.getConnection(url, "sa", "")
                    : DriverManager.getConnection(url)) {
                OperationState state;
                String owner;
                long expires;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT state, lease_owner, lease_expires FROM operations WHERE operation_id = ?")) {
                    ps.setString(1, operationId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new AssertionError("no operation " + operationId);
                        }
                        state = OperationState.valueOf(rs.getString(1));
                        owner = rs.getString(2);
                        expires = rs.getLong(3);
                    }
                }
                List<StepAt> steps = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT step_index, action, release_name, state,"
                        + " attempt, start_time, end_time FROM operation_steps WHERE operation_id = ?"
                        + " ORDER BY step_index")) {
                    ps.setString(1, operationId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            steps.add(new StepAt(rs.getInt(1), rs.getString(2), rs.getString(3),
                                    StepState.valueOf(rs.getString(4)), rs.getInt(5),
                                    (Long) rs.getObject(6, Long.class), (Long) rs.getObject(7, Long.class)));
                        }
                    }
                }
                return new Snapshot(state, owner, expires, steps);
            } catch (SQLException e) {
                throw new AssertionError("reading " + operationId + " from the store: " + e.getMessage(), e);
            }
        }

        StepAt step(int index) {
            return steps.stream().filter(s -> s.stepIndex() == index).findFirst().orElseThrow();
        }
    }

    record StepAt(int stepIndex, String action, String releaseName, StepState state, int attempt, Long startTime,
                   Long endTime) {
    }
}
