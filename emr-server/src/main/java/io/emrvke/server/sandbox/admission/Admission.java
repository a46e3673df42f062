package io.emrvke.server.sandbox.admission;

import static io.emrvke.server.sandbox.admission.Fields.at;
import static io.emrvke.server.sandbox.admission.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What a Kubernetes 1.34 API server refuses of an object on create or update, found without a server: a pure
 * function of the object's JSON and, on update, the stored object. Covers the kinds emr-vke uses — Namespace,
 * ConfigMap, Secret, ServiceAccount, Service, Pod, Deployment, StatefulSet, Role, RoleBinding — and the
 * metadata of custom resources such as RayCluster (their schemas are not checked). The object is read as
 * the API server reads it after defaulting: members it defaults may be absent. Pods' updates are checked for
 * metadata only.
 *
 * <p>Two answers, as the API server gives them: {@link #decodeError} for what fails to decode (400
 * BadRequest: quantities, base64), {@link #check} for the field causes of a 422 Invalid; {@link #refusal}
 * combines them into the Status body to answer with.
 */
public final class Admission {
    private record Rules(BiConsumer<Problems, JsonNode> create, Update update) {
    }

    private interface Update {
        void check(Problems p, JsonNode object, JsonNode old);
    }

    private static final Map<String, Rules> KINDS = Map.ofEntries(
            rules("v1", "Namespace", CoreRules::namespace,
                    (p, o, old) -> MetaRules.updateCore(p, at(o, "metadata"), at(old, "metadata"))),
            rules("v1", "ConfigMap", CoreRules::configMap, CoreRules::configMapUpdate),
            rules("v1", "Secret", CoreRules::secret, CoreRules::secretUpdate),
            rules("v1", "ServiceAccount", CoreRules::serviceAccount, (p, o, old) -> {
                MetaRules.updateCore(p, at(o, "metadata"), at(old, "metadata"));
                CoreRules.serviceAccount(p, o);
            }),
            rules("v1", "Service", CoreRules::service, CoreRules::serviceUpdate),
            rules("v1", "Pod", Admission::pod,
                    (p, o, old) -> MetaRules.updateCore(p, at(o, "metadata"), at(old, "metadata"))),
            rules("apps/v1", "Deployment", WorkloadRules::deployment, WorkloadRules::deploymentUpdate),
            rules("apps/v1", "StatefulSet", WorkloadRules::statefulSet, WorkloadRules::statefulSetUpdate),
            rules("rbac.authorization.k8s.io/v1", "Role", RbacRules::role, RbacRules::roleUpdate),
            rules("rbac.authorization.k8s.io/v1", "RoleBinding", RbacRules::roleBinding, RbacRules::roleBindingUpdate));
    /** API groups of Kubernetes' own: an unknown kind there is not taken for a custom resource. */
    private static final Set<String> BUILT_IN_GROUP_SUFFIXES = Set.of(".k8s.io", ".kubernetes.io");

    private Admission() {
    }

    /**
     * The causes of the API server's 422 Invalid answer, in its order; empty when it would accept the object.
     *
     * @param object the object as the request carries it, its name already generated from generateName and
     *               its namespace that of the request path
     * @param old    the stored object on update, null on create
     */
    public static List<Cause> check(JsonNode object, JsonNode old) {
        String apiVersion = text(object, "apiVersion");
        String kind = text(object, "kind");
        Rules rules = KINDS.get(apiVersion + " " + kind);
        Problems p = new Problems();
        if (rules == null && !isCustomResource(apiVersion)) {
            return List.of();
        }
        if (rules == null) {
            customResource(p, object, old);
        } else if (old == null) {
            rules.create.accept(p, object);
        } else {
            commonUpdate(p, object, old, !kind.equals("Namespace"));
            rules.update.check(p, object, old);
        }
        return p.causes();
    }

    /** The message of the API server's 400 BadRequest for an object it cannot decode, or empty. */
    public static Optional<String> decodeError(JsonNode object) {
        String kind = text(object, "kind");
        String apiVersion = text(object, "apiVersion");
        if (!KINDS.containsKey(apiVersion + " " + kind)) {
            return Optional.empty();
        }
        String version = apiVersion.substring(apiVersion.lastIndexOf('/') + 1);
        return Decoding.firstError(kind, object).map(error -> kind + " in version \"" + version
                + "\" cannot be handled as a " + kind + ": " + error);
    }

    /** The Status to answer instead of storing the object (400 or 422), or empty when it may be stored. */
    public static Optional<ObjectNode> refusal(JsonNode object, JsonNode old) {
        Optional<String> undecodable = decodeError(object);
        if (undecodable.isPresent()) {
            return Optional.of(badRequestStatus(undecodable.get()));
        }
        List<Cause> causes = check(object, old);
        if (causes.isEmpty()) {
            return Optional.empty();
        }
        String apiVersion = text(object, "apiVersion");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return Optional.of(invalidStatus(group, text(object, "kind"), text(at(object, "metadata"), "name"), causes));
    }

    /**
     * The 422 Status body as apimachinery's errors.NewInvalid makes it: message
     * {@code <Kind>[.<group>] "<name>" is invalid: <causes>} (one cause bare, several in brackets, repeats once).
     */
    public static ObjectNode invalidStatus(String group, String kind, String name, List<Cause> causes) {
        String qualifiedKind = group.isEmpty() ? kind : kind + "." + group;
        Set<String> lines = new LinkedHashSet<>();
        causes.forEach(c -> lines.add(c.line()));
        String listed = lines.size() == 1 ? lines.iterator().next() : "[" + String.join(", ", lines) + "]";
        String message = qualifiedKind + " " + GoText.quote(name) + " is invalid" + (lines.isEmpty() ? "" : ": "
                + listed);
        ObjectNode status = status(message, "Invalid");
        ObjectNode details = Fields.JSON.objectNode().put("name", name);
        if (!group.isEmpty()) {
            details.put("group", group);
        }
        details.put("kind", kind);
        ArrayNode list = details.putArray("causes");
        causes.forEach(c -> list.addObject().put("reason", c.reason()).put("message", c.message())
                .put("field", c.field()));
        return status.<ObjectNode>set("details", details).put("code", 422);
    }

    /** The 400 Status body of errors.NewBadRequest. */
    public static ObjectNode badRequestStatus(String message) {
        return status(message, "BadRequest").put("code", 400);
    }

    /**
     * The 422 an update without metadata.resourceVersion gets where the kind allows no unconditional update
     * (custom resources): the store answers it before validation, naming the resource, not the kind.
     */
    public static ObjectNode missingResourceVersion(String group, String resource, String name) {
        return invalidStatus(group, resource, name, List.of(new Cause(Cause.INVALID, "metadata.resourceVersion",
                "Invalid value: 0: must be specified for an update")));
    }

    // ------------------------------------------------------------------ kinds

    /** validateCommonFields of every update: metadata with names as path segments, then its update rules. */
    private static void commonUpdate(Problems p, JsonNode object, JsonNode old, boolean namespaced) {
        MetaRules.create(p, at(object, "metadata"), namespaced, Formats.PATH_SEGMENT_NAME);
        MetaRules.update(p, at(object, "metadata"), at(old, "metadata"));
    }

    /** ValidatePodCreate. */
    private static void pod(Problems p, JsonNode pod) {
        MetaRules.createCore(p, at(pod, "metadata"), true, Formats.DNS_SUBDOMAIN_NAME);
        PodRules.spec(p, at(pod, "spec"), "spec");
        PodRules.podOnly(p, at(pod, "spec"));
    }

    /** A custom resource's metadata (the apiextensions server's validator; the schema is not checked here). */
    private static void customResource(Problems p, JsonNode object, JsonNode old) {
        JsonNode meta = at(object, "metadata");
        boolean namespaced = !text(meta, "namespace").isEmpty();
        if (old == null) {
            MetaRules.create(p, meta, namespaced, Formats.DNS_SUBDOMAIN_NAME);
        } else {
            commonUpdate(p, object, old, namespaced);
            MetaRules.update(p, meta, at(old, "metadata"));
        }
    }

    private static boolean isCustomResource(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return group.contains(".") && BUILT_IN_GROUP_SUFFIXES.stream().noneMatch(group::endsWith);
    }

    private static Map.Entry<String, Rules> rules(String apiVersion, String kind,
                                                  BiConsumer<Problems, JsonNode> create, Update update) {
        return Map.entry(apiVersion + " " + kind, new Rules(create, update));
    }

    /** A failure Status up to its reason; the caller adds details and the code, in the API server's order. */
    private static ObjectNode status(String message, String reason) {
        ObjectNode status = Fields.JSON.objectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        return status.put("status", "Failure").put("message", message).put("reason", reason);
    }
}
