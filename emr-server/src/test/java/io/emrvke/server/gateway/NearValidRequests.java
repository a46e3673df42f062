package io.emrvke.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.emrvke.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Requests that are valid but for one or two places, so that they get past an action's first checks into the
 * ones behind them. Each starts from the action's template body (a request the action would accept) and changes
 * one to three places anywhere in it, nested objects and arrays included, and inside string values that hold
 * JSON themselves (RunApplicationAction's {@code applicationConfigs}): a value replaced by an odd one, a field
 * removed, an array element repeated past a limit, a string re-cased, padded, emptied or made huge, an unknown
 * field added. Signed with a valid key; any answer but a 5xx is acceptable (a change may leave a valid request).
 */
public final class NearValidRequests {

    /** One request: the action, what was changed, and the signed request. */
    public record Changed(String action, String description, RawHttp.Request request) {
        @Override
        public String toString() {
            return action + " (" + description + ")";
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<Integer> REPEATS = List.of(2, 3, 101, 501, 1_001);

    private final TestSigner signer;
    private final Random random;
    private final List<JsonNode> oddValues = new ArrayList<>();

    public NearValidRequests(TestSigner signer, long seed) {
        this.signer = signer;
        this.random = new Random(seed);
        for (String odd : BadRequestGenerator.oddValues()) {
            JsonNode value = parseOrNull(odd);
            if (value != null) { // nesting deeper than Jackson reads is the bad-request generator's business
                oddValues.add(value);
            }
        }
        oddValues.add(TextNode.valueOf("z".repeat(70_000)));
        oddValues.add(NODES.numberNode(Long.MIN_VALUE));
    }

    /** {@code perAction} changed requests from each template ({@code action → JSON body}), actions in turn. */
    public List<Changed> generate(Map<String, String> templates, int perAction) {
        List<Changed> out = new ArrayList<>();
        for (int i = 0; i < perAction; i++) {
            templates.forEach((action, template) -> out.add(changed(action, template)));
        }
        return out;
    }

    private Changed changed(String action, String template) {
        JsonNode body = parse(template);
        List<String> changes = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            changes.add(change(body));
        }
        return new Changed(action, String.join("; ", changes), signer.post(action, body.toString()));
    }

    /** One change somewhere in {@code root} (an object); says what it did. */
    private String change(JsonNode root) {
        List<Place> places = new ArrayList<>();
        collect(root, "", places);
        if (places.isEmpty()) {
            ((ObjectNode) root).set("Unknown", odd());
            return "added Unknown";
        }
        Place place = places.get(random.nextInt(places.size()));
        return switch (random.nextInt(6)) {
            case 0, 1 -> replace(place, odd(), "odd value");
            case 2 -> remove(place);
            case 3 -> place.value().isArray() && !place.value().isEmpty() ? repeat(place) : tweak(place);
            case 4 -> place.value().isTextual() ? tweak(place) : addUnknown(root);
            default -> place.value().isTextual() && holdsJson(place.value().asText()) ? changeInside(place)
                    : replace(place, odd(), "odd value");
        };
    }

    /** A value somewhere in the body: its container, its name or index there, and its path for descriptions. */
    private record Place(ContainerNode<?> parent, String field, int index, JsonNode value, String path) {
        void set(JsonNode replacement) {
            if (parent instanceof ObjectNode o) {
                o.set(field, replacement);
            } else {
                ((ArrayNode) parent).set(index, replacement);
            }
        }
    }

    private static void collect(JsonNode node, String path, List<Place> out) {
        if (node instanceof ObjectNode o) {
            o.properties().forEach(e -> {
                String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                out.add(new Place(o, e.getKey(), -1, e.getValue(), at));
                collect(e.getValue(), at, out);
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                String at = path + "[" + i + "]";
                out.add(new Place(a, null, i, a.get(i), at));
                collect(a.get(i), at, out);
            }
        }
    }

    private static String replace(Place place, JsonNode value, String what) {
        place.set(value);
        return place.path() + " := " + what + " " + clip(value.toString());
    }

    private static String remove(Place place) {
        if (place.parent() instanceof ObjectNode o) {
            o.remove(place.field());
        } else {
            ((ArrayNode) place.parent()).remove(place.index());
        }
        return "removed " + place.path();
    }

    private String repeat(Place place) {
        ArrayNode array = (ArrayNode) place.value();
        int size = REPEATS.get(random.nextInt(REPEATS.size()));
        JsonNode element = array.get(random.nextInt(array.size()));
        while (array.size() < size) {
            array.add(element.deepCopy());
        }
        return place.path() + " repeated to " + size + " elements";
    }

    private String tweak(Place place) {
        String text = place.value().isTextual() ? place.value().asText() : place.value().toString();
        String tweaked = switch (random.nextInt(7)) {
            case 0 -> text.toUpperCase(Locale.ROOT);
            case 1 -> text.toLowerCase(Locale.ROOT);
            case 2 -> "  " + text + " ";
            case 3 -> "";
            case 4 -> text + text;
            case 5 -> text + "\u0000\u00e9\u65e5";
            default -> text.repeat(Math.max(1, 70_000 / Math.max(1, text.length())));
        };
        return replace(place, TextNode.valueOf(tweaked), "tweaked");
    }

    private String addUnknown(JsonNode root) {
        List<Place> objects = new ArrayList<>();
        collect(root, "", objects);
        objects.removeIf(p -> !p.value().isObject());
        ObjectNode target = objects.isEmpty() ? (ObjectNode) root
                : (ObjectNode) objects.get(random.nextInt(objects.size())).value();
        target.set("Unknown" + random.nextInt(10), odd());
        return "added an unknown field";
    }

    /** Changes the JSON held in a string value (or cuts it), and writes it back as a string. */
    private String changeInside(Place place) {
        String text = place.value().asText();
        if (random.nextInt(4) == 0) {
            return replace(place, TextNode.valueOf(text.substring(0, random.nextInt(text.length()))), "cut JSON");
        }
        // held in an object, so that even the string's root element can be replaced or removed
        ObjectNode holder = NODES.objectNode();
        holder.set("inner", parse(text));
        String what = change(holder);
        JsonNode inner = holder.get("inner");
        place.set(TextNode.valueOf(inner == null ? "" : inner.toString()));
        return "inside " + place.path() + ": " + what;
    }

    private JsonNode odd() {
        return oddValues.get(random.nextInt(oddValues.size())).deepCopy();
    }

    private static boolean holdsJson(String text) {
        String t = text.strip();
        return (t.startsWith("[") || t.startsWith("{")) && parseOrNull(t) != null;
    }

    private static JsonNode parse(String json) {
        JsonNode node = parseOrNull(json);
        if (node == null) {
            throw new IllegalArgumentException("not JSON: " + clip(json));
        }
        return node;
    }

    private static JsonNode parseOrNull(String json) {
        try {
            return Json.plain().readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
