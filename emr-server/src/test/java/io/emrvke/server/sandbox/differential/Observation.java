package io.emrvke.server.sandbox.differential;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one step of a scenario showed on one target, as named aspects ({@code exit}, {@code stdout},
 * {@code stdout.spec}, {@code status}, {@code causes}, …), each a normalised text. Two targets agree on a step
 * when every aspect is equal; a structured answer is split by top-level field so that a difference names the
 * part that differs (and a fix that removes one part's difference shows as such).
 */
final class Observation {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** How a command's standard output is compared. */
    enum Output {
        /** As text (tables, messages). */
        TEXT,
        /** Parsed as JSON or YAML, one aspect per top-level field (per field over all items for a list). */
        OBJECT,
        /** Text whose lines come in no defined order (events): sorted, duplicates dropped. */
        LINE_SET,
        /** Only the last line (progress lines before it depend on timing). */
        LAST_LINE
    }

    final String step;
    final Map<String, String> aspects = new LinkedHashMap<>();

    Observation(String step) {
        this.step = step;
    }

    /** Every aspect, one {@code aspect: value} block after the other. */
    String whole() {
        StringBuilder sb = new StringBuilder();
        aspects.forEach((aspect, value) -> sb.append(aspect).append(": ").append(value).append('\n'));
        return sb.toString().strip();
    }

    Observation put(String aspect, String value) {
        aspects.put(aspect, value);
        return this;
    }

    /** exit, stdout (as {@code output} says) and stderr (each line once: how often a client retried is timing). */
    static Observation ofRun(String step, Kubectl.Run run, Output output, Normaliser normaliser) {
        Observation o = new Observation(step).put("exit", run.exit());
        o.putOutput("stdout", run.out(), output, normaliser);
        return o.put("stderr", String.join("\n", new LinkedHashSet<>(normaliser.text(run.err()).lines().toList())));
    }

    void putOutput(String aspect, String out, Output output, Normaliser normaliser) {
        switch (output) {
            case TEXT -> put(aspect, normaliser.text(out));
            case LINE_SET -> put(aspect, String.join("\n", new TreeSet<>(normaliser.text(out).lines().toList())));
            case LAST_LINE -> {
                List<String> lines = normaliser.text(out).lines().toList();
                put(aspect, lines.isEmpty() ? "" : lines.get(lines.size() - 1));
            }
            case OBJECT -> {
                JsonNode parsed = parse(out);
                if (parsed == null) {
                    put(aspect, normaliser.text(out));
                } else {
                    putObject(aspect, normaliser.json(parsed));
                }
            }
        }
    }

    /**
     * The object's scalar fields (apiVersion, kind, a version's strings) as one aspect, each other top-level field
     * as an aspect of its own; a list: its items' names, their scalar fields, then each other field over all items.
     */
    void putObject(String aspect, JsonNode object) {
        ObjectNode scalars = JSON.createObjectNode();
        object.fields().forEachRemaining(f -> {
            if (f.getKey().equals("items") && f.getValue().isArray()) {
                putItems(aspect + ".items", f.getValue());
            } else if (f.getValue().isContainerNode()) {
                put(aspect + "." + f.getKey(), pretty(f.getValue()));
            } else {
                scalars.set(f.getKey(), f.getValue());
            }
        });
        if (!scalars.isEmpty()) {
            put(aspect, pretty(scalars));
        }
    }

    private void putItems(String aspect, JsonNode items) {
        List<String> names = new ArrayList<>();
        Map<String, Map<String, String>> byField = new TreeMap<>();
        for (JsonNode item : items) {
            // a list's items carry no kind through the API (kubectl adds it): the name alone
            String name = item.path("metadata").path("name").asText();
            names.add(name);
            ObjectNode scalars = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue().isContainerNode()) {
                    byField.computeIfAbsent(f.getKey(), k -> new TreeMap<>()).put(name, pretty(f.getValue()));
                } else {
                    scalars.set(f.getKey(), f.getValue());
                }
            }
            if (!scalars.isEmpty()) {
                byField.computeIfAbsent("scalars", k -> new TreeMap<>()).put(name, scalars.toString());
            }
        }
        Collections.sort(names);
        put(aspect, String.join("\n", names));
        byField.forEach((field, values) -> {
            StringBuilder sb = new StringBuilder();
            values.forEach((name, value) -> sb.append(name).append(": ").append(value).append('\n'));
            put(aspect + "." + field, sb.toString().strip());
        });
    }

    static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON, else YAML (an object), else null. */
    static JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        for (ObjectMapper mapper : List.of(JSON, YAML)) {
            try {
                JsonNode node = mapper.readTree(text);
                if (node != null && node.isContainerNode()) {
                    return node;
                }
            } catch (JsonProcessingException e) {
                // next format
            }
        }
        return null;
    }
}
