package io.emrvke.server.runtime;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reading the metadata and spec fields of an object the runtime writes, and addressing them in JSON patches. */
final class ObjectFields {
    private ObjectFields() {
    }

    static String annotation(GenericKubernetesResource object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    static String label(GenericKubernetesResource object, String key) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    static long generation(GenericKubernetesResource object) {
        return object.getMetadata().getGeneration() == null ? 0 : object.getMetadata().getGeneration();
    }

    /** {@code spec.replicas}; 1 when absent, as the API server defaults it. */
    static int replicas(GenericKubernetesResource workload) {
        Object replicas = PodTemplates.spec(workload).get("replicas");
        return replicas instanceof Number n ? n.intValue() : 1;
    }

    static boolean suspended(GenericKubernetesResource workload) {
        return Boolean.TRUE.equals(PodTemplates.spec(workload).get("suspend"));
    }

    /** An annotation of the first pod template, or null. */
    static String templateAnnotation(GenericKubernetesResource workload, String key) {
        List<Map<String, Object>> templates = PodTemplates.of(workload);
        return templates.isEmpty() ? null : PodTemplates.annotations(templates.get(0)).get(key);
    }

    /** A map key as one JSON pointer (RFC 6901) token: annotation keys hold '/'. */
    static String pointerKey(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** What is left of a deadline taken with {@link System#nanoTime()}, at least a millisecond. */
    static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }
}
