package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The discovery documents kubectl reads before anything else: {@code /version}, {@code /api},
 * {@code /apis}, {@code /api/v1}, {@code /apis/GROUP} and {@code /apis/GROUP/VERSION}. Always the
 * legacy (unaggregated) form: kubectl asks for aggregated discovery first and falls back when the
 * answer is plain {@code application/json}.
 */
final class Discovery {
    /** Subresources listed under pods, as a real API server lists them (log answers; the rest are refused). */
    private record Sub(String name, String kind, List<String> verbs) {
    }

    private static final List<Sub> POD_SUBRESOURCES = List.of(new Sub("attach", "PodAttachOptions",
            List.of("create", "get")), new Sub("binding", "Binding", List.of("create")),
            new Sub("exec", "PodExecOptions", List.of("create", "get")), new Sub("log", "Pod", List.of("get")),
            new Sub("portforward", "PodPortForwardOptions", List.of("create", "get")));
    static final String GIT_VERSION = "v1.34.0-emrvke-sandbox";

    private final ObjectMapper json;
    private final ResourceCatalog catalog;
    private final Supplier<String> serverAddress;

    Discovery(ObjectMapper json, ResourceCatalog catalog, Supplier<String> serverAddress) {
        this.json = json;
        this.catalog = catalog;
        this.serverAddress = serverAddress;
    }

    /** The discovery document for a path, or empty when the path is not a discovery path. */
    Optional<JsonNode> document(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        switch (p) {
            case "/version":
                return Optional.of(version());
            case "/api":
                return Optional.of(apiVersions());
            case "/apis":
                return Optional.of(groupList());
            case "/api/v1":
                return Optional.of(resourceList("", "v1"));
            default:
                break;
        }
        String[] s = p.substring(1).split("/");
        if (s[0].equals("apis") && s.length == 2) {
            ObjectNode group = groups().get(s[1]);
            return Optional.ofNullable(group).map(g -> g.deepCopy().put("kind", "APIGroup").put("apiVersion", "v1"));
        }
        if (s[0].equals("apis") && s.length == 3 && catalog.all().stream()
                .anyMatch(t -> t.group().equals(s[1]) && t.version().equals(s[2]))) {
            return Optional.of(resourceList(s[1], s[2]));
        }
        return Optional.empty();
    }

    private JsonNode version() {
        return json.createObjectNode().put("major", "1").put("minor", "34").put("gitVersion", GIT_VERSION)
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
        for (ResourceType t : catalog.all()) {
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
        for (ResourceType t : catalog.all()) {
            if (!t.group().equals(group) || !t.version().equals(version)) {
                continue;
            }
            ObjectNode r = resources.addObject().put("name", t.plural()).put("singularName", t.singular())
                    .put("namespaced", t.namespaced()).put("kind", t.kind());
            t.servedVerbs().forEach(r.putArray("verbs")::add);
            if (!t.shortNames().isEmpty()) {
                t.shortNames().forEach(r.putArray("shortNames")::add);
            }
            if (!t.categories().isEmpty()) {
                t.categories().forEach(r.putArray("categories")::add);
            }
            if (t.stored()) {
                r.put("storageVersionHash", storageVersionHash(t));
            }
            if (t.hasStatus()) {
                subresource(resources, t, "status", t.kind(), null, List.of("get", "patch", "update"));
            }
            if (t.hasScale()) {
                subresource(resources, t, "scale", "Scale", "autoscaling", List.of("get", "patch", "update"));
            }
            if (t.is("", "pods")) {
                POD_SUBRESOURCES.forEach(s -> subresource(resources, t, s.name(), s.kind(), null, s.verbs()));
            }
        }
        sortByName(resources); // the API server lists a group version's resources by name
        return doc;
    }

    /** The API server's hash of a resource's storage version: the first 8 bytes of sha256("group/version/Kind"). */
    static String storageVersionHash(ResourceType t) {
        try {
            byte[] sum = java.security.MessageDigest.getInstance("SHA-256").digest((t.group() + "/" + t.version() + "/"
                    + t.kind()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(sum, 8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    private static void sortByName(ArrayNode resources) {
        List<JsonNode> sorted = new java.util.ArrayList<>();
        resources.forEach(sorted::add);
        sorted.sort(java.util.Comparator.comparing(r -> r.path("name").asText()));
        resources.removeAll();
        resources.addAll(sorted);
    }

    private static void subresource(ArrayNode resources, ResourceType t, String sub, String kind, String group,
                                    List<String> verbs) {
        ObjectNode r = resources.addObject().put("name", t.plural() + "/" + sub).put("singularName", "")
                .put("namespaced", t.namespaced()).put("kind", kind);
        if (group != null) {
            r.put("group", group).put("version", "v1");
        }
        verbs.forEach(r.putArray("verbs")::add);
    }
}
