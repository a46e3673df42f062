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
import java.lang.management.ManagementFactory;
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
 * Runtime restart overhead on the sandbox (run on demand: bench/restart-bench.sh, never by mvn test).
 * Deploys N one-pod Deployments (SparkHistoryServer of EMR-VKE-1.8.0) through the runtime, restarts them one at a
 * time and then all at once, and compares the elapsed time with the ideal (sequential pod-ready waits × D);
 * then measures the process's CPU while the N instances sit idle.
 *
 * <p>Arguments (all optional): instances (50), pod ready delay ms D (500), idle seconds (20).
 */
public final class RestartBench {
    private static final String NS = "emr-bench";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long readyMs = args.length > 1 ? Long.parseLong(args[1]) : 500;
        int idleSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        ExecutorService threads = Executors.newFixedThreadPool(instances);
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(readyMs));
             ChartRenderer renderer = new ChartRenderer(ChartRepository.extract(Files.createTempDirectory("emr-bench-charts")), "");
             TargetRegistry registry = new TargetRegistry(renderer)) {
            KubernetesRuntime runtime = (KubernetesRuntime) registry.register(TargetRegistry.SANDBOX,
                    new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(sandbox.clientConfig()).build());
            runtime.start();
            runtime.ensureNamespace(NS, Map.of());
            List<ReleaseSpec> specs = deploy(runtime, instances, threads);
            System.out.printf(Locale.ROOT, "%d Deployments running, pod ready delay D = %d ms%n", instances, readyMs);

            restartSequentially(runtime, specs); // warm-up: JIT, connection pool
            long sequential = restartSequentially(runtime, specs);
            report("sequential restarts", sequential, instances * readyMs);
            long concurrent = restartConcurrently(runtime, specs, threads);
            concurrent = Math.min(concurrent, restartConcurrently(runtime, specs, threads));
            report("concurrent restarts (best of 2)", concurrent, readyMs);

            Thread.sleep(5_000); // let the last status writes, JIT and GC settle
            double cpu = idleCpuPercent(idleSeconds);
            System.out.printf(Locale.ROOT, "idle CPU with %d running instances over %d s: %.2f%% of one core (target < 2%%)%n",
                    instances, idleSeconds, cpu);
        } finally {
            threads.shutdownNow();
        }
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
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        List<CompletableFuture<Long>> each = specs.stream().map(s -> CompletableFuture.supplyAsync(() -> {
            check(runtime.restart(s.ref(), token, TIMEOUT));
            return (System.nanoTime() - start) / 1_000_000;
        }, threads)).toList();
        CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).join();
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        long cpuMs = (processCpuNanos() - cpuBefore) / 1_000_000;
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

    private static void report(String what, long elapsedMs, long idealMs) {
        long target = Math.round(idealMs * 1.1) + 100;
        System.out.printf(Locale.ROOT, "%-32s %7d ms  ideal %6d ms  ratio %.3f  target <= %d ms: %s%n", what, elapsedMs,
                idealMs, (double) elapsedMs / idealMs, target, elapsedMs <= target ? "MET" : "MISSED");
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double idleCpuPercent(int seconds) throws InterruptedException {
        long cpuBefore = processCpuNanos();
        long wallBefore = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long cpu = processCpuNanos() - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        return 100.0 * cpu / wall;
    }
}
