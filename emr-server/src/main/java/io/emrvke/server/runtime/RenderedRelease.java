package io.emrvke.server.runtime;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

/**
 * The objects one revision of a release consists of, as rendered by its chart.
 *
 * @param spec           what was rendered
 * @param objects        every object, in apply order (config first, workload last)
 * @param configChecksum sha256 of the rendered config and secrets (pod template annotation)
 * @param renderNanos    time helm took
 */
public record RenderedRelease(ReleaseSpec spec, List<GenericKubernetesResource> objects, String configChecksum,
                              long renderNanos) {
    public RenderedRelease {
        objects = List.copyOf(objects);
    }

    public GenericKubernetesResource workload() {
        return objects.stream().filter(o -> ObjectKind.of(o.getApiVersion(), o.getKind()).isWorkload())
                .findFirst().orElseThrow();
    }

    public java.util.Optional<GenericKubernetesResource> find(ObjectKind kind, String name) {
        return objects.stream()
                .filter(o -> o.getKind().equals(kind.kind()) && o.getMetadata().getName().equals(name))
                .findFirst();
    }
}
