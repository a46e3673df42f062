package io.emrvke.server.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of objects a Kubernetes API server refuses (refused-objects.yaml) and what it answered for each
 * (api-server-answers.yaml, captured from a real one): shared by the unit test and the real-server test.
 */
final class RefusedObjects {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String CASES = "/admission/refused-objects.yaml";
    static final String ANSWERS = "/admission/api-server-answers.yaml";

    /**
     * One object to send.
     *
     * @param name          what the case shows
     * @param object        the object, without a namespace
     * @param old           the object stored before, for an update; null for a create
     * @param generatedName the name the case's answers use for the one the server generates, or null
     */
    record Case(String name, ObjectNode object, ObjectNode old, String generatedName) {
        @Override
        public String toString() {
            return name;
        }

        /** The object as the API server validates it: in the namespace of the request, its name generated. */
        ObjectNode asValidated(String namespace, String generated) {
            ObjectNode copy = object.deepCopy();
            ObjectNode meta = copy.with("metadata");
            if (namespace != null) {
                meta.put("namespace", namespace);
            }
            if (generated != null) {
                meta.put("name", generated);
            }
            return copy;
        }
    }

    /** What the API server answered: a 400 message, or a 422 message and its causes. */
    record Answer(String badRequest, String message, List<Cause> causes) {
    }

    private RefusedObjects() {
    }

    private static List<Case> cases;
    private static Map<String, Answer> answers;

    /** The cases, read once (the table holds a mebibyte of data). */
    static synchronized List<Case> cases() {
        if (cases == null) {
            cases = readCases();
        }
        return cases;
    }

    private static List<Case> readCases() {
        JsonNode table = read(CASES);
        JsonNode bases = table.get("bases");
        List<Case> out = new ArrayList<>();
        for (JsonNode c : table.get("cases")) {
            ObjectNode object = build(bases, c);
            if (c.has("bigData")) {
                object.with("data").put("big", "x".repeat(c.get("bigData").asInt()));
            }
            if (c.has("bigAnnotation")) {
                object.with("metadata").with("annotations").put("example.com/big",
                        "x".repeat(c.get("bigAnnotation").asInt()));
            }
            ObjectNode old = c.has("old") ? build(bases, c.get("old")) : null;
            out.add(new Case(c.get("name").asText(), object, old,
                    c.has("generatedName") ? c.get("generatedName").asText() : null));
        }
        return out;
    }

    /** The valid objects the cases start from, by name. */
    static Map<String, ObjectNode> bases() {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        read(CASES).get("bases").fields().forEachRemaining(e -> out.put(e.getKey(), (ObjectNode) e.getValue()));
        return out;
    }

    /** The answers by case name, as captured; empty when no capture was made yet. */
    static synchronized Map<String, Answer> answers() {
        if (answers == null) {
            answers = readAnswers();
        }
        return answers;
    }

    private static Map<String, Answer> readAnswers() {
        Map<String, Answer> out = new LinkedHashMap<>();
        JsonNode all = RefusedObjects.class.getResource(ANSWERS) == null ? null : read(ANSWERS);
        if (all == null) {
            return out;
        }
        for (JsonNode a : all) {
            List<Cause> causes = new ArrayList<>();
            a.path("causes").forEach(c -> causes.add(new Cause(c.get("reason").asText(), c.get("field").asText(),
                    c.get("message").asText())));
            out.put(a.get("case").asText(), new Answer(a.has("badRequest") ? a.get("badRequest").asText() : null,
                    a.has("message") ? a.get("message").asText() : null, causes));
        }
        return out;
    }

    /** The answers as api-server-answers.yaml holds them: messages as literal blocks, nothing escaped. */
    static String yaml(Map<String, Answer> answers) {
        StringBuilder out = new StringBuilder("# Captured from a real API server by AdmissionAgreesWithARealApiServerTest;"
                + " do not edit by hand.\n");
        answers.forEach((name, a) -> {
            out.append("- case: ").append(name).append('\n');
            if (a.badRequest() != null) {
                literal(out, "  badRequest", a.badRequest());
                return;
            }
            literal(out, "  message", a.message());
            out.append("  causes:\n");
            for (Cause c : a.causes()) {
                out.append("  - reason: ").append(c.reason()).append('\n');
                out.append("    field: '").append(c.field().replace("'", "''")).append("'\n");
                literal(out, "    message", c.message());
            }
        });
        return out.toString();
    }

    private static void literal(StringBuilder out, String key, String text) {
        String indent = " ".repeat(key.length() - key.stripLeading().length() + 2);
        out.append(key).append(": |-\n");
        text.lines().forEach(line -> out.append(indent).append(line).append('\n'));
    }

    private static ObjectNode build(JsonNode bases, JsonNode c) {
        ObjectNode object = bases.get(c.get("base").asText()).deepCopy();
        mergePatch(object, c.get("patch"));
        return object;
    }

    /** RFC 7386: members of the patch replace the target's, null removes one, lists are replaced whole. */
    private static void mergePatch(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode current = target.get(e.getKey());
            if (e.getValue().isNull()) {
                target.remove(e.getKey());
            } else if (e.getValue().isObject() && current != null && current.isObject()) {
                mergePatch((ObjectNode) current, e.getValue());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static JsonNode read(String resource) {
        try (InputStream in = RefusedObjects.class.getResourceAsStream(resource)) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
