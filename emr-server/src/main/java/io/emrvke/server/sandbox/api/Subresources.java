package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The subresources beyond status: {@code scale} (an autoscaling/v1 Scale over spec.replicas, or the
 * paths a CRD names), {@code pods/binding}, {@code pods/log} from the kubelet's hook, the access reviews
 * kubectl auth sends, and a clear refusal of what needs running containers (exec, attach, port-forward).
 */
final class Subresources {
    private static final List<String> NEEDS_CONTAINERS = List.of("exec", "attach", "portforward");
    private final Resources resources;
    private volatile PodLogs podLogs = PodLogs.NONE;

    Subresources(Resources resources) {
        this.resources = resources;
    }

    void podLogs(PodLogs logs) {
        podLogs = logs == null ? PodLogs.NONE : logs;
    }

    static boolean refused(String subresource) {
        return NEEDS_CONTAINERS.contains(subresource);
    }

    /** exec, attach, port-forward: the pod must exist (404 as usual), then a 400 that says why not. */
    Reply refuse(ApiRequest req, ResourceType pods) {
        pod(req, pods);
        String what = req.path().subresource().equals("portforward") ? "port-forward" : req.path().subresource();
        throw ApiError.badRequest(what + " is not supported by the sandbox: its containers are simulated and do not"
                + " run (use a real cluster for kubectl " + what + ")");
    }

    private ObjectNode pod(ApiRequest req, ResourceType pods) {
        ResourcePath p = req.path();
        ObjectNode pod = resources.storage.read(() -> resources.storage.get(Resources.resourceKey(pods), p.namespace(),
                p.name()));
        if (pod == null) {
            throw ApiError.notFound(pods, p.name());
        }
        return pod;
    }

    // ------------------------------------------------------------------ scale

    /** Where a kind keeps its replica counts and selector: spec.replicas for built-ins, the CRD's paths else. */
    private record ScalePaths(String specReplicas, String statusReplicas, String selector) {
    }

    private ScalePaths pathsOf(ResourceType type) {
        if (!type.custom()) {
            return new ScalePaths(".spec.replicas", ".status.replicas", null);
        }
        JsonNode scale = resources.catalog.crdVersion(type.group(), type.plural(), type.version())
                .path("subresources").path("scale");
        return new ScalePaths(scale.path("specReplicasPath").asText(".spec.replicas"),
                scale.path("statusReplicasPath").asText(".status.replicas"),
                scale.path("labelSelectorPath").asText(null));
    }

    private static List<String> steps(String dotted) {
        List<String> out = new ArrayList<>();
        for (String s : dotted.replaceFirst("^\\.", "").split("\\.")) {
            out.add(s);
        }
        return out;
    }

    private static JsonNode at(JsonNode obj, String dotted) {
        JsonNode n = obj;
        for (String s : steps(dotted)) {
            n = n.path(s);
        }
        return n;
    }

    Reply scale(ApiRequest req, ResourceType type) {
        ResourcePath p = req.path();
        ScalePaths paths = pathsOf(type);
        if (req.method().equals("GET")) {
            ObjectNode obj = resources.storage.read(() -> resources.storage.get(Resources.resourceKey(type),
                    p.namespace(), p.name()));
            if (obj == null) {
                throw ApiError.notFound(type, p.name());
            }
            return Reply.json(200, scaleOf(type, obj, paths));
        }
        if (!req.method().equals("PUT") && !req.method().equals("PATCH")) {
            throw ApiError.methodNotAllowed();
        }
        JsonNode body = req.method().equals("PUT") ? req.json("Scale") : Resources.patchBody(req, SCALE);
        boolean dryRun = req.dryRun();
        return resources.storage.write(() -> {
            ObjectNode current = resources.storage.get(Resources.resourceKey(type), p.namespace(), p.name());
            if (current == null) {
                throw ApiError.notFound(type, p.name());
            }
            ObjectNode scale = scaleOf(type, current, paths);
            JsonNode wanted = req.method().equals("PUT") ? body : Resources.applyPatch(req.mediaType(), scale, body);
            String rv = wanted.path("metadata").path("resourceVersion").asText("");
            if (!rv.isEmpty() && !rv.equals(current.path("metadata").path("resourceVersion").asText())) {
                throw ApiError.conflict(type, p.name());
            }
            JsonNode replicas = wanted.path("spec").path("replicas");
            if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
                throw ApiError.invalid("Scale.autoscaling", "autoscaling", "Scale", p.name(), List.of(new Cause(
                        "FieldValueInvalid", "spec.replicas", "Invalid value: " + replicas.asText("null")
                        + ": must be greater than or equal to 0")));
            }
            ObjectNode next = current.deepCopy();
            set(next, paths.specReplicas(), replicas.asInt());
            if (Json.sameJson(next, current)) {
                return Reply.json(200, scale);
            }
            Json.meta(next).put("generation", current.path("metadata").path("generation").asLong(0) + 1);
            resources.check(type, next, current);
            if (dryRun) {
                return Reply.json(200, scaleOf(type, next, paths));
            }
            ObjectNode stored = resources.rewrite(type, current, next, req.method(), p.mainPath() + "/scale");
            return Reply.json(200, scaleOf(type, stored, paths));
        });
    }

    /** The Scale kind itself, for patching a Scale (strategic merge allowed: it is a built-in type). */
    private static final ResourceType SCALE = new ResourceType("autoscaling", "v1", "scale", "scale", "Scale", true,
            List.of(), false, false, List.of(), false, List.of());

    private static void set(ObjectNode obj, String dotted, int value) {
        List<String> s = steps(dotted);
        ObjectNode n = obj;
        for (String step : s.subList(0, s.size() - 1)) {
            n = n.withObjectProperty(step);
        }
        n.put(s.get(s.size() - 1), value);
    }

    private static ObjectNode scaleOf(ResourceType type, JsonNode obj, ScalePaths paths) {
        ObjectNode scale = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        JsonNode meta = obj.path("metadata");
        ObjectNode m = scale.putObject("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (meta.has(f)) {
                m.set(f, meta.get(f));
            }
        }
        scale.putObject("spec").put("replicas", at(obj, paths.specReplicas()).asInt(type.custom() ? 0 : 1));
        ObjectNode status = scale.putObject("status").put("replicas", at(obj, paths.statusReplicas()).asInt(0));
        String selector = paths.selector() != null ? at(obj, paths.selector()).asText("")
                : selectorText(obj.path("spec").path("selector"));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        return scale;
    }

    /** A LabelSelector object in query syntax, as a Scale's status.selector carries it. */
    private static String selectorText(JsonNode selector) {
        List<String> parts = new ArrayList<>();
        JsonNode labels = selector.has("matchLabels") || selector.has("matchExpressions")
                ? selector.path("matchLabels") : selector;
        labels.fields().forEachRemaining(f -> parts.add(f.getKey() + "=" + f.getValue().asText()));
        for (JsonNode e : selector.path("matchExpressions")) {
            List<String> values = new ArrayList<>();
            e.path("values").forEach(v -> values.add(v.asText()));
            String key = e.path("key").asText();
            switch (e.path("operator").asText()) {
                case "In" -> parts.add(key + " in (" + String.join(",", values) + ")");
                case "NotIn" -> parts.add(key + " notin (" + String.join(",", values) + ")");
                case "Exists" -> parts.add(key);
                case "DoesNotExist" -> parts.add("!" + key);
                default -> { }
            }
        }
        return String.join(",", parts);
    }

    // ------------------------------------------------------------------ binding

    /** pods/NAME/binding: what a scheduler posts to put a pod on a node. */
    Reply bind(ApiRequest req, ResourceType pods) {
        JsonNode binding = req.json("Binding");
        String node = binding.path("target").path("name").asText("");
        ResourcePath p = req.path();
        if (node.isEmpty()) {
            throw ApiError.invalid("Binding", "", "Binding", p.name(), List.of(new Cause("FieldValueRequired",
                    "target.name", "Required value")));
        }
        boolean dryRun = req.dryRun();
        return resources.storage.write(() -> {
            ObjectNode current = resources.storage.get(Resources.resourceKey(pods), p.namespace(), p.name());
            if (current == null) {
                throw ApiError.notFound(pods, p.name());
            }
            String bound = current.path("spec").path("nodeName").asText("");
            if (!bound.isEmpty()) {
                throw new ApiError(409, "Conflict", "Operation cannot be fulfilled on pods/binding \"" + p.name()
                        + "\": pod " + p.name() + " is already assigned to node \"" + bound + "\"",
                        Json.object().put("name", p.name()).put("kind", "pods/binding"));
            }
            ObjectNode next = current.deepCopy();
            next.withObjectProperty("spec").put("nodeName", node);
            scheduled(next);
            resources.check(pods, next, current);
            if (!dryRun) {
                resources.rewrite(pods, current, next, "POST", p.mainPath() + "/binding");
            }
            ObjectNode ok = Json.object().put("kind", "Status").put("apiVersion", "v1");
            ok.putObject("metadata");
            return Reply.json(201, ok.put("status", "Success").put("code", 201));
        });
    }

    private static void scheduled(ObjectNode pod) {
        ArrayNode conditions = pod.withObjectProperty("status").withArrayProperty("conditions");
        for (int i = conditions.size() - 1; i >= 0; i--) {
            if (conditions.get(i).path("type").asText().equals("PodScheduled")) {
                conditions.remove(i);
            }
        }
        conditions.addObject().put("type", "PodScheduled").put("status", "True").putNull("lastProbeTime")
                .put("lastTransitionTime", ObjectRules.now());
    }

    // ------------------------------------------------------------------ log

    /** The log text the kubelet gives for the request, or its refusal (400) as the API server passes it on. */
    String log(ApiRequest req, ResourceType pods) {
        PodLogs.Text text = podLogs.read(pod(req, pods), logQuery(req));
        if (text.badRequest() != null) {
            throw ApiError.badRequest(text.badRequest());
        }
        return text.text();
    }

    /**
     * {@code follow=true}: checks the request as {@link #log} does (so a refusal is still a plain 400), then
     * streams the log through the kubelet until the container's run ends.
     */
    AutoCloseable followLog(ApiRequest req, ResourceType pods, java.util.function.Consumer<String> sink,
                            Runnable onEnd) {
        ObjectNode pod = pod(req, pods);
        PodLogs.Query query = logQuery(req);
        String refused = podLogs.read(pod, query).badRequest();
        if (refused != null) {
            throw ApiError.badRequest(refused);
        }
        return podLogs.follow(pod, query, sink, onEnd);
    }

    /** True while the pod the request names is stored (a followed log ends with its pod). */
    boolean podExists(ApiRequest req, ResourceType pods) {
        ResourcePath p = req.path();
        return resources.storage.read(() -> resources.storage.get(Resources.resourceKey(pods), p.namespace(),
                p.name())) != null;
    }

    /** PodLogOptions from the query; a number that does not parse is a 400 naming the parameter. */
    private static PodLogs.Query logQuery(ApiRequest req) {
        String sinceTime = req.param("sinceTime");
        Instant since = null;
        if (sinceTime != null) {
            try {
                since = Instant.parse(sinceTime);
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiError.badRequest("sinceTime: Invalid value: \"" + sinceTime + "\": must be an RFC 3339 time");
            }
        }
        Long tail = number(req, "tailLines");
        return new PodLogs.Query(req.param("container"), req.flag("previous"), req.flag("timestamps"),
                tail == null ? null : (int) Math.min(Integer.MAX_VALUE, tail), number(req, "sinceSeconds"), since,
                number(req, "limitBytes"));
    }

    private static Long number(ApiRequest req, String name) {
        String value = req.param(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + ": Invalid value: \"" + value + "\": must be an integer");
        }
    }

    // ------------------------------------------------------------------ access reviews

    /**
     * The sandbox's token holder may do anything: the reviews say so, as for a cluster admin. (kubectl auth
     * sends them as protobuf, which the sandbox cannot read; their answer does not depend on the question.)
     */
    Reply review(ApiRequest req, ResourceType type) {
        JsonNode body = req.protobuf() ? Json.object() : req.json(type.kind());
        ObjectNode out = body.isObject() ? ((ObjectNode) body).deepCopy() : Json.object();
        out.put("kind", type.kind()).put("apiVersion", type.groupVersion());
        out.withObjectProperty("metadata").putNull("creationTimestamp");
        ObjectNode status = out.putObject("status");
        switch (type.kind()) {
            case "SelfSubjectAccessReview" -> status.put("allowed", true)
                    .put("reason", "the sandbox's token may do anything");
            case "SelfSubjectRulesReview" -> {
                status.putArray("resourceRules").addObject().set("verbs", Json.MAPPER.createArrayNode().add("*"));
                ObjectNode rule = (ObjectNode) status.get("resourceRules").get(0);
                rule.putArray("apiGroups").add("*");
                rule.putArray("resources").add("*");
                ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
                nonResource.putArray("verbs").add("*");
                nonResource.putArray("nonResourceURLs").add("*");
                status.put("incomplete", false);
            }
            default -> {
                ObjectNode user = status.putObject("userInfo").put("username", "sandbox-admin");
                user.putArray("groups").add("system:masters").add("system:authenticated");
            }
        }
        return Reply.json(201, out);
    }
}
