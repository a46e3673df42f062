package io.emrvke.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.api.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns the flat GET/form encoding of docs/api.md#requests into the JSON object a POST would carry:
 * {@code Field=v} → string, {@code Field.1=a&Field.2=b} → array (1-based, no gaps),
 * {@code Components.1.ApplicationName=x} → array of objects, {@code VkeCluster.VkeClusterId=x} →
 * object. Every value stays a string; {@link Params} reads numbers and booleans from strings.
 */
final class FormParams {
    private static final Pattern INDEX = Pattern.compile("[1-9]\\d{0,3}");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A node being built: a leaf string, an object by name or a list by 1-based index. */
    private abstract static sealed class Slot permits Leaf, Obj, Arr {
    }

    private static final class Leaf extends Slot {
        final String value;

        Leaf(String value) {
            this.value = value;
        }
    }

    private static final class Obj extends Slot {
        final Map<String, Slot> fields = new LinkedHashMap<>();
    }

    private static final class Arr extends Slot {
        final TreeMap<Integer, Slot> items = new TreeMap<>();
    }

    private FormParams() {
    }

    static ObjectNode toJson(List<Map.Entry<String, String>> entries) {
        Obj root = new Obj();
        for (Map.Entry<String, String> e : entries) {
            put(root, e.getKey(), e.getValue());
        }
        return (ObjectNode) toNode(root, "");
    }

    private static void put(Obj root, String key, String value) {
        String[] segments = key.split("\\.", -1);
        Slot current = root;
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            String seg = segments[i];
            if (seg.isEmpty()) {
                throw invalidKey(key, "has an empty part");
            }
            if (path.length() > 0) {
                path.append('.');
            }
            path.append(seg);
            boolean last = i == segments.length - 1;
            Slot wanted = last ? new Leaf(value)
                    : DIGITS.matcher(segments[i + 1]).matches() ? new Arr() : new Obj();
            current = child(current, seg, wanted, key, path.toString());
        }
    }

    private static Slot child(Slot parent, String seg, Slot wanted, String key, String path) {
        if (parent instanceof Arr arr) {
            if (!INDEX.matcher(seg).matches()) {
                throw invalidKey(key, "uses '" + Params.clip(seg) + "' as a list index; indices are 1 to 9999");
            }
            return attach(arr.items, Integer.valueOf(seg), wanted, key, path);
        }
        Obj obj = (Obj) parent;
        if (DIGITS.matcher(seg).matches()) {
            throw invalidKey(key, "uses the number " + Params.clip(seg) + " where a field name belongs");
        }
        return attach(obj.fields, seg, wanted, key, path);
    }

    private static <K> Slot attach(Map<K, Slot> into, K name, Slot wanted, String key, String path) {
        Slot existing = into.get(name);
        if (existing == null) {
            into.put(name, wanted);
            return wanted;
        }
        if (existing instanceof Leaf || wanted instanceof Leaf) {
            throw existing instanceof Leaf && wanted instanceof Leaf
                    ? ErrorCode.INVALID_PARAMETER.exception("Parameter " + Params.clip(key) + " is given more than once.")
                    : invalidKey(key, "conflicts with another parameter for " + Params.clip(path));
        }
        if (existing.getClass() != wanted.getClass()) {
            throw invalidKey(key, "conflicts with another parameter for " + Params.clip(path)
                    + " (a list in one, an object in the other)");
        }
        return existing;
    }

    private static JsonNode toNode(Slot slot, String path) {
        if (slot instanceof Leaf leaf) {
            return NODES.textNode(leaf.value);
        }
        if (slot instanceof Obj obj) {
            ObjectNode node = NODES.objectNode();
            obj.fields.forEach((name, child) -> node.set(name, toNode(child, join(path, name))));
            return node;
        }
        Arr arr = (Arr) slot;
        ArrayNode node = NODES.arrayNode();
        int expected = 1;
        for (Map.Entry<Integer, Slot> e : arr.items.entrySet()) {
            if (e.getKey() != expected) {
                throw ErrorCode.INVALID_PARAMETER.exception("Parameter " + Params.clip(join(path, e.getKey().toString()))
                        + " is given without " + Params.clip(join(path, Integer.toString(expected)))
                        + "; list indices start at 1 with no gaps.");
            }
            node.add(toNode(e.getValue(), join(path, e.getKey().toString())));
            expected++;
        }
        return node;
    }

    private static String join(String path, String seg) {
        return path.isEmpty() ? seg : path + "." + seg;
    }

    private static io.emrvke.api.ApiException invalidKey(String key, String problem) {
        return ErrorCode.INVALID_PARAMETER.exception("Parameter name '" + Params.clip(key) + "' " + problem + ".");
    }
}
