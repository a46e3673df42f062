package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
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

    private final ResourceCatalog catalog;

    TableView(ResourceCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The Table of one object or a list's items. Rows carry the object as {@code includeObject} asks:
     * {@code Object} whole, {@code None} not at all, otherwise (the default) its metadata only.
     */
    JsonNode render(ResourceType type, JsonNode body, String includeObject) {
        List<Column> columns = columns(type);
        ObjectNode table = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", body.path("metadata").path("resourceVersion").asText(""));
        if (body.path("metadata").hasNonNull("continue")) {
            ((ObjectNode) table.get("metadata")).set("continue", body.path("metadata").get("continue"));
        }
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
            if ("Object".equals(includeObject)) {
                row.set("object", obj);
            } else if (!"None".equals(includeObject)) {
                ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata")
                        .put("apiVersion", "meta.k8s.io/v1");
                partial.set("metadata", obj.path("metadata"));
            }
        }
        return table;
    }

    /** {@code <ready>/<total>} of the pod's readiness gates, or {@code <none>} without any. */
    private static String readinessGates(JsonNode pod) {
        JsonNode gates = pod.path("spec").path("readinessGates");
        if (gates.isEmpty()) {
            return "<none>";
        }
        int ready = 0;
        for (JsonNode gate : gates) {
            for (JsonNode c : pod.path("status").path("conditions")) {
                if (c.path("type").asText().equals(gate.path("conditionType").asText())
                        && c.path("status").asText().equals("True")) {
                    ready++;
                }
            }
        }
        return ready + "/" + gates.size();
    }

    private List<Column> columns(ResourceType type) {
        List<Column> cols = new ArrayList<>();
        cols.add(new Column("Name", 0, o -> o.path("metadata").path("name").asText()));
        switch (type.custom() ? "" : type.group() + "/" + type.plural()) {
            case "/pods" -> {
                cols.add(new Column("Ready", 0, TableView::podReady));
                cols.add(new Column("Status", 0, TableView::podStatus));
                cols.add(new Column("Restarts", 0, TableView::podRestarts));
                cols.add(new Column("Age", 0, TableView::age));
                cols.add(new Column("IP", 1, o -> o.path("status").path("podIP").asText("<none>")));
                cols.add(new Column("Node", 1, o -> o.path("spec").path("nodeName").asText("<none>")));
                cols.add(new Column("Nominated Node", 1, o -> o.path("status").path("nominatedNodeName")
                        .asText("<none>")));
                cols.add(new Column("Readiness Gates", 1, TableView::readinessGates));
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
            case "apps/replicasets" -> {
                cols.add(new Column("Desired", 0, o -> o.path("spec").path("replicas").asInt(1)));
                cols.add(new Column("Current", 0, o -> o.path("status").path("replicas").asInt(0)));
                cols.add(new Column("Ready", 0, o -> o.path("status").path("readyReplicas").asInt(0)));
                cols.add(new Column("Age", 0, TableView::age));
            }
            case "/services" -> {
                cols.add(new Column("Type", 0, o -> o.path("spec").path("type").asText("ClusterIP")));
                cols.add(new Column("Cluster-IP", 0, o -> o.path("spec").path("clusterIP").asText("<none>")));
                cols.add(new Column("External-IP", 0, o -> "<none>"));
                cols.add(new Column("Port(s)", 0, TableView::servicePorts));
                cols.add(new Column("Age", 0, TableView::age));
            }
            case "/configmaps" -> {
                cols.add(new Column("Data", 0, o -> o.path("data").size() + o.path("binaryData").size()));
                cols.add(new Column("Age", 0, TableView::age));
            }
            case "/secrets" -> {
                cols.add(new Column("Type", 0, o -> o.path("type").asText("Opaque")));
                cols.add(new Column("Data", 0, o -> o.path("data").size()));
                cols.add(new Column("Age", 0, TableView::age));
            }
            case "/events" -> {
                cols.clear(); // events lead with when and why, their names are generated
                cols.add(new Column("Last Seen", 0, o -> ageOf(o.path("lastTimestamp").asText(
                        o.path("eventTime").asText("")))));
                cols.add(new Column("Type", 0, o -> o.path("type").asText("")));
                cols.add(new Column("Reason", 0, o -> o.path("reason").asText("")));
                cols.add(new Column("Object", 0, o -> o.path("involvedObject").path("kind").asText("")
                        .toLowerCase(java.util.Locale.ROOT) + "/" + o.path("involvedObject").path("name").asText("")));
                cols.add(new Column("Message", 0, o -> o.path("message").asText("")));
                cols.add(new Column("Name", 1, o -> o.path("metadata").path("name").asText()));
            }
            default -> {
                printerColumns(type, cols);
                cols.add(new Column("Age", 0, TableView::age));
            }
        }
        return cols;
    }

    /** A custom resource's additionalPrinterColumns with simple {@code .a.b} JSON paths. */
    private void printerColumns(ResourceType type, List<Column> cols) {
        if (!type.custom()) {
            return;
        }
        for (JsonNode pc : catalog.crdVersion(type.group(), type.plural(), type.version()).path("additionalPrinterColumns")) {
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

    private static String servicePorts(JsonNode svc) {
        List<String> ports = new ArrayList<>();
        for (JsonNode p : svc.path("spec").path("ports")) {
            ports.add(p.path("port").asText() + "/" + p.path("protocol").asText("TCP"));
        }
        return ports.isEmpty() ? "<none>" : String.join(",", ports);
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
        return ageOf(obj.path("metadata").path("creationTimestamp").asText(""));
    }

    private static String ageOf(String created) {
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
