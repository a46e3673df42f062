package io.emrvke.server.runtime;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A workload for testing one adapter without an API server: patches are applied to an in-memory object (merge
 * patch per RFC 7386, JSON patch add/remove per RFC 6902, generation bumped on a spec change), and the status is
 * what a settled controller would report for the object as it now is ({@code controller}).
 */
final class FakeLiveWorkload implements LiveWorkload {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private final InstanceRef ref;
    private final Function<GenericKubernetesResource, InstanceStatus> controller;
    private GenericKubernetesResource object;
    final List<Object> patches = new ArrayList<>();
    final List<String> waitedFor = new ArrayList<>();

    FakeLiveWorkload(GenericKubernetesResource object, Function<GenericKubernetesResource, InstanceStatus> controller) {
        this.object = JSON.clone(object);
        if (this.object.getMetadata().getGeneration() == null) {
            this.object.getMetadata().setGeneration(1L);
        }
        this.ref = new InstanceRef("emr-ns-1", object.getMetadata().getName());
        this.controller = controller;
    }

    @Override
    public InstanceRef ref() {
        return ref;
    }

    @Override
    public GenericKubernetesResource object() {
        return object;
    }

    @Override
    public GenericKubernetesResource mergePatch(Map<String, Object> patch) {
        patches.add(patch);
        Map<String, Object> doc = asMap();
        merge(doc, patch);
        return replace(doc);
    }

    @Override
    public GenericKubernetesResource jsonPatch(List<Map<String, Object>> ops) {
        patches.add(ops);
        Map<String, Object> doc = asMap();
        for (Map<String, Object> op : ops) {
            apply(doc, (String) op.get("op"), (String) op.get("path"), op.get("value"));
        }
        return replace(doc);
    }

    @Override
    public InstanceStatus waitFor(String goal, Predicate<InstanceStatus> condition, Duration timeout) {
        waitedFor.add(goal);
        InstanceStatus status = status();
        if (!condition.test(status)) {
            throw new RuntimeFailure(RuntimeFailure.Reason.TIMEOUT, "would wait forever to " + goal + ": " + status);
        }
        return status;
    }

    @Override
    public InstanceStatus status() {
        return controller.apply(object);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap() {
        return JSON.convertValue(object, LinkedHashMap.class);
    }

    private GenericKubernetesResource replace(Map<String, Object> doc) {
        GenericKubernetesResource next = JSON.convertValue(doc, GenericKubernetesResource.class);
        long generation = object.getMetadata().getGeneration();
        boolean specChanged = !JSON.asJson(next.getAdditionalProperties().get("spec"))
                .equals(JSON.asJson(object.getAdditionalProperties().get("spec")));
        next.getMetadata().setGeneration(specChanged ? generation + 1 : generation);
        object = next;
        return JSON.clone(object);
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> target, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map<?, ?> m && target.get(key) instanceof Map<?, ?> t) {
                merge((Map<String, Object>) t, (Map<String, Object>) m);
            } else if (value instanceof Map<?, ?> m) {
                Map<String, Object> created = new LinkedHashMap<>();
                merge(created, (Map<String, Object>) m);
                target.put(key, created);
            } else {
                target.put(key, value);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static void apply(Map<String, Object> doc, String op, String path, Object value) {
        String[] tokens = path.substring(1).split("/");
        Object parent = doc;
        for (int i = 0; i < tokens.length - 1; i++) {
            String token = unescape(tokens[i]);
            parent = parent instanceof List<?> list ? list.get(Integer.parseInt(token)) : ((Map<String, Object>) parent).get(token);
            if (parent == null) {
                throw new IllegalArgumentException("no parent for " + path);
            }
        }
        String last = unescape(tokens[tokens.length - 1]);
        Map<String, Object> map = (Map<String, Object>) parent;
        switch (op) {
            case "add" -> map.put(last, value);
            case "remove" -> {
                if (map.remove(last) == null) {
                    throw new IllegalArgumentException("nothing to remove at " + path);
                }
            }
            default -> throw new IllegalArgumentException("unsupported op " + op);
        }
    }

    private static String unescape(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }
}
