package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where the pod templates of a workload live: one for Deployments/StatefulSets, one per group of a RayCluster. */
public final class PodTemplates {
    private PodTemplates() {
    }

    /** The pod templates of a workload (live maps of the object: changes write through). */
    public static List<Map<String, Object>> of(GenericKubernetesResource workload) {
        List<Map<String, Object>> templates = new ArrayList<>();
        for (String pointer : pointers(workload)) {
            Map<String, Object> template = resolve(workload, pointer);
            if (template != null) {
                templates.add(template);
            }
        }
        return templates;
    }

    /** JSON pointers (RFC 6901) of the pod templates, for JSON patches. */
    public static List<String> pointers(GenericKubernetesResource workload) {
        WorkloadKind kind = ObjectKind.of(workload.getApiVersion(), workload.getKind()).workload();
        if (kind == null) {
            throw new IllegalArgumentException(workload.getKind() + " is not a workload: it has no pod templates");
        }
        return WorkloadAdapters.of(kind).podTemplatePointers(workload);
    }

    /** Annotations of a pod template, created when absent. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> annotations(Map<String, Object> template) {
        Map<String, Object> metadata = (Map<String, Object>) template.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
        return (Map<String, String>) metadata.computeIfAbsent("annotations", k -> new LinkedHashMap<String, String>());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource object) {
        Object spec = object.getAdditionalProperties().get("spec");
        return spec instanceof Map ? (Map<String, Object>) spec : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolve(GenericKubernetesResource object, String pointer) {
        Object node = object.getAdditionalProperties();
        for (String part : pointer.substring(1).split("/")) {
            if (node instanceof Map<?, ?> map) {
                node = map.get(part);
            } else if (node instanceof List<?> list) {
                node = list.get(Integer.parseInt(part));
            } else {
                return null;
            }
        }
        return node instanceof Map ? (Map<String, Object>) node : null;
    }
}
