package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.Syntax;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks the objects a chart rendered against the field rules a real API server enforces ({@link KubernetesRules}):
 * names, labels and annotations, ConfigMap and Secret keys and sizes, replica counts, and every pod template's
 * containers (names, images, ports, env names, resource quantities with requests within limits). A RayCluster's
 * pod templates are checked as the pods the KubeRay operator makes of them: its CRD checks little of them, but
 * the API server refuses the pods. The sandbox accepts what it is given, so this is what stands between a bad
 * value and an instance that never runs on a real cluster: used when a request is accepted and before apply.
 */
public final class ObjectValidation {
    /** Bytes of all annotations of one object (keys and values). */
    public static final int MAX_ANNOTATION_BYTES = Syntax.ANNOTATIONS_MAX_BYTES;
    /** Bytes of a ConfigMap's or Secret's data (decoded). */
    public static final int MAX_DATA_BYTES = Syntax.DATA_MAX_BYTES;
    private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");

    /**
     * One field a real API server would refuse.
     *
     * @param object  kind and name, e.g. {@code RayCluster raycluster-ab12}
     * @param path    the field in the object, e.g. {@code spec.template.spec.containers[0].resources.limits.cpu}
     * @param value   the refused value as the object holds it (text of a number), for finding where it came from
     * @param problem what is wrong and what is accepted, starting with the quoted value
     */
    public record Violation(String object, String path, String value, String problem) {
        public String describe() {
            return object + " " + path + " " + problem;
        }
    }

    private final String object;
    private final List<Violation> found = new ArrayList<>();

    private ObjectValidation(GenericKubernetesResource o) {
        this.object = o.getKind() + " " + o.getMetadata().getName();
    }

    /** Every violation of every object of the release, objects in apply order. */
    public static List<Violation> violations(RenderedRelease release) {
        return release.objects().stream().flatMap(o -> violations(o).stream()).toList();
    }

    /** RuntimeFailure INVALID_OBJECT naming the first violation: a clear failure instead of the server's 422. */
    public static void requireValid(RenderedRelease release) {
        List<Violation> violations = violations(release);
        if (!violations.isEmpty()) {
            throw new RuntimeFailure(RuntimeFailure.Reason.INVALID_OBJECT, "instance " + release.spec().releaseName()
                    + " would be refused by Kubernetes: " + violations.get(0).describe() + more(violations.size()));
        }
    }

    /** {@code ""}, or how many more problems there are after the first. */
    public static String more(int violations) {
        return violations <= 1 ? "" : " (and " + (violations - 1) + " more)";
    }

    public static List<Violation> violations(GenericKubernetesResource o) {
        ObjectValidation check = new ObjectValidation(o);
        check.metadata(o);
        Map<String, Object> fields = o.getAdditionalProperties();
        ObjectKind kind = ObjectKind.of(o.getApiVersion(), o.getKind());
        if (kind.isWorkload()) {
            WorkloadAdapters.of(kind.workload()).checkSpec(check, map(fields.get("spec")));
        } else if (kind == ObjectKind.CONFIG_MAP || kind == ObjectKind.SECRET) {
            check.data("data", fields.get("data"), kind == ObjectKind.SECRET);
        } else if (kind == ObjectKind.SERVICE) {
            check.service(map(fields.get("spec")));
        }
        return List.copyOf(check.found);
    }

    // ------------------------------------------------------------------ objects

    private void metadata(GenericKubernetesResource o) {
        ObjectMeta meta = o.getMetadata();
        Function<String, Optional<String>> nameRule = o.getKind().equals(ObjectKind.SERVICE.kind())
                ? KubernetesRules::dns1035Label : KubernetesRules::dnsSubdomain;
        rule("metadata.name", meta.getName(), nameRule);
        labels("metadata.labels", meta.getLabels());
        annotations("metadata.annotations", meta.getAnnotations());
    }

    private void data(String path, Object data, boolean base64) {
        long bytes = 0;
        for (Map.Entry<String, Object> e : map(data).entrySet()) {
            rule(path, e.getKey(), KubernetesRules::dataKey);
            if (!(e.getValue() instanceof String value)) {
                violation(path + "." + e.getKey(), base64 ? "(value not shown)" : e.getValue(), "must be a string");
            } else {
                bytes += base64 ? decodedLength(path + "." + e.getKey(), value) : utf8Length(value);
            }
        }
        if (bytes > MAX_DATA_BYTES) {
            violation(path, bytes, "holds " + bytes + " bytes; a ConfigMap or Secret holds at most "
                    + MAX_DATA_BYTES);
        }
    }

    private void service(Map<String, Object> spec) {
        labels("spec.selector", stringMap(spec.get("selector")));
        List<Object> ports = list(spec.get("ports"));
        for (int i = 0; i < ports.size(); i++) {
            String at = "spec.ports[" + i + "]";
            Map<String, Object> port = map(ports.get(i));
            whole(at + ".port", port.get("port"), KubernetesRules::portNumber);
            if (port.get("name") != null || ports.size() > 1) {
                rule(at + ".name", port.get("name"), KubernetesRules::dnsLabel);
            }
            Object target = port.get("targetPort");
            if (target instanceof String named) {
                rule(at + ".targetPort", named, KubernetesRules::portName);
            } else if (target != null) {
                whole(at + ".targetPort", target, KubernetesRules::portNumber);
            }
        }
    }

    /** A Deployment's or StatefulSet's spec: its size and its one pod template. */
    void replicatedWorkload(Map<String, Object> spec) {
        if (spec.containsKey("replicas")) {
            whole("spec.replicas", spec.get("replicas"), KubernetesRules::count);
        }
        podTemplate("spec.template", map(spec.get("template")));
    }

    // ------------------------------------------------------------------ pods

    void podTemplate(String path, Map<String, Object> template) {
        Map<String, Object> metadata = map(template.get("metadata"));
        labels(path + ".metadata.labels", stringMap(metadata.get("labels")));
        annotations(path + ".metadata.annotations", stringMap(metadata.get("annotations")));
        Map<String, Object> spec = map(template.get("spec"));
        labels(path + ".spec.nodeSelector", stringMap(spec.get("nodeSelector")));
        List<Object> containers = list(spec.get("containers"));
        if (containers.isEmpty()) {
            violation(path + ".spec.containers", "[]", "must hold at least one container");
        }
        for (int i = 0; i < containers.size(); i++) {
            container(path + ".spec.containers[" + i + "]", map(containers.get(i)));
        }
    }

    private void container(String path, Map<String, Object> c) {
        rule(path + ".name", c.get("name"), KubernetesRules::dnsLabel);
        image(path + ".image", c.get("image"));
        Object pullPolicy = c.get("imagePullPolicy");
        if (pullPolicy != null && !PULL_POLICIES.contains(String.valueOf(pullPolicy))) {
            violation(path + ".imagePullPolicy", pullPolicy, "is not an image pull policy: one of " + PULL_POLICIES);
        }
        strings(path + ".args", c.get("args"));
        strings(path + ".command", c.get("command"));
        containerPorts(path + ".ports", list(c.get("ports")));
        env(path + ".env", list(c.get("env")));
        resources(path + ".resources", map(c.get("resources")));
    }

    private void image(String path, Object image) {
        if (!(image instanceof String s) || s.isEmpty()) {
            violation(path, image, "is required: the container's image");
        } else if (!s.equals(s.strip())) {
            violation(path, s, "must not have leading or trailing whitespace");
        }
    }

    private void strings(String path, Object list) {
        if (list == null) {
            return;
        }
        if (!(list instanceof List<?> items)) {
            violation(path, list, "must be a list of strings");
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof String)) {
                violation(path + "[" + i + "]", items.get(i), "must be a string");
            }
        }
    }

    private void containerPorts(String path, List<Object> ports) {
        for (int i = 0; i < ports.size(); i++) {
            Map<String, Object> port = map(ports.get(i));
            whole(path + "[" + i + "].containerPort", port.get("containerPort"), KubernetesRules::portNumber);
            if (port.get("name") != null) {
                rule(path + "[" + i + "].name", port.get("name"), KubernetesRules::portName);
            }
        }
    }

    private void env(String path, List<Object> env) {
        for (int i = 0; i < env.size(); i++) {
            String at = path + "[" + i + "]";
            Map<String, Object> variable = map(env.get(i));
            rule(at + ".name", variable.get("name"), KubernetesRules::envVarName);
            Object value = variable.get("value");
            if (value != null && !(value instanceof String)) {
                violation(at + ".value", value, "must be a string");
            }
            Object key = map(map(variable.get("valueFrom")).get("secretKeyRef")).get("key");
            if (key != null) {
                rule(at + ".valueFrom.secretKeyRef.key", key, KubernetesRules::dataKey);
            }
        }
    }

    private void resources(String path, Map<String, Object> resources) {
        Map<String, BigDecimal> limits = quantities(path + ".limits", map(resources.get("limits")));
        Map<String, BigDecimal> requests = quantities(path + ".requests", map(resources.get("requests")));
        requests.forEach((name, request) -> {
            BigDecimal limit = limits.get(name);
            if (limit != null && request.compareTo(limit) > 0) {
                Object requested = map(resources.get("requests")).get(name);
                violation(path + ".requests." + name, requested, "is more than its limit "
                        + KubernetesRules.quoted(map(resources.get("limits")).get(name))
                        + ": a request must not exceed the limit");
            }
        });
    }

    /** The valid, non-negative quantities of a requests or limits block by resource name; the rest reported. */
    private Map<String, BigDecimal> quantities(String path, Map<String, Object> block) {
        Map<String, BigDecimal> valid = new LinkedHashMap<>();
        block.forEach((name, value) -> {
            rule(path, name, KubernetesRules::containerResourceName);
            String text = KubernetesRules.text(value);
            Optional<BigDecimal> amount = value instanceof Boolean || value == null ? Optional.empty()
                    : KubernetesRules.quantityValue(text);
            if (amount.isEmpty()) {
                report(path + "." + name, value, KubernetesRules.quantity(text));
            } else if (amount.get().signum() < 0) {
                violation(path + "." + name, value, "must not be negative");
            } else {
                valid.put(name, amount.get());
            }
        });
        return valid;
    }

    // ------------------------------------------------------------------ labels and annotations

    private void labels(String path, Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            rule(path, key, KubernetesRules::qualifiedName);
            rule(path + "." + key, value == null ? "" : value, KubernetesRules::labelValue);
        });
    }

    private void annotations(String path, Map<String, String> annotations) {
        if (annotations == null) {
            return;
        }
        long bytes = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            // the API server checks annotation keys lower-cased
            rule(path, e.getKey().toLowerCase(Locale.ROOT), KubernetesRules::qualifiedName);
            bytes += utf8Length(e.getKey()) + (e.getValue() == null ? 0 : utf8Length(e.getValue()));
        }
        if (bytes > MAX_ANNOTATION_BYTES) {
            violation(path, bytes, "hold " + bytes + " bytes; an object's annotations hold at most "
                    + MAX_ANNOTATION_BYTES);
        }
    }

    // ------------------------------------------------------------------ plumbing

    /** A text field checked by {@code rule}; missing or not text is a violation of its own. */
    void rule(String path, Object value, Function<String, Optional<String>> rule) {
        if (value == null) {
            violation(path, null, "is required");
        } else if (value instanceof String text) {
            report(path, value, rule.apply(text));
        } else {
            violation(path, value, "must be a string");
        }
    }

    /** A whole-number field checked by {@code rule} (which also refuses a missing value). */
    void whole(String path, Object value, Function<Object, Optional<String>> rule) {
        report(path, value, rule.apply(value));
    }

    private void report(String path, Object value, Optional<String> problem) {
        problem.ifPresent(p -> found.add(new Violation(object, path, KubernetesRules.text(value), p)));
    }

    void violation(String path, Object value, String problem) {
        String shown = KubernetesRules.quoted(value) + " " + problem;
        found.add(new Violation(object, path, KubernetesRules.text(value), shown));
    }

    private long decodedLength(String path, String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            violation(path, "(value not shown)", "is not base64: Secret data must be base64-encoded");
            return 0;
        }
    }

    private static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A YAML mapping with its keys as text (a key such as {@code 1} or {@code true} parses as a number). */
    static Map<String, Object> map(Object node) {
        if (!(node instanceof Map<?, ?> m)) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static Map<String, String> stringMap(Object node) {
        if (!(node instanceof Map<?, ?> m)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
