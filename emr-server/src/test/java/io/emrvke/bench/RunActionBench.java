package io.emrvke.bench;

import static io.emrvke.bench.BenchOperations.awaitEnd;
import static io.emrvke.bench.BenchOperations.loadAverage;
import static io.emrvke.bench.BenchOperations.percentile;
import static io.emrvke.bench.BenchOperations.requireSuccess;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.RunningServer;
import io.emrvke.server.ServerConfig;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RunApplicationAction through the API and the engine (run on demand: bench/run-action-bench.sh,
 * never by mvn test). A whole server in-process on the embedded store (H2) with its sandbox (pods
 * ready D ms after scheduling), rate limit off; one cluster with Ray and N extra RayCluster
 * instances of one head pod each ({@link RayInstances}), so restarting one is one pod-ready wait.
 *
 * <p>(a) Accepted latency: C closed-loop clients, client i owning instance i; each sends a signed
 * RunApplicationAction restart of its instance, times the call until it is accepted (OperationId
 * back), then polls GetOperation (every 250 ms) until the operation ends, and sends the next one. Distinct
 * instances, so no request conflicts; the engine meanwhile runs up to C restarts.
 *
 * <p>(b) Engine overhead: one operation restarting all N instances at batch sizes 1, 10 and N;
 * the operation's EndTime - StartTime against the ideal ceil(N / batchSize) x D, with where the
 * rest went (time to pick the operation up, per batch, between batches).
 *
 * <p>Environment: BENCH_DATABASE_URL runs it on another store than the embedded H2; BENCH_ONLY=latency skips (b).
 *
 * <p>Arguments (optional): pod ready delay ms D (500), instances N (50), client counts for (a), comma-separated
 * ("1,32"), seconds of measurement per client count (30); {@code --kubeconfig FILE} anywhere runs on that API
 * server instead of the in-process sandbox (e.g. {@code emr-vke sandbox --pod-ready-ms D} in another process,
 * so that its controllers do not share this JVM; D must then match the sandbox's).
 */
public final class RunActionBench {
    /** How often a latency client polls GetOperation while its restart runs. */
    private static final long POLL_MILLIS = 250;

    private final EmrClient client;
    private final String clusterId;
    private final List<String> instances;
    private final long readyMs;
    private final AtomicInteger requests = new AtomicInteger();

    private RunActionBench(EmrClient client, String clusterId, List<String> instances, long readyMs) {
        this.client = client;
        this.clusterId = clusterId;
        this.instances = instances;
        this.readyMs = readyMs;
    }

    public static void main(String[] argv) throws Exception {
        BenchTarget target = BenchTarget.parse(argv);
        long readyMs = Long.parseLong(target.arg(0, "500"));
        int count = Integer.parseInt(target.arg(1, "50"));
        int[] clientCounts = Arrays.stream(target.arg(2, "1,32").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.parseInt(target.arg(3, "30"));
        if (Arrays.stream(clientCounts).anyMatch(c -> c > count || c < 1)) {
            throw new IllegalArgumentException("clients (" + Arrays.toString(clientCounts)
                    + ") must be between 1 and the instances (" + count + ")");
        }
        System.out.printf(Locale.ROOT, "target: %s; %d cores; load average at start: %s%n", target.describe(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        // BENCH_DATABASE_URL: another store (e.g. PostgreSQL, or H2 with other settings) instead of the embedded one
        String databaseUrl = System.getenv("BENCH_DATABASE_URL");
        System.out.println("store: " + (databaseUrl == null ? "embedded H2 (default URL)" : databaseUrl));
        try (RunningServer server = RunningServer.start(c -> {
            ServerConfig config = target.configure(c, readyMs).withRateLimit(0, 0);
            return databaseUrl == null ? config : config.withDatabaseUrl(databaseUrl);
        })) {
            Credential admin = server.credential(1, "bench", Role.ADMIN);
            EmrClient client = client(server, admin);
            long t0 = System.currentTimeMillis();
            String clusterId = createCluster(client, target.name());
            List<String> instances = RayInstances.create(client, clusterId, count);
            System.out.printf(Locale.ROOT, "cluster %s with %d one-pod RayCluster instances in %d ms; D = %d ms%n",
                    clusterId, count, System.currentTimeMillis() - t0, readyMs);
            RunActionBench bench = new RunActionBench(client, clusterId, instances, readyMs);

            bench.acceptedLatency(server, admin, clientCounts[clientCounts.length - 1], 5, false); // warm-up
            for (int clients : clientCounts) {
                bench.acceptedLatency(server, admin, clients, seconds, true);
            }

            if ("latency".equals(System.getenv("BENCH_ONLY"))) {
                return;
            }
            bench.restartAll(count, false); // warm-up
            for (int batchSize : new int[] {1, 10, count}) {
                Thread.sleep(2_000); // let the previous run's status writes settle
                bench.restartAll(batchSize, true);
            }
        }
    }

    // --- (a) accepted latency --------------------------------------------------------------------

    private void acceptedLatency(RunningServer server, Credential admin, int clients, int seconds, boolean report)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong notSucceeded = new AtomicLong();
        String loadBefore = loadAverage();
        long started = System.nanoTime();
        Instant wallStart = Instant.now();
        List<Future<long[]>> results = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String instance = instances.get(i);
            EmrClient own = client(server, admin);
            results.add(pool.submit(() -> clientLoop(own, instance, deadline, notSucceeded)));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : results) {
            for (long l : f.get()) {
                all.add(l);
            }
        }
        long elapsed = System.nanoTime() - started;
        pool.shutdown();
        if (!report) {
            return;
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%n(a) RunApplicationAction restart accepted latency, %d clients on distinct"
                        + " instances, %d s:%n    %d accepted (%.1f/s), %d operations not SUCCESS;"
                        + " p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 25 ms)%n"
                        + "    load average before %s, after %s; window %s%n",
                clients, seconds, sorted.length, sorted.length / (elapsed / 1e9), notSucceeded.get(),
                ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(percentile(sorted, 99)),
                ms(sorted[sorted.length - 1]), loadBefore, loadAverage(), window(wallStart));
    }

    /** Restart, time the acceptance, wait for the end, repeat: returns the acceptance latencies (ns). */
    private long[] clientLoop(EmrClient own, String instance, long deadline, AtomicLong notSucceeded) {
        long[] latencies = new long[100_000];
        int n = 0;
        while (System.nanoTime() < deadline) {
            long t = System.nanoTime();
            String operationId = own.call("RunApplicationAction", restart(List.of(instance), 1)).path("Result")
                    .path("OperationId").asText();
            latencies[n++] = System.nanoTime() - t;
            JsonNode op = awaitEnd(own, operationId, POLL_MILLIS);
            if (!"SUCCESS".equals(op.path("OperationState").asText())) {
                notSucceeded.incrementAndGet();
            }
        }
        return Arrays.copyOf(latencies, n);
    }

    // --- (b) engine overhead ---------------------------------------------------------------------

    private void restartAll(int batchSize, boolean report) {
        String loadBefore = loadAverage();
        Instant wallStart = Instant.now();
        long submitted = System.currentTimeMillis();
        String operationId = client.call("RunApplicationAction", restart(instances, batchSize)).path("Result")
                .path("OperationId").asText();
        JsonNode op = awaitEnd(client, operationId, 20);
        long observed = System.currentTimeMillis();
        if (!"SUCCESS".equals(op.path("OperationState").asText())) {
            throw new IllegalStateException("restart at batch size " + batchSize + " did not succeed: " + op);
        }
        if (!report) {
            return;
        }
        int n = instances.size();
        int batches = (n + batchSize - 1) / batchSize;
        long ideal = batches * readyMs;
        long opStart = op.path("StartTime").asLong();
        long opEnd = op.path("EndTime").asLong();
        long span = opEnd - opStart;
        List<JsonNode> steps = new ArrayList<>();
        op.path("Steps").forEach(steps::add);
        long[] stepMs = steps.stream().mapToLong(s -> s.path("EndTime").asLong() - s.path("StartTime").asLong())
                .sorted().toArray();
        long batchSum = 0;
        long gapSum = 0;
        long previousEnd = -1;
        for (int b = 0; b < batches; b++) {
            List<JsonNode> batch = steps.subList(b * batchSize, Math.min(n, (b + 1) * batchSize));
            long first = batch.stream().mapToLong(s -> s.path("StartTime").asLong()).min().orElseThrow();
            long last = batch.stream().mapToLong(s -> s.path("EndTime").asLong()).max().orElseThrow();
            batchSum += last - first;
            if (previousEnd >= 0) {
                gapSum += first - previousEnd;
            }
            previousEnd = last;
        }
        long firstStepStart = steps.stream().mapToLong(s -> s.path("StartTime").asLong()).min().orElseThrow();
        long limit = ideal + ideal / 10 + 100;
        System.out.printf(Locale.ROOT, "%n(b) restart %d instances, batchSize %d (%d batches): ideal %d ms,"
                        + " operation EndTime-StartTime %d ms (%.2fx ideal; target <= %d ms: %s)%n"
                        + "    accepted->StartTime %d ms, StartTime->first step %d ms, batches %d ms in all"
                        + " (mean %.0f ms per batch), between batches %d ms in all (mean %.1f ms),"
                        + " last step->EndTime %d ms%n"
                        + "    step EndTime-StartTime: min %d, median %d, p90 %d, max %d ms;"
                        + " client submit->terminal seen %d ms%n    load average before %s, after %s; window %s%n",
                n, batchSize, batches, ideal, span, span / (double) ideal, limit, span <= limit ? "met" : "MISSED",
                opStart - op.path("CreateTime").asLong(), firstStepStart - opStart, batchSum,
                batchSum / (double) batches, gapSum, batches > 1 ? gapSum / (double) (batches - 1) : 0.0,
                opEnd - previousEnd, stepMs[0], percentile(stepMs, 50), percentile(stepMs, 90),
                stepMs[stepMs.length - 1], observed - submitted, loadBefore, loadAverage(), window(wallStart));
    }

    // --- requests --------------------------------------------------------------------------------

    private Map<String, Object> restart(List<String> names, int batchSize) {
        return RayInstances.restart(clusterId, names, batchSize, "bench-" + requests.incrementAndGet());
    }

    private static String createCluster(EmrClient client, String vkeClusterId) {
        JsonNode r = client.call("CreateVirtualCluster", Map.of("ClusterName", "run-action-bench", "ReleaseVersion",
                "EMR-VKE-1.8.0", "VkeCluster", Map.of("VkeClusterId", vkeClusterId),
                "Applications", List.of(Map.of("ApplicationName", "Ray")))).path("Result");
        requireSuccess(awaitEnd(client, r.path("OperationId").asText(), 50));
        return r.path("ClusterId").asText();
    }

    private static EmrClient client(RunningServer server, Credential c) {
        return EmrClient.builder().endpoint(server.endpoint()).credentials(c.accessKeyId(), c.secretKey()).build();
    }

    // --- figures ---------------------------------------------------------------------------------

    /** When a measure ran (UTC), to cut a profile of the whole run (JFR) down to it. */
    private static String window(Instant from) {
        return from + " .. " + Instant.now();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
