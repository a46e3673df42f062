package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Deletes everything a deleted namespace held (the CRUD store does not cascade). */
final class NamespaceReaper {
    private final ObjectStore store;
    private final ResourceCatalog catalog;
    private final Supplier<List<JsonNode>> allObjects;

    NamespaceReaper(ObjectStore store, ResourceCatalog catalog, Supplier<List<JsonNode>> allObjects) {
        this.store = store;
        this.catalog = catalog;
        this.allObjects = allObjects;
    }

    void reap(String namespace) {
        if (store.get("/api/v1/namespaces/" + namespace) != null) {
            return; // created again meanwhile
        }
        List<JsonNode> workloadsFirst = new ArrayList<>();
        List<JsonNode> rest = new ArrayList<>();
        for (JsonNode obj : allObjects.get()) {
            if (!namespace.equals(obj.path("metadata").path("namespace").asText())) {
                continue;
            }
            String kind = obj.path("kind").asText();
            boolean workload = kind.equals("Deployment") || kind.equals("StatefulSet") || kind.equals("RayCluster");
            (workload ? workloadsFirst : rest).add(obj);
        }
        workloadsFirst.addAll(rest);
        ResourceCatalog kinds = catalog.frozen();
        for (JsonNode obj : workloadsFirst) {
            Optional<ResourceType> type = kinds.byKind(obj.path("apiVersion").asText(), obj.path("kind").asText());
            type.ifPresent(t -> store.delete(t.collectionPath(namespace) + "/" + Pods.name(obj)));
        }
    }
}
