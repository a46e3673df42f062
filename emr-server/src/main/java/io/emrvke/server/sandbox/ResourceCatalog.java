package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The API resources the sandbox knows: a fixed table of built-in kinds plus every served version of
 * the CustomResourceDefinitions in the store. Answers discovery documents kubectl asks for.
 */
final class ResourceCatalog {
    private static final List<String> VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final List<ResourceType> BUILT_IN = List.of(
            core("pods", "Pod", true, true, false, "po"),
            core("services", "Service", true, true, false, "svc"),
            core("configmaps", "ConfigMap", true, false, false, "cm"),
            core("secrets", "Secret", true, false, false),
            core("namespaces", "Namespace", false, true, false, "ns"),
            core("nodes", "Node", false, true, false, "no"),
            core("serviceaccounts", "ServiceAccount", true, false, false, "sa"),
            core("persistentvolumeclaims", "PersistentVolumeClaim", true, true, false, "pvc"),
            core("persistentvolumes", "PersistentVolume", false, true, false, "pv"),
            core("endpoints", "Endpoints", true, false, false, "ep"),
            core("events", "Event", true, false, false, "ev"),
            core("replicationcontrollers", "ReplicationController", true, true, true, "rc"),
            core("resourcequotas", "ResourceQuota", true, true, false, "quota"),
            core("limitranges", "LimitRange", true, false, false, "limits"),
            of("apps", "deployments", "Deployment", true, true, true, "deploy"),
            of("apps", "statefulsets", "StatefulSet", true, true, true, "sts"),
            of("apps", "replicasets", "ReplicaSet", true, true, true, "rs"),
            of("apps", "daemonsets", "DaemonSet", true, true, false, "ds"),
            of("apps", "controllerrevisions", "ControllerRevision", true, false, false),
            of("batch", "jobs", "Job", true, true, false),
            of("batch", "cronjobs", "CronJob", true, true, false, "cj"),
            of("autoscaling", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, true, false, "hpa"),
            of("networking.k8s.io", "ingresses", "Ingress", true, true, false, "ing"),
            of("networking.k8s.io", "networkpolicies", "NetworkPolicy", true, false, false, "netpol"),
            of("networking.k8s.io", "ingressclasses", "IngressClass", false, false, false),
            of("policy", "poddisruptionbudgets", "PodDisruptionBudget", true, true, false, "pdb"),
            of("rbac.authorization.k8s.io", "roles", "Role", true, false, false),
            of("rbac.authorization.k8s.io", "rolebindings", "RoleBinding", true, false, false),
            of("rbac.authorization.k8s.io", "clusterroles", "ClusterRole", false, false, false),
            of("rbac.authorization.k8s.io", "clusterrolebindings", "ClusterRoleBinding", false, false, false),
            of("apiextensions.k8s.io", "customresourcedefinitions", "CustomResourceDefinition", false, true, false,
                    "crd", "crds"),
            of("storage.k8s.io", "storageclasses", "StorageClass", false, false, false, "sc"),
            of("coordination.k8s.io", "leases", "Lease", true, false, false),
            of("scheduling.k8s.io", "priorityclasses", "PriorityClass", false, false, false, "pc"),
            of("discovery.k8s.io", "endpointslices", "EndpointSlice", true, false, false),
            of("events.k8s.io", "events", "Event", true, false, false, "ev"));

    private final ObjectMapper json;
    private final Supplier<List<JsonNode>> crds;
    private final Supplier<String> serverAddress;

    ResourceCatalog(ObjectMapper json, Supplier<List<JsonNode>> crds, Supplier<String> serverAddress) {
        this.json = json;
        this.crds = crds;
        this.serverAddress = serverAddress;
    }

    /**
     * This catalog with the CRDs as they are now, for a loop that looks up many objects' kinds: reading the
     * CRDs from the store serializes them all, and an operator's CRDs are megabytes.
     */
    ResourceCatalog frozen() {
        List<JsonNode> now = crds.get();
        return new ResourceCatalog(json, () -> now, serverAddress);
    }

    private static ResourceType core(String plural, String kind, boolean ns, boolean status, boolean scale,
                                     String... shortNames) {
        return of("", plural, kind, ns, status, scale, shortNames);
    }

    private static ResourceType of(String group, String plural, String kind, boolean ns, boolean status,
                                   boolean scale, String... shortNames) {
        String version = group.equals("autoscaling") ? "v2" : "v1";
        return new ResourceType(group, version, plural, kind.toLowerCase(Locale.ROOT), kind, ns,
                List.of(shortNames), status, scale);
    }

    /** Every resource currently served: built-ins then custom resources. */
    List<ResourceType> all() {
        List<ResourceType> all = new ArrayList<>(BUILT_IN);
        for (JsonNode crd : crds.get()) {
            all.addAll(fromCrd(crd));
        }
        return all;
    }

    static List<ResourceType> fromCrd(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        List<String> shortNames = new ArrayList<>();
        names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
        List<ResourceType> types = new ArrayList<>();
        for (JsonNode v : spec.path("versions")) {
            if (!v.path("served").asBoolean(true)) {
                continue;
            }
            types.add(new ResourceType(spec.path("group").asText(), v.path("name").asText(),
                    names.path("plural").asText(), names.path("singular").asText(names.path("kind").asText().toLowerCase(Locale.ROOT)),
                    names.path("kind").asText(), !"Cluster".equals(spec.path("scope").asText()),
                    List.copyOf(shortNames), v.path("subresources").has("status"), v.path("subresources").has("scale")));
        }
        return types;
    }

    /** The CRDs that define {@code group}/{@code plural}. */
    List<JsonNode> crdsOf(String group, String plural) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode crd : crds.get()) {
            if (crd.path("spec").path("group").asText().equals(group)
                    && crd.path("spec").path("names").path("plural").asText().equals(plural)) {
                found.add(crd);
            }
        }
        return found;
    }

    Optional<ResourceType> byPlural(String group, String plural) {
        return all().stream().filter(t -> t.group().equals(group) && t.plural().equals(plural)).findFirst();
    }

    /** The resource for an object's apiVersion and kind, if the sandbox knows it. */
    Optional<ResourceType> byKind(String apiVersion, String kind) {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        return all().stream()
                .filter(t -> t.group().equals(group) && t.kind().equals(kind))
                .map(t -> t.version().equals(version) ? t
                        : new ResourceType(group, version, t.plural(), t.singular(), kind, t.namespaced(),
                                t.shortNames(), t.hasStatus(), t.hasScale()))
                .findFirst();
    }

    /** The discovery document for a path, or empty when the path is not a discovery path. */
    Optional<JsonNode> discovery(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/version")) {
            return Optional.of(version());
        }
        if (p.equals("/api")) {
            return Optional.of(apiVersions());
        }
        if (p.equals("/apis")) {
            return Optional.of(groupList());
        }
        if (p.equals("/api/v1")) {
            return Optional.of(resourceList("", "v1"));
        }
        String[] s = p.substring(1).split("/");
        if (s[0].equals("apis") && s.length == 2) {
            return groups().values().stream().filter(g -> g.path("name").asText().equals(s[1]))
                    .findFirst().map(g -> (JsonNode) g.deepCopy().put("kind", "APIGroup").put("apiVersion", "v1"));
        }
        if (s[0].equals("apis") && s.length == 3 && all().stream()
                .anyMatch(t -> t.group().equals(s[1]) && t.version().equals(s[2]))) {
            return Optional.of(resourceList(s[1], s[2]));
        }
        return Optional.empty();
    }

    private JsonNode version() {
        return json.createObjectNode().put("major", "1").put("minor", "30").put("gitVersion", "v1.30.0-emrvke-sandbox")
                .put("gitCommit", "sandbox").put("gitTreeState", "clean").put("buildDate", "2024-01-01T00:00:00Z")
                .put("goVersion", "go1.22").put("compiler", "gc").put("platform", "linux/amd64");
    }

    private JsonNode apiVersions() {
        ObjectNode doc = json.createObjectNode().put("kind", "APIVersions");
        doc.putArray("versions").add("v1");
        doc.putArray("serverAddressByClientCIDRs").addObject()
                .put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress.get());
        return doc;
    }

    private Map<String, ObjectNode> groups() {
        Map<String, ObjectNode> groups = new LinkedHashMap<>();
        for (ResourceType t : all()) {
            if (t.group().isEmpty()) {
                continue;
            }
            ObjectNode g = groups.computeIfAbsent(t.group(), name -> {
                ObjectNode n = json.createObjectNode().put("name", name);
                n.putArray("versions");
                n.putObject("preferredVersion").put("groupVersion", t.groupVersion()).put("version", t.version());
                return n;
            });
            ArrayNode versions = (ArrayNode) g.get("versions");
            boolean known = false;
            for (JsonNode v : versions) {
                known |= v.path("version").asText().equals(t.version());
            }
            if (!known) {
                versions.addObject().put("groupVersion", t.groupVersion()).put("version", t.version());
            }
        }
        return groups;
    }

    private JsonNode groupList() {
        ObjectNode doc = json.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode list = doc.putArray("groups");
        groups().values().forEach(list::add);
        return doc;
    }

    private JsonNode resourceList(String group, String version) {
        ObjectNode doc = json.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = doc.putArray("resources");
        for (ResourceType t : all()) {
            if (!t.group().equals(group) || !t.version().equals(version)) {
                continue;
            }
            ObjectNode r = resources.addObject().put("name", t.plural()).put("singularName", t.singular())
                    .put("namespaced", t.namespaced()).put("kind", t.kind());
            VERBS.forEach(r.putArray("verbs")::add);
            if (!t.shortNames().isEmpty()) {
                t.shortNames().forEach(r.putArray("shortNames")::add);
            }
            if (t.hasStatus()) {
                subresource(resources, t, "status", t.kind(), null);
            }
            if (t.hasScale()) {
                subresource(resources, t, "scale", "Scale", "autoscaling");
            }
        }
        return doc;
    }

    private static void subresource(ArrayNode resources, ResourceType t, String sub, String kind, String group) {
        ObjectNode r = resources.addObject().put("name", t.plural() + "/" + sub).put("singularName", "")
                .put("namespaced", t.namespaced()).put("kind", kind);
        if (group != null) {
            r.put("group", group).put("version", "v1");
        }
        r.putArray("verbs").add("get").add("patch").add("update");
    }
}
