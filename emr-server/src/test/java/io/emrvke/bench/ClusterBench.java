package io.emrvke.bench;

import static io.emrvke.bench.BenchOperations.awaitEnd;
import static io.emrvke.bench.BenchOperations.loadAverage;
import static io.emrvke.bench.BenchOperations.percentile;
import static io.emrvke.bench.BenchOperations.processCpuNanos;
import static io.emrvke.bench.BenchOperations.requireSuccess;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.RunningServer;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Create-cluster and restart times through the API, on the embedded sandbox or on a real Kubernetes control plane
 * with the same command (run on demand: bench/cluster-bench.sh [--kubeconfig FILE], never by mvn test). A whole
 * server in-process (embedded H2 store, rate limit off); with {@code --kubeconfig} it has no sandbox and one target
 * "real", as {@code serve --no-sandbox --kubeconfig FILE --target-name real}. Every call is a signed HTTP call.
 *
 * <p>(a) Create: for each set of applications, one first run and then R runs of CreateVirtualCluster until its
 * operation is SUCCESS, each followed by DeleteVirtualCluster until SUCCESS; the figure is the operation's
 * EndTime - CreateTime (accepted to done, as the server recorded it).
 *
 * <p>(b) Restart: one cluster with Ray and N extra one-head RayCluster instances ({@link RayInstances}); then one
 * first run and R runs of one RunApplicationAction restarting all N at batchSize N (side by side) and at
 * batchSize 1 (one after another); figures per run (EndTime - CreateTime) and per step (one instance's restart).
 *
 * <p>Arguments (optional, positional; {@code --kubeconfig FILE} anywhere): runs R (5), instances N (10), sets of
 * applications separated by ':' with the applications of one set separated by ',' ("Ray:" followed by every
 * application of EMR-VKE-1.8.0). The sandbox's pods are Ready as soon as they are scheduled, as KWOK's
 * {@code pod/fast} stages make them on e2e/realk8s.
 */
public final class ClusterBench {
    private static final String RELEASE = "EMR-VKE-1.8.0";
    private static final String EVERY_APPLICATION = "Spark,Ray,Celeborn,Hive,ZooKeeper,Kyuubi";
    /** How often the bench polls GetOperation; the figures come from the operation's own times, not from this. */
    private static final long POLL_MILLIS = 50;
    /** The sandbox's pod start-up time: 0, as the real plane's KWOK nodes (pod/fast stages: Ready on binding). */
    private static final long SANDBOX_POD_READY_MS = 0;

    private final EmrClient client;
    private final BenchTarget target;
    private final AtomicInteger requests = new AtomicInteger();

    private ClusterBench(EmrClient client, BenchTarget target) {
        this.client = client;
        this.target = target;
    }

    /** One operation's time from accepted to ended, and its steps' times by what they did. */
    private record Timing(long millis, Map<String, List<Long>> steps) {
    }

    public static void main(String[] argv) throws Exception {
        BenchTarget target = BenchTarget.parse(argv);
        int runs = Integer.parseInt(target.arg(0, "5"));
        int instances = Integer.parseInt(target.arg(1, "10"));
        List<List<String>> applicationSets = Arrays.stream(target.arg(2, "Ray:" + EVERY_APPLICATION).split(":"))
                .map(set -> List.of(set.split(","))).toList();
        if (runs < 1 || instances < 1) {
            throw new IllegalArgumentException("runs (" + runs + ") and instances (" + instances + ") must be >= 1");
        }
        System.out.printf(Locale.ROOT, "target: %s; %d cores; load average at start: %s%n", target.describe(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        try (RunningServer server = RunningServer.start(c -> target.configure(c, SANDBOX_POD_READY_MS)
                .withRateLimit(0, 0))) {
            Credential admin = server.credential(1, "bench", Role.ADMIN);
            EmrClient client = EmrClient.builder().endpoint(server.endpoint())
                    .credentials(admin.accessKeyId(), admin.secretKey()).build();
            ClusterBench bench = new ClusterBench(client, target);
            for (List<String> applications : applicationSets) {
                bench.creates(applications, runs);
            }
            bench.restarts(instances, runs);
        }
    }

    // --- (a) create ------------------------------------------------------------------------------

    private void creates(List<String> applications, int runs) {
        String load = loadAverage();
        long cpu = processCpuNanos();
        Timing first = createAndDelete(applications).get(0);
        List<Timing> created = new ArrayList<>();
        List<Timing> deleted = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            List<Timing> both = createAndDelete(applications);
            created.add(both.get(0));
            deleted.add(both.get(1));
        }
        System.out.printf(Locale.ROOT, "%n(a) CreateVirtualCluster %s on %s, %d runs after a first one:%n", applications,
                target.name(), runs);
        System.out.printf(Locale.ROOT, "    create: %s (first run %d ms)%n", spread(created), first.millis());
        System.out.printf(Locale.ROOT, "    delete: %s%n", spread(deleted));
        System.out.printf(Locale.ROOT, "    slowest steps of the create (median over the runs): %s%n", slowestSteps(created, 4));
        footer(load, cpu);
    }

    /** Create with {@code applications} until SUCCESS, then delete until SUCCESS: the two operations' times. */
    private List<Timing> createAndDelete(List<String> applications) {
        List<Map<String, String>> apps = applications.stream().map(a -> Map.of("ApplicationName", a)).toList();
        JsonNode accepted = client.call("CreateVirtualCluster", Map.of("ClusterName", "bench-" + requests.incrementAndGet(),
                "ReleaseVersion", RELEASE, "VkeCluster", Map.of("VkeClusterId", target.name()), "Applications", apps))
                .path("Result");
        Timing created = timing(awaitSuccess(accepted));
        Timing deleted = timing(awaitSuccess(client.call("DeleteVirtualCluster",
                Map.of("ClusterId", accepted.path("ClusterId").asText())).path("Result")));
        return List.of(created, deleted);
    }

    // --- (b) restart -----------------------------------------------------------------------------

    private void restarts(int instances, int runs) {
        JsonNode accepted = client.call("CreateVirtualCluster", Map.of("ClusterName", "bench-restarts",
                "ReleaseVersion", RELEASE, "VkeCluster", Map.of("VkeClusterId", target.name()),
                "Applications", List.of(Map.of("ApplicationName", "Ray")))).path("Result");
        awaitSuccess(accepted);
        String clusterId = accepted.path("ClusterId").asText();
        long started = System.nanoTime();
        List<String> names = RayInstances.create(client, clusterId, instances);
        System.out.printf(Locale.ROOT, "%n(b) %d one-head RayCluster instances created side by side in %d ms%n",
                instances, (System.nanoTime() - started) / 1_000_000);
        for (int batchSize : instances == 1 ? new int[] {1} : new int[] {instances, 1}) {
            restartRuns(clusterId, names, batchSize, runs);
        }
        awaitSuccess(client.call("DeleteVirtualCluster", Map.of("ClusterId", clusterId)).path("Result"));
    }

    private void restartRuns(String clusterId, List<String> names, int batchSize, int runs) {
        String load = loadAverage();
        long cpu = processCpuNanos();
        Timing first = restart(clusterId, names, batchSize);
        List<Timing> timings = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            timings.add(restart(clusterId, names, batchSize));
        }
        long[] steps = timings.stream().flatMap(t -> t.steps().values().stream()).flatMap(List::stream)
                .mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "(b) RunApplicationAction restart of %d instances, batchSize %d, on %s,"
                + " %d runs after a first one:%n", names.size(), batchSize, target.name(), runs);
        System.out.printf(Locale.ROOT, "    operation: %s (first run %d ms)%n", spread(timings), first.millis());
        System.out.printf(Locale.ROOT, "    one instance's step (%d): p50 %d ms, p95 %d ms, max %d ms%n", steps.length,
                percentile(steps, 50), percentile(steps, 95), steps[steps.length - 1]);
        footer(load, cpu);
    }

    private Timing restart(String clusterId, List<String> names, int batchSize) {
        return timing(awaitSuccess(client.call("RunApplicationAction", RayInstances.restart(clusterId, names,
                batchSize, "bench-" + requests.incrementAndGet())).path("Result")));
    }

    // --- figures ---------------------------------------------------------------------------------

    private JsonNode awaitSuccess(JsonNode accepted) {
        return requireSuccess(awaitEnd(client, accepted.path("OperationId").asText(), POLL_MILLIS));
    }

    /** EndTime - CreateTime: from the request's acceptance to the operation's end, as the server recorded them. */
    private static Timing timing(JsonNode op) {
        Map<String, List<Long>> steps = new LinkedHashMap<>();
        for (JsonNode s : op.path("Steps")) {
            String what = s.path("Action").asText() + (s.hasNonNull("ComponentName") ? " "
                    + s.path("ApplicationName").asText() + "/" + s.path("ComponentName").asText() : "");
            steps.computeIfAbsent(what, k -> new ArrayList<>())
                    .add(s.path("EndTime").asLong() - s.path("StartTime").asLong());
        }
        return new Timing(op.path("EndTime").asLong() - op.path("CreateTime").asLong(), steps);
    }

    private static String spread(List<Timing> timings) {
        long[] sorted = timings.stream().mapToLong(Timing::millis).sorted().toArray();
        return String.format(Locale.ROOT, "p50 %d ms, p95 %d ms, min %d ms, max %d ms", percentile(sorted, 50),
                percentile(sorted, 95), sorted[0], sorted[sorted.length - 1]);
    }

    /** The {@code count} kinds of step with the longest median, e.g. "install Ray/RayCluster 812 ms". */
    private static String slowestSteps(List<Timing> timings, int count) {
        Map<String, List<Long>> all = new LinkedHashMap<>();
        timings.forEach(t -> t.steps().forEach((what, ms) -> all.computeIfAbsent(what, k -> new ArrayList<>()).addAll(ms)));
        return all.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), percentile(e.getValue().stream().mapToLong(Long::longValue).sorted()
                        .toArray(), 50)))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(count)
                .map(e -> e.getKey() + " " + e.getValue() + " ms").collect(Collectors.joining(", "));
    }

    /** What the machine did meanwhile: other jobs share its cores; on the sandbox this JVM's CPU includes it. */
    private static void footer(String loadBefore, long cpuBefore) {
        System.out.printf(Locale.ROOT, "    load average before %s, after %s; CPU of this JVM %d ms%n", loadBefore,
                loadAverage(), (processCpuNanos() - cpuBefore) / 1_000_000);
    }
}
