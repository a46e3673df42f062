package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Small steps every workload controller takes. */
final class Workloads {
    private Workloads() {
    }

    /**
     * Keeps the pods owned by this very workload (same uid) and deletes the others: they belong to an
     * earlier workload of the same name, which the store has no garbage collector to clean up.
     */
    static List<JsonNode> dropOrphans(ObjectStore store, JsonNode workload, List<JsonNode> pods) {
        String uid = Pods.uid(workload);
        List<JsonNode> owned = new ArrayList<>();
        List<JsonNode> orphans = new ArrayList<>();
        for (JsonNode p : pods) {
            (uid.equals(Pods.controller(p).path("uid").asText()) ? owned : orphans).add(p);
        }
        Pods.deleteAll(store, orphans);
        return owned;
    }
}
