package io.emrvke.bench;

import io.emrvke.server.application.ReleaseSpecs;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.runtime.ActionResult;
import io.emrvke.server.runtime.ChartRenderer;
import io.emrvke.server.runtime.ChartRepository;
import io.emrvke.server.runtime.InstanceState;
import io.emrvke.server.runtime.KubernetesRuntime;
import io.emrvke.server.runtime.NodePlacement;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RestartTokens;
import io.emrvke.server.runtime.TargetRegistry;
import io.emrvke.server.sandbox.Sandbox;
import io.emrvke.server.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runtime restart overhead (run on demand: bench/restart-bench.sh, never by mvn test), on the embedded sandbox or,
 * with {@code --kubeconfig FILE}, on a real Kubernetes API server (the same command; there the controller-manager
 * rolls the Deployments and the nodes decide when a pod is ready). Deploys N one-pod Deployments
 * (SparkHistoryServer of EMR-VKE-1.8.0) through the runtime, restarts them one at a time and then all at once, and
 * on the sandbox compares the elapsed time with the ideal (sequential pod-ready waits × D); then measures this
 * JVM's CPU while the N instances sit idle (the sandbox included; a real control plane's processes not).
 *
 * <p>Arguments (all optional; {@code --kubeconfig FILE} anywhere): instances (50), the sandbox's pod ready delay
 * ms D (500), idle seconds (20).
 */
public final class RestartBench {
    /** A namespace of its own per run: a real API server may still be deleting the previous run's. */
    private static final String NS = "emr-bench-" + Long.toString(System.currentTimeMillis(), 36);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    public static void main(String[] args) throws Exception {
        BenchTarget target = BenchTarget.parse(args);
        int instances = Integer.parseInt(target.arg(0, "50"));
        long readyMs = Long.parseLong(target.arg(1, "500"));
        int idleSeconds = Integer.parseInt(target.arg(2, "20"));
        System.out.printf(Locale.ROOT, "target: %s; %d cores; load average at start: %s%n", target.describe(),
                Runtime.getRuntime().availableProcessors(), BenchOperations.loadAverage());
        ExecutorService threads = Executors.newFixedThreadPool(instances);
        try (Sandbox sandbox = target.real() ? null : Sandbox.start(SandboxConfig.inMemory(readyMs));
             ChartRenderer renderer = new ChartRenderer(ChartRepository.extract(Files.createTempDirectory("emr-bench-charts")), "");
             TargetRegistry registry = new TargetRegistry(renderer)) {
            KubernetesRuntime runtime = sandbox == null ? registry.register(BenchTarget.REAL, target.kubeconfig(), null)
                    : registry.register(TargetRegistry.SANDBOX,
                            new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build());
            runtime.start();
            runtime.ensureNamespace(NS, Map.of());
            try {
                measure(runtime, instances, sandbox == null ? -1 : readyMs, idleSeconds, threads);
            } finally {
                if (sandbox == null) {
                    runtime.deleteNamespace(NS); // the sandbox's store goes with the JVM; a real one stays
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** {@code readyMs} -1: not known here (a real cluster's nodes decide); without a D > 0 no ideal and no target. */
    private static void measure(KubernetesRuntime runtime, int instances, long readyMs, int idleSeconds,
                                ExecutorService threads) throws InterruptedException {
        List<ReleaseSpec> specs = deploy(runtime, instances, threads);
        System.out.printf(Locale.ROOT, "%d Deployments running in %s on %s, pod ready delay D = %s%n", instances, NS,
                runtime.targetName(), readyMs >= 0 ? readyMs + " ms" : "as the nodes make it");

        restartSequentially(runtime, specs); // warm-up: JIT, connection pool
        long sequential = restartSequentially(runtime, specs);
        report("sequential restarts", sequential, instances, instances * readyMs);
        long concurrent = restartConcurrently(runtime, specs, threads);
        concurrent = Math.min(concurrent, restartConcurrently(runtime, specs, threads));
        report("concurrent restarts (best of 2)", concurrent, instances, readyMs);

        Thread.sleep(5_000); // let the last status writes, JIT and GC settle
        double cpu = idleCpuPercent(idleSeconds);
        System.out.printf(Locale.ROOT, "idle CPU of this JVM with %d running instances over %d s: %.2f%% of one core"
                + " (target < 2%%); load average now %s%n", instances, idleSeconds, cpu, BenchOperations.loadAverage());
    }

    private static List<ReleaseSpec> deploy(KubernetesRuntime runtime, int instances, ExecutorService threads) {
        ApplicationSpec spark = Catalog.loadBundled().release("EMR-VKE-1.8.0").orElseThrow().application("Spark").orElseThrow();
        List<ReleaseSpec> specs = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            specs.add(ReleaseSpecs.forInstance("emr-bench", NS, String.format(Locale.ROOT, "shs-%02d", i), spark,
                    spark.component("SparkHistoryServer").orElseThrow(), Map.of(), NodePlacement.ANY_NODE));
        }
        CompletableFuture.allOf(specs.stream().map(s -> CompletableFuture.runAsync(() -> runtime.apply(s), threads))
                .toArray(CompletableFuture[]::new)).join();
        specs.forEach(s -> runtime.awaitRunning(s.ref(), TIMEOUT));
        return specs;
    }

    private static long restartSequentially(KubernetesRuntime runtime, List<ReleaseSpec> specs) {
        long start = System.nanoTime();
        for (ReleaseSpec spec : specs) {
            check(runtime.restart(spec.ref(), RestartTokens.now(), TIMEOUT));
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long restartConcurrently(KubernetesRuntime runtime, List<ReleaseSpec> specs, ExecutorService threads) {
        String token = RestartTokens.now();
        long cpuBefore = BenchOperations.processCpuNanos();
        long start = System.nanoTime();
        List<CompletableFuture<Long>> each = specs.stream().map(s -> CompletableFuture.supplyAsync(() -> {
            check(runtime.restart(s.ref(), token, TIMEOUT));
            return (System.nanoTime() - start) / 1_000_000;
        }, threads)).toList();
        CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).join();
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        long cpuMs = (BenchOperations.processCpuNanos() - cpuBefore) / 1_000_000;
        List<Long> done = each.stream().map(CompletableFuture::join).sorted().toList();
        // process CPU (sandbox and runtime share the JVM) varies less with other load than the elapsed time
        System.out.printf(Locale.ROOT, "  concurrent: first done %d ms, median %d ms, last %d ms; process CPU %d ms%n",
                done.get(0), done.get(done.size() / 2), done.get(done.size() - 1), cpuMs);
        return elapsed;
    }

    private static void check(ActionResult result) {
        if (result.outcome() != ActionResult.Outcome.APPLIED || result.status().state() != InstanceState.RUNNING) {
            throw new IllegalStateException("restart did not end RUNNING: " + result);
        }
    }

    private static void report(String what, long elapsedMs, int instances, long idealMs) {
        System.out.printf(Locale.ROOT, "%-32s %7d ms  (%.0f ms per instance)", what, elapsedMs,
                elapsedMs / (double) instances);
        if (idealMs > 0) {
            long target = Math.round(idealMs * 1.1) + 100;
            System.out.printf(Locale.ROOT, "  ideal %6d ms  ratio %.3f  target <= %d ms: %s", idealMs,
                    (double) elapsedMs / idealMs, target, elapsedMs <= target ? "MET" : "MISSED");
        }
        System.out.println();
    }

    private static double idleCpuPercent(int seconds) throws InterruptedException {
        long cpuBefore = BenchOperations.processCpuNanos();
        long wallBefore = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long cpu = BenchOperations.processCpuNanos() - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        return 100.0 * cpu / wall;
    }
}
