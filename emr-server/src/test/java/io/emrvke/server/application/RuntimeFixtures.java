package io.emrvke.server.application;

import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.runtime.ChartRenderer;
import io.emrvke.server.runtime.ChartRepository;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** Shared test data: the bundled catalog's EMR-VKE-1.8.0 and one chart renderer per JVM. */
final class RuntimeFixtures {
    static final String RELEASE = "EMR-VKE-1.8.0";
    private static ChartRenderer renderer;
    private static Release release;

    private RuntimeFixtures() {
    }

    static synchronized ChartRenderer renderer() {
        if (renderer == null) {
            try {
                renderer = new ChartRenderer(ChartRepository.extract(Files.createTempDirectory("emr-charts-app-test")), "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return renderer;
    }

    static synchronized Release release() {
        if (release == null) {
            release = Catalog.loadBundled().release(RELEASE).orElseThrow();
        }
        return release;
    }

    static ApplicationSpec app(String name) {
        return release().application(name).orElseThrow();
    }

    static ComponentSpec component(String app, String component) {
        return app(app).component(component).orElseThrow();
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
