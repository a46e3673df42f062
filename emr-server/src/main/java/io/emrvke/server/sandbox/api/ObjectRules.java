package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What the API server itself writes into objects: identity and timestamps on create, the fields
 * clients may not change on update, {@code metadata.generation} counting spec changes, status as each
 * kind's strategy resets it on create, and the defaults kubectl reads back (namespace label and phase,
 * pod QoS class, a CRD's Established condition).
 */
final class ObjectRules {
    /** Kinds whose strategy keeps {@code metadata.generation} (custom resources always do). */
    private static final Set<String> GENERATION_KINDS = Set.of("Pod", "Deployment", "StatefulSet", "ReplicaSet",
            "DaemonSet", "Job", "CronJob", "ReplicationController", "HorizontalPodAutoscaler", "PodDisruptionBudget",
            "Ingress", "NetworkPolicy", "CustomResourceDefinition");
    /** Kinds whose DELETE answers the object (the others answer a Status). */
    private static final Set<String> DELETE_RETURNS_OBJECT = Set.of("Pod", "Service", "Namespace");
    /** Metadata only the server sets: whatever a client sends there is dropped. */
    private static final List<String> SERVER_METADATA = List.of("uid", "resourceVersion", "creationTimestamp",
            "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink", "managedFields");
    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ObjectRules() {
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static boolean tracksGeneration(ResourceType type) {
        return type.custom() || GENERATION_KINDS.contains(type.kind());
    }

    static boolean deleteReturnsObject(ResourceType type) {
        return DELETE_RETURNS_OBJECT.contains(type.kind()) && !type.custom();
    }

    /** {@code generateName} plus five random characters, as the API server names them. */
    static String generatedName(String prefix) {
        StringBuilder s = new StringBuilder(prefix);
        for (int i = 0; i < 5; i++) {
            s.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
        }
        return s.toString();
    }

    /** Sets what a create sets; {@code obj} is the client's object (already a private copy). */
    static void prepareCreate(ResourceType type, ObjectNode obj) {
        ObjectNode meta = Json.meta(obj);
        SERVER_METADATA.forEach(meta::remove);
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", now());
        if (tracksGeneration(type)) {
            meta.put("generation", 1);
        }
        if (type.is("", "pods")) {
            containersWithResources(obj);
        }
        if (type.hasStatus()) {
            resetStatus(type, obj);
        }
        if (type.is("", "namespaces")) {
            meta.withObjectProperty("labels").put("kubernetes.io/metadata.name", Json.name(obj));
            if (!obj.path("spec").has("finalizers")) {
                obj.withObjectProperty("spec").putArray("finalizers").add("kubernetes");
            }
        }
        if (type.is("apiextensions.k8s.io", "customresourcedefinitions")) {
            establish(obj);
        }
    }

    /** A container's resources are a struct, never omitted: the API server answers {@code resources: {}}. */
    private static void containersWithResources(ObjectNode pod) {
        for (String group : List.of("initContainers", "containers")) {
            for (JsonNode c : pod.path("spec").path(group)) {
                if (c.isObject() && !c.has("resources")) {
                    ((ObjectNode) c).putObject("resources");
                }
            }
        }
    }

    /** A kind's status on create: what its strategy keeps of the client's status. */
    private static void resetStatus(ResourceType type, ObjectNode obj) {
        switch (type.custom() ? "" : type.kind()) {
            case "Node" -> { } // a node registers with its status
            case "Pod" -> obj.putObject("status").put("phase", "Pending").put("qosClass", qosClass(obj));
            case "Namespace" -> obj.putObject("status").put("phase", "Active");
            default -> obj.remove("status");
        }
    }

    /**
     * The object an update stores: the client's {@code desired} with the server-owned metadata of
     * {@code current}, status kept from {@code current} unless {@code writesStatus}, and the generation
     * bumped when the spec changed.
     */
    static ObjectNode prepareUpdate(ResourceType type, ObjectNode desired, JsonNode current, boolean writesStatus) {
        ObjectNode meta = Json.meta(desired);
        JsonNode old = current.path("metadata");
        for (String f : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                "generation")) {
            if (old.has(f)) {
                meta.set(f, old.get(f));
            } else {
                meta.remove(f);
            }
        }
        meta.remove("managedFields");
        meta.remove("selfLink");
        if (type.hasStatus() && !writesStatus) {
            if (current.has("status")) {
                desired.set("status", current.get("status"));
            } else {
                desired.remove("status");
            }
        }
        if (tracksGeneration(type) && specChanged(type, desired, current)) {
            meta.put("generation", old.path("generation").asLong(0) + 1);
        }
        if (type.is("apiextensions.k8s.io", "customresourcedefinitions")) {
            establish(desired);
        }
        return desired;
    }

    private static JsonNode withoutNodeName(JsonNode spec) {
        if (!spec.isObject()) {
            return spec;
        }
        ObjectNode copy = ((ObjectNode) spec).deepCopy();
        copy.remove("nodeName");
        return copy;
    }

    /** Built-ins count changes of {@code spec}; custom resources of everything but metadata (and status). */
    private static boolean specChanged(ResourceType type, JsonNode a, JsonNode b) {
        if (type.is("", "pods")) { // binding sets spec.nodeName without counting as a change of the spec
            return !Json.sameJson(withoutNodeName(a.path("spec")), withoutNodeName(b.path("spec")));
        }
        if (!type.custom()) {
            return !Json.sameJson(a.path("spec"), b.path("spec"));
        }
        ObjectNode x = ((ObjectNode) a).deepCopy();
        ObjectNode y = ((ObjectNode) b).deepCopy();
        for (ObjectNode o : List.of(x, y)) {
            o.remove("metadata");
            if (type.hasStatus()) {
                o.remove("status");
            }
        }
        return !Json.sameJson(x, y);
    }

    /** A stored object with {@code status} replaced by the one in {@code desired} (a status write). */
    static ObjectNode withStatusOf(JsonNode current, JsonNode desired) {
        ObjectNode next = ((ObjectNode) current).deepCopy();
        if (desired.has("status")) {
            next.set("status", desired.get("status").deepCopy());
        } else {
            next.remove("status");
        }
        return next;
    }

    /** Names accepted and established at once: there is no conflict checking controller here. */
    private static void establish(ObjectNode crd) {
        ObjectNode status = crd.putObject("status");
        ArrayNode conditions = status.putArray("conditions");
        String now = now();
        conditions.addObject().put("type", "NamesAccepted").put("status", "True").put("lastTransitionTime", now)
                .put("reason", "NoConflicts").put("message", "no conflicts found");
        conditions.addObject().put("type", "Established").put("status", "True").put("lastTransitionTime", now)
                .put("reason", "InitialNamesAccepted").put("message", "the initial names have been accepted");
        status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
        ArrayNode stored = status.putArray("storedVersions");
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("storage").asBoolean(false)) {
                stored.add(v.path("name").asText());
            }
        }
    }

    /** Guaranteed when every container limits cpu and memory at its requests, BestEffort with none at all. */
    static String qosClass(JsonNode pod) {
        boolean any = false;
        boolean guaranteed = true;
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                JsonNode requests = c.path("resources").path("requests");
                JsonNode limits = c.path("resources").path("limits");
                any |= requests.size() > 0 || limits.size() > 0;
                for (String r : List.of("cpu", "memory")) {
                    JsonNode limit = limits.get(r);
                    JsonNode request = requests.get(r);
                    guaranteed &= limit != null && (request == null || request.asText().equals(limit.asText()));
                }
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
