package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Server-side printing ({@code Accept: ...;as=Table;g=meta.k8s.io}), which kubectl get relies on
 * for its columns: pods show READY/STATUS/RESTARTS, deployments READY/UP-TO-DATE/AVAILABLE, and so on.
 */
final class TableView {
    private record Column(String name, int priority, Function<JsonNode, Object> value) {
    }

    private final ObjectMapper json;
    private final ResourceCatalog catalog;

    TableView(ObjectMapper json, ResourceCatalog catalog) {
        this.json = json;
        this.catalog = catalog;
    }

    static boolean wanted(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    /** The Table for a GET answer (one object or a list) of {@code path}. */
    JsonNode render(ApiPath path, JsonNode body) {
        List<Column> columns = columns(path);
        ObjectNode table = json.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", body.path("metadata").path("resourceVersion").asText(""));
        ArrayNode defs = table.putArray("columnDefinitions");
        for (Column c : columns) {
            defs.addObject().put("name", c.name()).put("type", "string").put("format", c.name().equals("Name") ? "name" : "")
                    .put("description", "").put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        List<JsonNode> objects = new ArrayList<>();
        if (body.has("items")) {
            body.path("items").forEach(objects::add);
        } else {
            objects.add(body);
        }
        for (JsonNode obj : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column c : columns) {
                cells.addPOJO(c.value().apply(obj));
            }
            row.set("object", obj);
        }
        return table;
    }

    private List<Column> columns(ApiPath path) {
        List<Column> cols = new ArrayList<>();
        cols.add(new Column("Name", 0, o -> o.path("metadata").path("name").asText()));
        switch (path.group() + "/" + path.plural()) {
            case "/pods" -> {
                cols.add(new Column("Ready", 0, TableView::podReady));
                cols.add(new Column("Status", 0, TableView::podStatus));
                cols.add(new Column("Restarts", 0, TableView::podRestarts));
                cols.add(new Column("Age", 0, TableView::age));
                cols.add(new Column("IP", 1, o -> o.path("status").path("podIP").asText("<none>")));
                cols.add(new Column("Node", 1, o -> o.path("spec").path("nodeName").asText("<none>")));
            }
            case "apps/deployments" -> {
                cols.add(new Column("Ready", 0, o -> o.path("status").path("readyReplicas").asInt(0) + "/"
                        + o.path("spec").path("replicas").asInt(1)));
                cols.add(new Column("Up-to-date", 0, o -> o.path("status").path("updatedReplicas").asInt(0)));
                cols.add(new Column("Available", 0, o -> o.path("status").path("availableReplicas").asInt(0)));
                cols.add(new Column("Age", 0, TableView::age));
            }
            case "apps/statefulsets" -> {
                cols.add(new Column("Ready", 0, o -> o.path("status").path("readyReplicas").asInt(0) + "/"
                        + o.path("spec").path("replicas").asInt(1)));
                cols.add(new Column("Age", 0, TableView::age));
            }
            case "/nodes" -> {
                cols.add(new Column("Status", 0, o -> "Ready"));
                cols.add(new Column("Roles", 0, o -> "<none>"));
                cols.add(new Column("Age", 0, TableView::age));
                cols.add(new Column("Version", 0, o -> o.path("status").path("nodeInfo").path("kubeletVersion").asText("")));
            }
            case "/namespaces" -> {
                cols.add(new Column("Status", 0, o -> o.path("status").path("phase").asText("Active")));
                cols.add(new Column("Age", 0, TableView::age));
            }
            default -> {
                printerColumns(path, cols);
                cols.add(new Column("Age", 0, TableView::age));
            }
        }
        return cols;
    }

    /** A custom resource's additionalPrinterColumns with simple {@code .a.b} JSON paths. */
    private void printerColumns(ApiPath path, List<Column> cols) {
        ResourceType type = catalog.byPlural(path.group(), path.plural()).orElse(null);
        if (type == null || path.group().isEmpty()) {
            return;
        }
        for (JsonNode crd : catalog.crdsOf(path.group(), path.plural())) {
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (!v.path("name").asText().equals(path.version())) {
                    continue;
                }
                for (JsonNode pc : v.path("additionalPrinterColumns")) {
                    String[] steps = pc.path("jsonPath").asText("").replaceFirst("^\\.", "").split("\\.");
                    cols.add(new Column(pc.path("name").asText(), pc.path("priority").asInt(0), o -> {
                        JsonNode n = o;
                        for (String s : steps) {
                            n = n.path(s);
                        }
                        return n.isMissingNode() || n.isNull() ? "" : n.asText();
                    }));
                }
            }
        }
    }

    private static String podReady(JsonNode pod) {
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode cs : pod.path("status").path("containerStatuses")) {
            ready += cs.path("ready").asBoolean(false) ? 1 : 0;
        }
        return ready + "/" + total;
    }

    private static String podStatus(JsonNode pod) {
        if (pod.path("metadata").has("deletionTimestamp")) {
            return "Terminating";
        }
        for (JsonNode cs : pod.path("status").path("containerStatuses")) {
            String reason = cs.path("state").path("waiting").path("reason").asText("");
            if (!reason.isEmpty()) {
                return reason;
            }
        }
        return pod.path("status").path("phase").asText("Pending");
    }

    private static int podRestarts(JsonNode pod) {
        int restarts = 0;
        for (JsonNode cs : pod.path("status").path("containerStatuses")) {
            restarts += cs.path("restartCount").asInt(0);
        }
        return restarts;
    }

    static String age(JsonNode obj) {
        String created = obj.path("metadata").path("creationTimestamp").asText("");
        if (created.isEmpty()) {
            return "<unknown>";
        }
        try {
            long s = Math.max(0, Duration.between(Instant.parse(created), Instant.now()).getSeconds());
            if (s < 120) {
                return s + "s";
            }
            if (s < 7200) {
                return (s / 60) + "m";
            }
            if (s < 172800) {
                return (s / 3600) + "h";
            }
            return (s / 86400) + "d";
        } catch (RuntimeException e) {
            return "<unknown>";
        }
    }
}
