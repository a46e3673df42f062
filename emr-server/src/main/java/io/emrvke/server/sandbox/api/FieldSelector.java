package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A field selector ({@code spec.nodeName=n1,status.phase!=Running}) over the fields the API server
 * supports for each kind: {@code metadata.name} and {@code metadata.namespace} everywhere, plus the
 * kind's own (pods: node, phase, IP...; events: the involved object...). Any other field is a 400.
 */
final class FieldSelector {
    private record Term(String field, boolean equals, String value) {
    }

    private static final Map<String, Function<JsonNode, String>> POD = Map.of(
            "spec.nodeName", o -> text(o, "spec", "nodeName"),
            "spec.restartPolicy", o -> text(o, "spec", "restartPolicy"),
            "spec.schedulerName", o -> text(o, "spec", "schedulerName"),
            "spec.serviceAccountName", o -> text(o, "spec", "serviceAccountName"),
            "spec.hostNetwork", o -> String.valueOf(o.path("spec").path("hostNetwork").asBoolean(false)),
            "status.phase", o -> text(o, "status", "phase"),
            "status.podIP", o -> text(o, "status", "podIP"),
            "status.nominatedNodeName", o -> text(o, "status", "nominatedNodeName"));
    private static final Map<String, Function<JsonNode, String>> EVENT = Map.ofEntries(
            Map.entry("involvedObject.kind", o -> text(o, "involvedObject", "kind")),
            Map.entry("involvedObject.namespace", o -> text(o, "involvedObject", "namespace")),
            Map.entry("involvedObject.name", o -> text(o, "involvedObject", "name")),
            Map.entry("involvedObject.uid", o -> text(o, "involvedObject", "uid")),
            Map.entry("involvedObject.apiVersion", o -> text(o, "involvedObject", "apiVersion")),
            Map.entry("involvedObject.resourceVersion", o -> text(o, "involvedObject", "resourceVersion")),
            Map.entry("involvedObject.fieldPath", o -> text(o, "involvedObject", "fieldPath")),
            Map.entry("reason", o -> o.path("reason").asText("")),
            Map.entry("reportingComponent", o -> o.path("reportingComponent").asText("")),
            Map.entry("source", o -> text(o, "source", "component")),
            Map.entry("type", o -> o.path("type").asText("")));
    /** Kinds with their own field labels; they word a refusal differently from the rest. */
    private static final Map<String, Map<String, Function<JsonNode, String>>> OWN_FIELDS = Map.of(
            "/pods", POD,
            "/events", EVENT,
            "/nodes", Map.of("spec.unschedulable", o -> String.valueOf(o.path("spec").path("unschedulable")
                    .asBoolean(false))),
            "/namespaces", Map.of("status.phase", o -> text(o, "status", "phase")),
            "/secrets", Map.of("type", o -> o.path("type").asText("")),
            "/replicationcontrollers", Map.of("status.replicas", o -> o.path("status").path("replicas").asText("0")),
            "apps/replicasets", Map.of("status.replicas", o -> o.path("status").path("replicas").asText("0")),
            "batch/jobs", Map.of("status.successful", o -> o.path("status").path("succeeded").asText("0")));

    static final FieldSelector EVERYTHING = new FieldSelector(List.of(), Map.of());
    private final List<Term> terms;
    private final Map<String, Function<JsonNode, String>> fields;

    private FieldSelector(List<Term> terms, Map<String, Function<JsonNode, String>> fields) {
        this.terms = terms;
        this.fields = fields;
    }

    private static String text(JsonNode o, String a, String b) {
        JsonNode v = o.path(a).path(b);
        return v.isValueNode() ? v.asText() : "";
    }

    boolean isEverything() {
        return terms.isEmpty();
    }

    boolean matches(JsonNode obj) {
        for (Term t : terms) {
            String have = switch (t.field()) {
                case "metadata.name" -> text(obj, "metadata", "name");
                case "metadata.namespace" -> text(obj, "metadata", "namespace");
                default -> fields.get(t.field()).apply(obj);
            };
            if (have.equals(t.value()) != t.equals()) {
                return false;
            }
        }
        return true;
    }

    /** Parses and checks every field against what {@code type} supports (400 BadRequest otherwise). */
    static FieldSelector parse(String text, ResourceType type) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        Map<String, Function<JsonNode, String>> own = OWN_FIELDS.get(type.group() + "/" + type.plural());
        List<Term> terms = new ArrayList<>();
        for (String part : split(text, ',')) {
            Term t = term(part);
            boolean common = t.field().equals("metadata.name") || t.field().equals("metadata.namespace");
            if (!common && (own == null || !own.containsKey(t.field()))) {
                throw ApiError.badRequest(own != null ? "field label not supported: " + t.field()
                        : "\"" + t.field() + "\" is not a known field selector: only \"metadata.name\", "
                        + "\"metadata.namespace\"");
            }
            terms.add(t);
        }
        return new FieldSelector(List.copyOf(terms), own == null ? Map.of() : own);
    }

    private static Term term(String part) {
        String[] ops = {"!=", "==", "="};
        for (String op : ops) {
            int at = indexUnescaped(part, op);
            if (at > 0) {
                return new Term(part.substring(0, at).trim(), !op.equals("!="), unescape(part.substring(at + op.length())));
            }
        }
        throw ApiError.badRequest("invalid selector: '" + part + "'; can't understand '" + part + "'");
    }

    private static int indexUnescaped(String s, String op) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\') {
                i++;
            } else if (s.startsWith(op, i)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> split(String s, char sep) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == sep) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c == '\\' && i + 1 < s.length() ? s.charAt(++i) : c);
        }
        return out.toString();
    }
}
