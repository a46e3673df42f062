package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Just enough OpenAPI v3 for kubectl to validate on the server: per group version, each resource's
 * PATCH operation with its kind and the {@code fieldValidation} query parameter, which is what kubectl
 * looks for before it sends {@code fieldValidation=Strict} instead of validating against schemas itself.
 * There are no schemas (the sandbox has none, so it cannot flag unknown fields), and no strategic-merge
 * request body, so {@code kubectl apply} computes its patches from its own types as before.
 */
final class OpenApi {
    private static final String V3 = "/openapi/v3";
    private final ResourceCatalog catalog;

    OpenApi(ResourceCatalog catalog) {
        this.catalog = catalog;
    }

    /** The document at an {@code /openapi/...} path; empty for v2 and unknown group versions (404). */
    Optional<JsonNode> document(String path) {
        if (path.equals(V3) || path.equals(V3 + "/")) {
            return Optional.of(index());
        }
        if (!path.startsWith(V3 + "/")) {
            return Optional.empty();
        }
        String gvPath = path.substring(V3.length() + 1);
        return Optional.ofNullable(groupVersions().get(gvPath)).map(this::spec);
    }

    /** {@code api/v1} and {@code apis/GROUP/VERSION} for each served group version, to its types. */
    private Map<String, List<ResourceType>> groupVersions() {
        Map<String, List<ResourceType>> byPath = new LinkedHashMap<>();
        for (ResourceType t : catalog.all()) {
            if (t.stored()) {
                String key = t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
                byPath.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(t);
            }
        }
        return byPath;
    }

    private JsonNode index() {
        ObjectNode doc = Json.object();
        ObjectNode paths = doc.putObject("paths");
        groupVersions().forEach((gv, types) -> paths.putObject(gv).put("serverRelativeURL",
                V3 + "/" + gv + "?hash=" + Integer.toHexString(spec(types).toString().hashCode())));
        return doc;
    }

    private JsonNode spec(List<ResourceType> types) {
        ObjectNode doc = Json.object().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes (emr-vke sandbox)").put("version", Discovery.GIT_VERSION);
        ObjectNode paths = doc.putObject("paths");
        for (ResourceType t : types) {
            String collection = ResourcePath.collection(t.group(), t.version(), t.namespaced() ? "{namespace}" : null,
                    t.plural());
            ObjectNode item = paths.putObject(collection + "/{name}");
            ObjectNode patch = item.putObject("patch");
            patch.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("version", t.version())
                    .put("kind", t.kind());
            patch.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query")
                    .putObject("schema").put("type", "string");
            patch.putObject("responses").putObject("200").put("description", "OK");
        }
        return doc;
    }
}
