package io.emrvke.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.ControlPlane;
import io.emrvke.server.ServerConfig;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.NewCredential;
import io.emrvke.server.account.Role;
import io.emrvke.server.store.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Lifecycle API latency over HTTP against an in-process server on the embedded H2 store (not a
 * test; see docs/benchmarks.md, run with bench/lifecycle-bench.sh):
 * <ol>
 * <li>accepted CreateVirtualCluster (no applications: the time until ClusterId/OperationId are
 * answered, i.e. durably stored), sequential and from 32 threads;</li>
 * <li>GetVirtualCluster, ListVirtualClusters, GetOperation, ListOperations on an empty store, after
 * seeding 10,000 clusters and 200,000 operations spread over 100 accounts, and after seeding as many
 * again into one account.</li>
 * </ol>
 */
public final class LifecycleBench {
    private static final int SEQUENTIAL = 200;
    private static final int THREADS = 32;
    private static final int PER_THREAD = 10;
    private static final int READS = 400;
    private static final int WARMUP = 100;
    private static final int SEED_CLUSTERS = 10_000;
    private static final int SEED_OPERATIONS = 200_000;
    private static final String CREATE = "{\"ClusterName\":\"bench\",\"ReleaseVersion\":\"EMR-VKE-1.8.0\","
            + "\"VkeCluster\":{\"VkeClusterId\":\"sandbox\"}}";
    private static final AtomicInteger CREATES = new AtomicInteger();

    private final ControlPlane plane;
    private String[] touched;
    private boolean countsTable;

    private LifecycleBench(ControlPlane plane) {
        this.plane = plane;
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Files.createTempDirectory("emr-vke-lifecycle-bench-");
        ServerConfig config = ServerConfig.defaults(dataDir).withPort(0).withSandbox(true, 0).withRateLimit(0, 1);
        try (ControlPlane plane = ControlPlane.start(config)) {
            LifecycleBench bench = new LifecycleBench(plane);
            if (args.length > 0 && args[0].equals("--creates-only")) {
                bench.runCreates();
            } else {
                bench.run();
            }
        }
        System.out.println("data dir (delete when done): " + dataDir);
    }

    /** Part (a) alone. */
    private void runCreates() throws Exception {
        EmrClient client = client(1, "bench");
        touched = createAndWait(client);
        sequentialCreates(client); // JIT warm-up
        print("accepted CreateVirtualCluster, " + SEQUENTIAL + " sequential", Map.of("create", sequentialCreates(client)));
        print("accepted CreateVirtualCluster, " + THREADS + " threads x " + PER_THREAD,
                Map.of("create", concurrentCreates(client)));
    }

    private void run() throws Exception {
        EmrClient light = client(1, "bench");
        String[] lightIds = createAndWait(light);
        touched = lightIds;
        countsTable = hasCountsTable();
        readLatencies(light, lightIds); // JIT warm-up of the whole read path before the first figures
        reads("reads, empty store (account 1 holds 1 cluster, 1 operation)", light, lightIds);

        print("accepted CreateVirtualCluster, " + SEQUENTIAL + " sequential", Map.of("create", sequentialCreates(light)));
        print("accepted CreateVirtualCluster, " + THREADS + " threads x " + PER_THREAD,
                Map.of("create", concurrentCreates(light)));
        awaitEngineIdle();

        Map<String, Object> template = templateCluster(lightIds[0]);
        long seeded = timed(() -> seed(template, 2, 100, SEED_CLUSTERS, SEED_OPERATIONS));
        System.out.printf("seeded %,d clusters and %,d operations over 100 accounts (2..101) in %,d ms%n",
                SEED_CLUSTERS, SEED_OPERATIONS, seeded);
        reads("reads, spread store (account 1 unchanged; 100 other accounts)", light, lightIds);
        EmrClient spreadAccount = client(50, "spread");
        reads("reads, spread store, as account 50 (100 clusters, 2,000 operations)", spreadAccount, idsOf(50));

        seeded = timed(() -> seed(template, 500, 1, SEED_CLUSTERS, SEED_OPERATIONS));
        System.out.printf("seeded %,d clusters and %,d operations into account 500 in %,d ms%n",
                SEED_CLUSTERS, SEED_OPERATIONS, seeded);
        EmrClient heavy = client(500, "heavy");
        reads("reads, one account holds 10,000 clusters and 200,000 operations (account 500)", heavy, idsOf(500));
        reads("reads, empty account 1 again, store now holds 20,000 clusters and 400,000 operations", light,
                lightIds);
    }

    private EmrClient client(long accountId, String user) {
        Credential c = plane.credentials().create(NewCredential.generated(accountId, user, Role.ADMIN));
        return EmrClient.builder().endpoint("127.0.0.1:" + plane.port()).credentials(c.accessKeyId(), c.secretKey())
                .build();
    }

    private static String[] createAndWait(EmrClient client) throws InterruptedException {
        JsonNode r = client.call("CreateVirtualCluster", newCreate()).path("Result");
        String op = r.path("OperationId").asText();
        while (!"SUCCESS".equals(getOperation(client, op).path("OperationState").asText())) {
            Thread.sleep(20);
        }
        return new String[] {r.path("ClusterId").asText(), op};
    }

    /**
     * A create request of its own (its name is numbered): the same signed request sent again within its
     * X-Date second would be answered as a replay, not run.
     */
    private static String newCreate() {
        return CREATE.replace("\"bench\"", "\"bench-" + CREATES.incrementAndGet() + "\"");
    }

    private static JsonNode getOperation(EmrClient client, String operationId) {
        return client.call("GetOperation", "{\"OperationId\":\"" + operationId + "\"}").path("Result");
    }

    private static double[] sequentialCreates(EmrClient client) {
        double[] ms = new double[SEQUENTIAL];
        for (int i = 0; i < SEQUENTIAL; i++) {
            ms[i] = createOnce(client);
        }
        return ms;
    }

    private static double[] concurrentCreates(EmrClient client) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    double[] ms = new double[PER_THREAD];
                    for (int i = 0; i < PER_THREAD; i++) {
                        ms[i] = createOnce(client);
                    }
                    return ms;
                }));
            }
            double[] all = new double[THREADS * PER_THREAD];
            for (int t = 0; t < THREADS; t++) {
                System.arraycopy(futures.get(t).get(), 0, all, t * PER_THREAD, PER_THREAD);
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static double createOnce(EmrClient client) {
        long start = System.nanoTime();
        JsonNode r = client.call("CreateVirtualCluster", newCreate()).path("Result");
        double ms = (System.nanoTime() - start) / 1e6;
        if (r.path("OperationId").asText().isEmpty()) {
            throw new IllegalStateException("no OperationId: " + r);
        }
        return ms;
    }

    /** Lets the engine finish the creates' createNamespace steps, so reads are measured on a quiet server. */
    private void awaitEngineIdle() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            long open = plane.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM operations WHERE state IN ('ACCEPT', 'RUNNING')").mapTo(Long.class).one());
            if (open == 0) {
                return;
            }
            Thread.sleep(200);
        }
        System.out.println("warning: operations still running after 120 s");
    }

    private void reads(String title, EmrClient client, String[] ids) {
        System.out.println("== " + title);
        print(null, readLatencies(client, ids));
    }

    private Map<String, double[]> readLatencies(EmrClient client, String[] ids) {
        String cluster = "{\"ClusterId\":\"" + ids[0] + "\"}";
        String operation = "{\"OperationId\":\"" + ids[1] + "\"}";
        Map<String, double[]> out = new LinkedHashMap<>();
        out.put("GetVirtualCluster", measure(() -> client.call("GetVirtualCluster", cluster)));
        System.out.printf("   (TotalCount: ListVirtualClusters %s, ListOperations %s)%n",
                client.call("ListVirtualClusters", "{}").path("Result").path("TotalCount").asText(),
                client.call("ListOperations", "{}").path("Result").path("TotalCount").asText());
        out.put("ListVirtualClusters", measure(() -> client.call("ListVirtualClusters", "{\"MaxResults\":10}")));
        out.put("GetOperation", measure(() -> client.call("GetOperation", operation)));
        out.put("ListOperations", measure(() -> client.call("ListOperations", "{\"MaxResults\":10}")));
        out.put("ListOperations(ClusterIds)", measure(() -> client.call("ListOperations",
                "{\"ClusterIds\":[\"" + ids[0] + "\"],\"MaxResults\":10}")));
        return out;
    }

    /**
     * Latency of {@code call}, with a one-row write before each call (not timed): H2 answers a
     * repeated query from its last result while nothing in the database changed, which a live
     * server (heartbeats, other requests) never sees.
     */
    private double[] measure(Supplier<JsonNode> call) {
        for (int i = 0; i < WARMUP; i++) {
            touchStore();
            call.get();
        }
        double[] ms = new double[READS];
        for (int i = 0; i < READS; i++) {
            touchStore();
            long start = System.nanoTime();
            call.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    /** H2 tracks changes per table: every table the reads look at gets a one-row change. */
    private void touchStore() {
        plane.database().jdbi().useTransaction(h -> {
            h.createUpdate("UPDATE clusters SET update_time = update_time + 1 WHERE cluster_id = :id")
                    .bind("id", touched[0]).execute();
            h.createUpdate("UPDATE operations SET update_time = update_time + 1 WHERE operation_id = :id")
                    .bind("id", touched[1]).execute();
            h.createUpdate("UPDATE operation_steps SET attempt = attempt WHERE operation_id = :id")
                    .bind("id", touched[1]).execute();
            if (countsTable) {
                h.createUpdate("UPDATE operation_counts SET total = total WHERE account_id = 1").execute();
            }
        });
    }

    /** Column values of a real cluster row, reused for the seeded ones. */
    private Map<String, Object> templateCluster(String clusterId) {
        return plane.database().jdbi().withHandle(h -> h.createQuery("SELECT * FROM clusters WHERE cluster_id = :id")
                .bind("id", clusterId).mapToMap().one());
    }

    /**
     * Batch-inserts {@code clusters} clusters and {@code operations} SUCCESS CreateCluster
     * operations (one createNamespace step each), spread evenly over {@code accounts} accounts
     * from {@code firstAccount}, created over the last 30 days.
     */
    private void seed(Map<String, Object> t, long firstAccount, int accounts, int clusters, int operations) {
        long now = System.currentTimeMillis();
        long month = 30L * 24 * 3600 * 1000;
        String[] clusterIds = new String[clusters];
        long[] clusterAccounts = new long[clusters];
        plane.database().jdbi().useTransaction(h -> {
            PreparedBatch batch = h.prepareBatch("INSERT INTO clusters (cluster_id, account_id, user_id, creator,"
                    + " cluster_name, release_version, project_name, region, vke_cluster_id, node_pool_ids, namespace,"
                    + " state, create_time, ready_time, update_time) VALUES (:id, :account, 1, 'seed', :name,"
                    + " :release, 'default', :region, :vke, '[]', :id, 'RUNNING', :time, :time, :time)");
            for (int i = 0; i < clusters; i++) {
                clusterIds[i] = Ids.newClusterId();
                clusterAccounts[i] = firstAccount + i % accounts;
                long time = now - ThreadLocalRandom.current().nextLong(month);
                batch.bind("id", clusterIds[i]).bind("account", clusterAccounts[i]).bind("name", "seed-" + i)
                        .bind("release", t.get("release_version")).bind("region", t.get("region"))
                        .bind("vke", t.get("vke_cluster_id")).bind("time", time).add();
                if (batch.size() == 1000) {
                    batch.execute();
                }
            }
            if (batch.size() > 0) {
                batch.execute();
            }
        });
        for (int from = 0; from < operations; from += 10_000) {
            int to = Math.min(operations, from + 10_000);
            int start = from;
            plane.database().jdbi().useTransaction(h -> {
                PreparedBatch ops = h.prepareBatch("INSERT INTO operations (operation_id, account_id, user_id,"
                        + " operator, cluster_id, operation_name, state, content, create_time, update_time, start_time,"
                        + " end_time) VALUES (:id, :account, 1, 'seed', :cluster, 'CreateCluster', 'SUCCESS', '{}',"
                        + " :time, :time, :time, :time)");
                PreparedBatch steps = h.prepareBatch("INSERT INTO operation_steps (operation_id, step_index, step_id,"
                        + " batch_index, action, state, start_time, end_time, attempt) VALUES (:id, 0, 'createNamespace',"
                        + " 0, 'createNamespace', 'SUCCESS', :time, :time, 1)");
                for (int i = start; i < to; i++) {
                    // operation i belongs to cluster i % clusters, so every cluster has ~20 operations
                    int c = i % clusters;
                    String id = Ids.newOperationId();
                    long time = now - ThreadLocalRandom.current().nextLong(month);
                    ops.bind("id", id).bind("account", clusterAccounts[c]).bind("cluster", clusterIds[c])
                            .bind("time", time).add();
                    steps.bind("id", id).bind("time", time).add();
                }
                ops.execute();
                steps.execute();
            });
        }
        countSeededOperations(firstAccount, accounts, operations);
    }

    private boolean hasCountsTable() {
        return plane.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM"
                + " information_schema.tables WHERE table_name = 'operation_counts'").mapTo(Long.class).one() > 0);
    }

    /** What OperationRepository.insert keeps per account (when the store has the operation_counts table). */
    private void countSeededOperations(long firstAccount, int accounts, int operations) {
        if (!countsTable) {
            return;
        }
        plane.database().jdbi().useTransaction(h -> {
            for (long a = firstAccount; a < firstAccount + accounts; a++) {
                long n = operations / accounts + ((a - firstAccount) < operations % accounts ? 1 : 0);
                h.createUpdate("INSERT INTO operation_counts (account_id, stripe, total) VALUES (:a, 100, :n)")
                        .bind("a", a).bind("n", n).execute();
            }
        });
    }

    /** A cluster of the account and one of its operations, from the middle of the seeded rows. */
    private String[] idsOf(long accountId) {
        return plane.database().jdbi().withHandle(h -> {
            String cluster = h.createQuery("SELECT cluster_id FROM clusters WHERE account_id = :a ORDER BY cluster_id"
                    + " LIMIT 1 OFFSET 50").bind("a", accountId).mapTo(String.class).one();
            String op = h.createQuery("SELECT operation_id FROM operations WHERE cluster_id = :c LIMIT 1")
                    .bind("c", cluster).mapTo(String.class).one();
            return new String[] {cluster, op};
        });
    }

    private static long timed(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void print(String title, Map<String, double[]> samples) {
        if (title != null) {
            System.out.println("== " + title);
        }
        samples.forEach((name, ms) -> {
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            System.out.printf("  %-28s n=%-4d p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms%n", name, sorted.length,
                    pct(sorted, 50), pct(sorted, 99), sorted[sorted.length - 1]);
        });
        System.out.flush();
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
