package io.emrvke.server.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A mapping of a catalog file read field by field; every failure is a {@link CatalogException}
 * that says where ({@code releases/EMR-VKE-1.8.0.yaml (bundled catalog), application Ray}) and what.
 */
final class YamlNode {
    private final JsonNode node;
    private final String parent;
    private final String self;

    /** The root mapping of a file; {@code where} names the file. */
    YamlNode(JsonNode node, String where) {
        this(node, where, "");
    }

    private YamlNode(JsonNode node, String parent, String self) {
        this.node = node;
        this.parent = parent;
        this.self = self;
    }

    String where() {
        return self.isEmpty() ? parent : parent + ", " + self;
    }

    /** The same element, named by what it is ({@code application Ray}) rather than its position. */
    YamlNode named(String label) {
        return new YamlNode(node, parent, label);
    }

    CatalogException fail(String problem) {
        return new CatalogException(where() + ": " + problem + ".");
    }

    /** Refuses fields the format does not have, so that a typo is an error rather than a silent default. */
    void allowOnly(Set<String> fields) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw fail("unknown field '" + name + "'; known fields: " + String.join(", ", fields.stream().sorted().toList()));
            }
        }
    }

    String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw fail("'" + field + "' is missing");
        }
        if (!v.isTextual()) {
            throw fail("'" + field + "' must be a string (quote it), got " + v.getNodeType().name().toLowerCase());
        }
        if (v.asText().isBlank()) {
            throw fail("'" + field + "' must not be empty");
        }
        return v.asText().trim();
    }

    int integer(String field, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw fail("'" + field + "' is missing");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw fail("'" + field + "' must be an integer, got '" + v.asText() + "'");
        }
        if (v.asInt() < min || v.asInt() > max) {
            throw fail("'" + field + "' must be between " + min + " and " + max + ", got " + v.asInt());
        }
        return v.asInt();
    }

    boolean bool(String field, boolean dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw fail("'" + field + "' must be true or false, got '" + v.asText() + "'");
        }
        return v.asBoolean();
    }

    /** A list of strings; empty when absent. */
    List<String> strings(String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : array(field)) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw fail("'" + field + "' must hold non-empty strings, got '" + e.asText() + "'");
            }
            out.add(e.asText().trim());
        }
        return out;
    }

    /** A list of mappings, each named {@code <singular> #n} until the caller names it better. */
    List<YamlNode> objects(String field, String singular) {
        List<YamlNode> out = new ArrayList<>();
        int n = 1;
        for (JsonNode e : array(field)) {
            if (!e.isObject()) {
                throw fail("each element of '" + field + "' must be a mapping, element " + n + " is not");
            }
            out.add(new YamlNode(e, where(), singular + " #" + n));
            n++;
        }
        return out;
    }

    /**
     * A mapping of string keys to scalar values, in file order. Integers and booleans are taken as
     * their text; decimals must be quoted because YAML would turn {@code 1.10} into {@code 1.1}.
     */
    Map<String, String> stringMap(String field) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw fail("'" + field + "' must be a mapping of key to value");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JsonNode value = e.getValue();
            if (value.isTextual() || value.isIntegralNumber() || value.isBoolean()) {
                out.put(e.getKey(), value.asText());
            } else {
                throw fail("'" + field + "' value of '" + e.getKey() + "' must be a string (quote it), got "
                        + value.getNodeType().name().toLowerCase());
            }
        }
        return out;
    }

    private JsonNode array(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!v.isArray()) {
            throw fail("'" + field + "' must be a list");
        }
        return v;
    }
}
