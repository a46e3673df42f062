package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** Not a test: prints render timings (run with the test classpath, see the runtime report). */
public final class RenderBenchmark {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        ChartRepository charts = ChartRepository.extract(Files.createTempDirectory("bench"));
        long t1 = System.nanoTime();
        System.out.printf("extract charts: %.1f ms (from %s)%n", (t1 - t0) / 1e6,
                ChartRepository.class.getProtectionDomain().getCodeSource().getLocation());
        try (ChartRenderer renderer = new ChartRenderer(charts, "cr.example.com/emr")) {
            List<ConfigFileValues> files = List.of(
                    new ConfigFileValues("spark-defaults.conf", ConfigFormat.PROPERTIES, Map.of("spark.a", "1", "spark.b", "2")),
                    new ConfigFileValues("__envs__", ConfigFormat.ENV, Map.of("A", "1", "DB_PASSWORD", "x")));
            for (String chart : charts.chartNames()) {
                WorkloadKind kind = chart.equals("raycluster") ? WorkloadKind.RAY_CLUSTER
                        : chart.startsWith("celeborn") || chart.startsWith("zookeeper") ? WorkloadKind.STATEFUL_SET
                        : WorkloadKind.DEPLOYMENT;
                ReleaseSpec spec = new ReleaseSpec(chart + "-1", "ns", "c1", "App", "Comp", chart, kind, "img:1", 2, NodePlacement.ANY_NODE, files);
                long first = System.nanoTime();
                renderer.render(spec);
                long firstMs = System.nanoTime() - first;
                int n = 50;
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    renderer.render(spec);
                }
                System.out.printf("%-22s first %.1f ms, then %.2f ms per render (helm + parse, %d runs)%n",
                        chart, firstMs / 1e6, (System.nanoTime() - start) / 1e6 / n, n);
            }
        }
    }
}
