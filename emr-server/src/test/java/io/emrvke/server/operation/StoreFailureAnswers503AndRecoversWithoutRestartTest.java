package io.emrvke.server.operation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.Json;
import io.emrvke.api.client.EmrClient;
import io.emrvke.api.client.RawResponse;
import io.emrvke.server.gateway.FreshSignatures;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process loses its store in the middle of a load of writes and reads: its disk
 * fills up (H2 on a small tmpfs), or PostgreSQL stops taking its connections. While the store
 * fails every call answers 200 or 503 ServiceUnavailableTemp, never 500, and /readyz is 503
 * naming the store. Once the fault clears the same process, not restarted, answers 200 again:
 * every write it acknowledged is there and the operations finish (one was running across the
 * fault). Writers retry a refused create with the same ClientToken, as clients should: a commit
 * cut by the full disk may still have reached the file (the database cannot know), so each
 * cluster must then exist exactly once, whole, never half-written and never twice.
 */
class StoreFailureAnswers503AndRecoversWithoutRestartTest {
    private static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILED", "CANCEL", "SKIP");
    private static final int WRITERS = 2;
    // generous: while the store fails each call may wait the pool's 5 s connection timeout
    private static final long PHASE_TIMEOUT_MS = 60_000;

    @TempDir
    Path tmp;
    private ServerProcess server;
    private final long startedAt = System.currentTimeMillis();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fullDiskAnswers503AndTheSameServerKeepsEveryAcknowledgedWriteOnceSpaceReturns() {
        try (FullDisk disk = FullDisk.prepare(tmp.resolve("disk"))) {
            try {
                server = start("full-disk", List.of("--data-dir", disk.dataDir().toString()));
                phase("started " + server + " with its data dir on a " + disk.method());
                survivesAStoreFault(() -> disk.fill(server), () -> disk.free(server));
            } finally {
                // the tmpfs cannot be unmounted while the process holds its files
                stopServer();
            }
        }
    }

    @Test
    void postgresRefusingConnectionsAnswers503AndTheSameServerRecoversWhenItAcceptsThemAgain() throws Exception {
        try (StoreBackend requiresPostgres = StoreBackends.fresh(StoreBackends.Kind.POSTGRESQL);
             OwnDatabase db = OwnDatabase.create()) {
            requiresPostgres.jdbcUrl();
            try {
                server = start("postgres", List.of("--data-dir", tmp.resolve("data").toString(), "--database-url",
                        db.url()));
                phase("started " + server + " on PostgreSQL database " + db.name);
                survivesAStoreFault(db::refuseConnections, db::acceptConnections);
            } finally {
                stopServer();
            }
        }
    }

    /** Load; fault; 503s and readiness failing; recovery; everything acknowledged is there. */
    private void survivesAStoreFault(Runnable fault, Runnable recovery) {
        EmrClient client = server.client();
        try (Load load = Load.start(client)) {
            await("acknowledged writes before the fault", () -> load.acknowledged.size() >= 6);
            Map.Entry<String, String> spanning = createClusterWithSpark(client);
            phase("fault (" + load.acknowledged.size() + " writes acknowledged, " + spanning.getValue()
                    + " being created)");
            fault.run();
            await("a refused write and /readyz 503 naming the failing store", () -> !load.refused.isEmpty()
                    && readyz().matches("(?s)503 .*store: failing.*"));
            phase(readyz().lines().filter(l -> l.contains("store")).findFirst().orElse("?") + "; "
                    + load.refused.size() + " writes refused");
            int refusedBefore = load.refused.size();
            await("more calls while the store fails", () -> load.refused.size() >= refusedBefore + 3);
            recovery.run();
            phase("recovery");
            await("/readyz 200", () -> readyz().startsWith("200"));
            int acknowledgedAtRecovery = load.acknowledged.size();
            await("writes acknowledged again", () -> load.acknowledged.size() >= acknowledgedAtRecovery + 5);
            load.stop();
            phase("load stopped: " + load.acknowledged.size() + " acknowledged, " + load.refused.size()
                    + " refused, " + load.readsAnswered.size() + " reads; operations paused by the fault: "
                    + server.logText().lines().filter(l -> l.contains("paused: the store is failing")).count());
            assertThat(load.unexpected).as("answers other than 200 and 503 ServiceUnavailableTemp").isEmpty();
            assertThat(load.refused).allSatisfy(body -> assertThat(body).contains("its store (database) is failing")
                    .contains("retry"));
            load.acknowledged.put(spanning.getKey(), spanning.getValue());
            assertEveryAcknowledgedWriteIsThereAndFinishes(client, load.acknowledged);
            assertEachWriteExistsExactlyOnce(client, load.acknowledged.keySet());
        }
    }

    private void assertEveryAcknowledgedWriteIsThereAndFinishes(EmrClient client, Map<String, String> acknowledged) {
        for (Map.Entry<String, String> write : acknowledged.entrySet()) {
            JsonNode cluster = client.call("GetVirtualCluster", "{\"ClusterId\":\"" + write.getValue() + "\"}")
                    .path("Result");
            assertThat(cluster.path("ClusterName").asText()).isEqualTo(write.getKey());
        }
        await("every operation ended", () -> listAll(client, "ListOperations").stream()
                .allMatch(op -> TERMINAL.contains(op.path("OperationState").asText())));
        List<String> unsuccessful = listAll(client, "ListOperations").stream()
                .filter(op -> !"SUCCESS".equals(op.path("OperationState").asText()))
                .map(op -> client.call("GetOperation", "{\"OperationId\":\"" + op.path("OperationId").asText()
                        + "\"}").path("Result").toString())
                .toList();
        assertThat(unsuccessful).as("operations that did not succeed; the server's log:%n%s",
                lastLines(server.logText())).isEmpty();
        List<String> notRunning = listAll(client, "ListVirtualClusters").stream()
                .filter(c -> !"RUNNING".equals(c.path("ClusterState").asText())).map(JsonNode::toString).toList();
        assertThat(notRunning).as("clusters not RUNNING").isEmpty();
    }

    /** The clusters the server lists are those it acknowledged, each once: retries created no twin. */
    private static void assertEachWriteExistsExactlyOnce(EmrClient client, Set<String> acknowledgedNames) {
        List<String> listed = listAll(client, "ListVirtualClusters").stream()
                .map(c -> c.path("ClusterName").asText()).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(acknowledgedNames);
    }

    /** Every item of a List action, page by page. */
    private static List<JsonNode> listAll(EmrClient client, String action) {
        List<JsonNode> items = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode result = client.call(action, "{\"MaxResults\":100,\"NextToken\":\"" + page + "\"}")
                    .path("Result");
            result.path("Items").forEach(items::add);
            if ((page + 1) * 100 >= result.path("TotalCount").asInt()) {
                return items;
            }
        }
    }

    /**
     * {name, ClusterId} of a cluster whose CreateCluster operation waits for Spark's pods: it is
     * still running when the fault starts.
     */
    private static Map.Entry<String, String> createClusterWithSpark(EmrClient client) {
        String name = "spanning-the-fault";
        JsonNode result = client.call("CreateVirtualCluster", "{\"ClusterName\":\"" + name + "\","
                + "\"ReleaseVersion\":\"EMR-VKE-1.8.0\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\"},"
                + "\"Applications\":[{\"ApplicationName\":\"Spark\"}]}").path("Result");
        return Map.entry(name, result.path("ClusterId").asText());
    }

    /** "status body" of GET /readyz, or "unreachable ..." */
    private String readyz() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/readyz"))
                    .timeout(Duration.ofSeconds(20)).build();
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            return "unreachable " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private ServerProcess start(String name, List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--rate-limit", "0", "--sandbox-pod-ready-ms", "1500"));
        return ServerProcess.start(name, tmp.resolve("logs"), all);
    }

    private void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + PHASE_TIMEOUT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; last lines of the server's log:\n"
                        + lastLines(server.logText()));
            }
            ServerProcess.sleep(100);
        }
    }

    private static String lastLines(String log) {
        List<String> lines = log.lines().filter(l -> !l.contains("emr-vke.access")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 120), lines.size()));
    }

    private void phase(String what) {
        System.out.printf("%6d ms  %s%n", System.currentTimeMillis() - startedAt, what);
    }

    /**
     * Writers create clusters with names of their own, each retried with its name as ClientToken
     * until acknowledged; a reader gets acknowledged ones back. Every answer is sorted: 200 (a
     * write acknowledged), 503 ServiceUnavailableTemp, or unexpected.
     */
    private static final class Load implements AutoCloseable {
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final Answers<String> refused = new Answers<>();
        final Answers<Integer> readsAnswered = new Answers<>();
        final Answers<String> unexpected = new Answers<>();
        private final EmrClient client;
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopped;

        private Load(EmrClient client) {
            this.client = client;
        }

        static Load start(EmrClient client) {
            Load load = new Load(client);
            for (int w = 0; w < WRITERS; w++) {
                String prefix = "w" + w + "-";
                int[] next = {0};
                load.spawn("writer-" + w, () -> {
                    if (load.write(prefix + next[0])) {
                        next[0]++;
                    }
                });
            }
            load.spawn("reader", load::read);
            return load;
        }

        private void spawn(String name, Runnable call) {
            Thread t = new Thread(() -> {
                while (!stopped) {
                    call.run();
                    ServerProcess.sleep(30);
                }
            }, name);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }

        /** True when acknowledged. */
        private boolean write(String name) {
            String body = "{\"ClusterName\":\"" + name + "\",\"ClientToken\":\"" + name
                    + "\",\"ReleaseVersion\":\"EMR-VKE-1.8.0\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\"}}";
            // a retry is signed anew in a later second, as an SDK's retry after backoff is: within one
            // second the same signature would be a replay of the refused request (README, Security)
            RawResponse r = FreshSignatures.send("CreateVirtualCluster", body,
                    () -> client.callRaw("CreateVirtualCluster", body));
            if (r.status() == 200) {
                acknowledged.put(name, json(r).path("Result").path("ClusterId").asText());
                return true;
            }
            if (isUnavailable(r)) {
                refused.add(r.body());
            } else {
                unexpected.add("CreateVirtualCluster " + name + ": " + r.status() + " " + r.body());
            }
            return false;
        }

        private void read() {
            List<String> ids = List.copyOf(acknowledged.values());
            if (ids.isEmpty()) {
                return;
            }
            String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
            RawResponse r = client.callRaw("GetVirtualCluster", "{\"ClusterId\":\"" + id + "\"}");
            if (r.status() == 200 || isUnavailable(r)) {
                readsAnswered.add(r.status());
            } else {
                unexpected.add("GetVirtualCluster " + id + ": " + r.status() + " " + r.body());
            }
        }

        private static boolean isUnavailable(RawResponse r) {
            return r.status() == 503 && "ServiceUnavailableTemp".equals(json(r).path("ResponseMetadata")
                    .path("Error").path("Code").asText());
        }

        private static JsonNode json(RawResponse r) {
            try {
                return Json.plain().readTree(r.body());
            } catch (IOException e) {
                return Json.plain().createObjectNode();
            }
        }

        void stop() {
            stopped = true;
            for (Thread t : threads) {
                try {
                    t.join(PHASE_TIMEOUT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

    /** A thread-safe list that AssertJ can read. */
    private static final class Answers<T> extends ConcurrentLinkedQueue<T> {
    }

    /**
     * A PostgreSQL database of this test's own, so that refusing its connections does not touch the
     * shared {@code test} database other tests use.
     */
    private static final class OwnDatabase implements AutoCloseable {
        final String name = "emr_storefault_"
                + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);

        static OwnDatabase create() {
            OwnDatabase db = new OwnDatabase();
            db.admin("CREATE DATABASE " + db.name);
            return db;
        }

        String url() {
            return StoreBackends.POSTGRES_URL.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
        }

        /** New connections are refused and the open ones are ended, as when the database goes away. */
        void refuseConnections() {
            admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
            admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        }

        void acceptConnections() {
            admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
        }

        @Override
        public void close() {
            refuseConnections();
            admin("DROP DATABASE IF EXISTS " + name);
        }

        private void admin(String sql) {
            try (Connection c = DriverManager.getConnection(StoreBackends.POSTGRES_URL);
                 Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }
    }
}
