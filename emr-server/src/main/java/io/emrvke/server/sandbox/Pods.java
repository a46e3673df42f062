package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.ArrayList;
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

    /** A new pod from a workload's pod template, owned (as controller) by the workload. */
    static ObjectNode fromTemplate(JsonNode owner, JsonNode template, String name, Map<String, String> extraLabels) {
        ObjectNode pod = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata").put("name", name)
                .put("namespace", owner.path("metadata").path("namespace").asText());
        ObjectNode labels = meta.putObject("labels");
        template.path("metadata").path("labels").fields().forEachRemaining(f -> labels.set(f.getKey(), f.getValue()));
        extraLabels.forEach(labels::put);
        if (template.path("metadata").has("annotations")) {
            meta.set("annotations", template.path("metadata").get("annotations").deepCopy());
        }
        meta.putArray("ownerReferences").addObject()
                .put("apiVersion", owner.path("apiVersion").asText())
                .put("kind", owner.path("kind").asText())
                .put("name", owner.path("metadata").path("name").asText())
                .put("uid", owner.path("metadata").path("uid").asText())
                .put("controller", true).put("blockOwnerDeletion", true);
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

    /** The controlling owner reference, or a missing node. */
    static JsonNode controller(JsonNode obj) {
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref;
            }
        }
        return JSON.missingNode();
    }

    /** Pods in {@code namespace} whose controller is {@code kind/name} (any uid). */
    static List<JsonNode> controlledBy(ObjectStore store, String namespace, String kind, String name) {
        List<JsonNode> pods = new ArrayList<>();
        for (JsonNode pod : store.list(collection(namespace))) {
            JsonNode ref = controller(pod);
            if (kind.equals(ref.path("kind").asText()) && name.equals(ref.path("name").asText())) {
                pods.add(pod);
            }
        }
        return pods;
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
