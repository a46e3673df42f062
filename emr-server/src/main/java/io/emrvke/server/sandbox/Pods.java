package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/** Pod helpers shared by the controllers: build from a template, ownership, readiness. */
final class Pods {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Pods() {
    }

    static String collection(String namespace) {
        return ApiPath.collection("", "v1", namespace, "pods");
    }

    static String path(String namespace, String name) {
        return collection(namespace) + "/" + name;
    }

    static String randomSuffix() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            s.append(JsonTools.SAFE_CHARS.charAt(RANDOM.nextInt(JsonTools.SAFE_CHARS.length())));
        }
        return s.toString();
    }

    /**
     * A new pod from a workload's pod template, owned (as controller) by the workload. {@code generateName},
     * when not null, is recorded as the prefix the name was generated from.
     */
    static ObjectNode fromTemplate(JsonNode owner, JsonNode template, String name, String generateName,
                                   Map<String, String> extraLabels) {
        ObjectNode pod = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata");
        if (generateName != null) {
            meta.put("generateName", generateName);
        }
        meta.put("name", name).put("namespace", owner.path("metadata").path("namespace").asText());
        ObjectNode labels = meta.putObject("labels");
        template.path("metadata").path("labels").fields().forEachRemaining(f -> labels.set(f.getKey(), f.getValue()));
        extraLabels.forEach(labels::put);
        if (template.path("metadata").has("annotations")) {
            meta.set("annotations", template.path("metadata").get("annotations").deepCopy());
        }
        meta.putArray("ownerReferences").add(Owners.controllerRef(owner));
        ObjectNode spec = template.path("spec").isObject() ? template.get("spec").deepCopy() : JSON.createObjectNode();
        if (!spec.has("restartPolicy")) {
            spec.put("restartPolicy", "Always");
        }
        if (!spec.has("schedulerName")) {
            spec.put("schedulerName", "default-scheduler");
        }
        pod.set("spec", spec);
        pod.putObject("status").put("phase", "Pending");
        return pod;
    }

    /**
     * Creates a pod named {@code base} plus a random suffix, as generateName does (another suffix when the
     * name is taken); returns it as stored, or null when five names in a row were taken.
     */
    static JsonNode createGenerated(ObjectStore store, JsonNode owner, JsonNode template, String base,
                                    Map<String, String> extraLabels) {
        String ns = owner.path("metadata").path("namespace").asText();
        for (int attempt = 0; attempt < 5; attempt++) {
            JsonNode created = store.create(collection(ns),
                    fromTemplate(owner, template, base + randomSuffix(), base, extraLabels));
            if (created != null) {
                return created;
            }
        }
        return null;
    }

    /** The control-loop lane of a workload: its reconciles and its pods' kubelet steps run in order there. */
    static String lane(String namespace, String workloadName) {
        return namespace + "/" + workloadName;
    }

    /** The lane of a pod: its controlling workload's, or its own when it has none. */
    static String lane(JsonNode pod) {
        JsonNode owner = controller(pod);
        return lane(pod.path("metadata").path("namespace").asText(),
                owner.isMissingNode() ? name(pod) : owner.path("name").asText());
    }

    /** The controlling owner reference, or a missing node. */
    static JsonNode controller(JsonNode obj) {
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref;
            }
        }
        return JSON.missingNode();
    }

    /**
     * The pods {@code owner} controls (adopting orphans its selector matches), listing only those carrying
     * {@code selector} (its pods' labels): every reconcile lists, so listing the whole namespace made each one
     * cost O(pods in the namespace).
     */
    static List<JsonNode> controlledBy(ObjectStore store, JsonNode owner, Map<String, String> selector,
                                       JsonNode fullSelector) {
        String ns = owner.path("metadata").path("namespace").asText();
        return Owners.claim(store, owner, fullSelector, store.list(collection(ns) + labelQuery(selector)),
                p -> path(ns, name(p)));
    }

    /** The label selector of a Deployment/StatefulSet ({@code spec.selector.matchLabels}); empty if none. */
    static Map<String, String> matchLabels(JsonNode workload) {
        Map<String, String> labels = new java.util.TreeMap<>();
        if (workload != null) {
            workload.path("spec").path("selector").path("matchLabels").fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }

    static String labelQuery(Map<String, String> selector) {
        if (selector.isEmpty()) {
            return "";
        }
        StringBuilder query = new StringBuilder();
        selector.forEach((k, v) -> query.append(query.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return "?labelSelector=" + java.net.URLEncoder.encode(query.toString(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static String uid(JsonNode obj) {
        return obj.path("metadata").path("uid").asText();
    }

    static String name(JsonNode obj) {
        return obj.path("metadata").path("name").asText();
    }

    static String label(JsonNode obj, String key) {
        return obj.path("metadata").path("labels").path(key).asText(null);
    }

    /** What a workload controller reads from a pod: labels, owner, deletion, phase and readiness. */
    static String controllerFacts(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        return meta.path("labels") + "|" + controller(pod) + "|" + meta.path("deletionTimestamp").asText("")
                + "|" + pod.path("status").path("phase").asText("") + "|" + isReady(pod);
    }

    static boolean isReady(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    /** Deletes each pod; pods already gone are fine. */
    static void deleteAll(ObjectStore store, List<JsonNode> pods) {
        for (JsonNode pod : pods) {
            store.delete(path(pod.path("metadata").path("namespace").asText(), name(pod)));
        }
    }
}
