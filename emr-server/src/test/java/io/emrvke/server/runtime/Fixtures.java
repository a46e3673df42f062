package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shared test data: one renderer for the JVM (charts extracted once) and sample release specs. */
final class Fixtures {
    private static ChartRenderer renderer;

    private Fixtures() {
    }

    static synchronized ChartRenderer renderer() {
        if (renderer == null) {
            try {
                Path work = Files.createTempDirectory("emr-charts-test");
                renderer = new ChartRenderer(ChartRepository.extract(work), "registry.example.com/emr");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return renderer;
    }

    static ReleaseSpec spec(String chart, WorkloadKind kind, String release, List<ConfigFileValues> files) {
        return spec(chart, kind, release, new NodePlacement("pool", List.of("big-data")), files);
    }

    static ReleaseSpec spec(String chart, WorkloadKind kind, String release, NodePlacement placement,
                            List<ConfigFileValues> files) {
        return new ReleaseSpec(release, "emr-ns-1", "emr-vke-c1", "Spark", componentOf(chart), chart, kind,
                "emr/" + chart + ":1.0", 2, placement, files);
    }

    static ReleaseSpec deployment(String release, List<ConfigFileValues> files) {
        return spec("spark-history-server", WorkloadKind.DEPLOYMENT, release, files);
    }

    static ReleaseSpec statefulSet(String release, List<ConfigFileValues> files) {
        return spec("celeborn-worker", WorkloadKind.STATEFUL_SET, release, files);
    }

    static ReleaseSpec rayCluster(String release, List<ConfigFileValues> files) {
        return spec("raycluster", WorkloadKind.RAY_CLUSTER, release, files);
    }

    static String componentOf(String chart) {
        StringBuilder out = new StringBuilder();
        for (String part : chart.split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    static ConfigFileValues file(String name, ConfigFormat format, Map<String, String> items) {
        return new ConfigFileValues(name, format, items);
    }

    @SuppressWarnings("unchecked")
    static <T> T at(GenericKubernetesResource object, String... path) {
        Object node = object.getAdditionalProperties();
        for (String p : path) {
            if (node instanceof Map<?, ?> map) {
                node = map.get(p);
            } else if (node instanceof List<?> list) {
                node = list.get(Integer.parseInt(p));
            } else {
                return null;
            }
        }
        return (T) node;
    }
}
