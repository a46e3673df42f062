package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The API resources the sandbox serves: a fixed table of built-in kinds plus every served version of
 * the CustomResourceDefinitions in the store (refreshed by the store whenever a CRD changes).
 */
public final class ResourceCatalog {
    private static final List<String> ALL = List.of("all");
    private static final List<String> CREATE_ONLY = List.of("create");
    private static final List<ResourceType> BUILT_IN = List.of(
            core("pods", "Pod", true, true, false, ALL, "po"),
            core("services", "Service", true, true, false, ALL, "svc"),
            core("configmaps", "ConfigMap", true, false, false, List.of(), "cm"),
            core("secrets", "Secret", true, false, false, List.of()),
            core("namespaces", "Namespace", false, true, false, List.of(), "ns"),
            core("nodes", "Node", false, true, false, List.of(), "no"),
            core("serviceaccounts", "ServiceAccount", true, false, false, List.of(), "sa"),
            core("persistentvolumeclaims", "PersistentVolumeClaim", true, true, false, List.of(), "pvc"),
            core("persistentvolumes", "PersistentVolume", false, true, false, List.of(), "pv"),
            core("endpoints", "Endpoints", true, false, false, List.of(), "ep"),
            core("events", "Event", true, false, false, List.of(), "ev"),
            core("replicationcontrollers", "ReplicationController", true, true, true, ALL, "rc"),
            core("resourcequotas", "ResourceQuota", true, true, false, List.of(), "quota"),
            core("limitranges", "LimitRange", true, false, false, List.of(), "limits"),
            of("apps", "deployments", "Deployment", true, true, true, ALL, "deploy"),
            of("apps", "statefulsets", "StatefulSet", true, true, true, ALL, "sts"),
            of("apps", "replicasets", "ReplicaSet", true, true, true, ALL, "rs"),
            of("apps", "daemonsets", "DaemonSet", true, true, false, ALL, "ds"),
            of("apps", "controllerrevisions", "ControllerRevision", true, false, false, List.of()),
            of("batch", "jobs", "Job", true, true, false, ALL),
            of("batch", "cronjobs", "CronJob", true, true, false, ALL, "cj"),
            of("autoscaling", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, true, false, ALL, "hpa"),
            of("networking.k8s.io", "ingresses", "Ingress", true, true, false, List.of(), "ing"),
            of("networking.k8s.io", "networkpolicies", "NetworkPolicy", true, false, false, List.of(), "netpol"),
            of("networking.k8s.io", "ingressclasses", "IngressClass", false, false, false, List.of()),
            of("policy", "poddisruptionbudgets", "PodDisruptionBudget", true, true, false, List.of(), "pdb"),
            of("rbac.authorization.k8s.io", "roles", "Role", true, false, false, List.of()),
            of("rbac.authorization.k8s.io", "rolebindings", "RoleBinding", true, false, false, List.of()),
            of("rbac.authorization.k8s.io", "clusterroles", "ClusterRole", false, false, false, List.of()),
            of("rbac.authorization.k8s.io", "clusterrolebindings", "ClusterRoleBinding", false, false, false, List.of()),
            of("apiextensions.k8s.io", "customresourcedefinitions", "CustomResourceDefinition", false, true, false,
                    List.of(), "crd", "crds"),
            of("storage.k8s.io", "storageclasses", "StorageClass", false, false, false, List.of(), "sc"),
            of("coordination.k8s.io", "leases", "Lease", true, false, false, List.of()),
            of("scheduling.k8s.io", "priorityclasses", "PriorityClass", false, false, false, List.of(), "pc"),
            of("discovery.k8s.io", "endpointslices", "EndpointSlice", true, false, false, List.of()),
            of("events.k8s.io", "events", "Event", true, false, false, List.of(), "ev"),
            review("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview"),
            review("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview"),
            review("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview"));

    private volatile List<ResourceType> all = BUILT_IN;
    private volatile List<JsonNode> crds = List.of();

    private static ResourceType core(String plural, String kind, boolean ns, boolean status, boolean scale,
                                     List<String> categories, String... shortNames) {
        return of("", plural, kind, ns, status, scale, categories, shortNames);
    }

    private static ResourceType of(String group, String plural, String kind, boolean ns, boolean status,
                                   boolean scale, List<String> categories, String... shortNames) {
        String version = group.equals("autoscaling") ? "v2" : "v1";
        return new ResourceType(group, version, plural, kind.toLowerCase(Locale.ROOT), kind, ns,
                List.of(shortNames), status, scale, categories, false, List.of());
    }

    private static ResourceType review(String group, String plural, String kind) {
        return new ResourceType(group, "v1", plural, "", kind, false, List.of(), false, false, List.of(), false,
                CREATE_ONLY);
    }

    /** Takes the CRDs as they are now (the store calls this after every CRD write). */
    void refresh(List<JsonNode> current) {
        List<ResourceType> types = new ArrayList<>(BUILT_IN);
        for (JsonNode crd : current) {
            types.addAll(fromCrd(crd));
        }
        crds = List.copyOf(current);
        all = List.copyOf(types);
    }

    /** Every resource currently served: built-ins then custom resources. */
    public List<ResourceType> all() {
        return all;
    }

    static List<ResourceType> fromCrd(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        List<String> shortNames = texts(names.path("shortNames"));
        List<String> categories = texts(names.path("categories"));
        List<ResourceType> types = new ArrayList<>();
        for (JsonNode v : spec.path("versions")) {
            if (!v.path("served").asBoolean(true)) {
                continue;
            }
            String kind = names.path("kind").asText();
            types.add(new ResourceType(spec.path("group").asText(), v.path("name").asText(),
                    names.path("plural").asText(), names.path("singular").asText(kind.toLowerCase(Locale.ROOT)),
                    kind, !"Cluster".equals(spec.path("scope").asText()), shortNames,
                    v.path("subresources").has("status"), v.path("subresources").has("scale"), categories, true,
                    List.of()));
        }
        return types;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    /** The CRD that defines {@code group}/{@code plural}, if any. */
    Optional<JsonNode> crdOf(String group, String plural) {
        for (JsonNode crd : crds) {
            if (crd.path("spec").path("group").asText().equals(group)
                    && crd.path("spec").path("names").path("plural").asText().equals(plural)) {
                return Optional.of(crd);
            }
        }
        return Optional.empty();
    }

    /** The CRD's settings for one version ({@code subresources}, {@code additionalPrinterColumns}). */
    JsonNode crdVersion(String group, String plural, String version) {
        for (JsonNode v : crdOf(group, plural).map(c -> c.path("spec").path("versions")).orElse(com.fasterxml
                .jackson.databind.node.MissingNode.getInstance())) {
            if (v.path("name").asText().equals(version)) {
                return v;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The resource served at exactly this group, version and plural. */
    Optional<ResourceType> served(String group, String version, String plural) {
        return all.stream().filter(t -> t.group().equals(group) && t.version().equals(version)
                && t.plural().equals(plural)).findFirst();
    }

    /** The resource for {@code group}/{@code plural} at any version (objects are stored once per resource). */
    public Optional<ResourceType> byPlural(String group, String plural) {
        return all.stream().filter(t -> t.group().equals(group) && t.plural().equals(plural)).findFirst();
    }

    /** The resource for an object's apiVersion and kind, if the sandbox knows it. */
    public Optional<ResourceType> byKind(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        return all.stream().filter(t -> t.group().equals(group) && t.kind().equals(kind) && t.stored())
                .map(t -> t.atVersion(version)).findFirst();
    }
}
