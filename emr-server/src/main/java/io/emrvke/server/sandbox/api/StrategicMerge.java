package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch for built-in kinds, as kubectl apply, set image and rollout restart send it:
 * a merge patch whose lists of named things (containers, env, volumes, ports, ...) merge element by
 * element on their merge key instead of being replaced, with the {@code $patch}, {@code $retainKeys},
 * {@code $setElementOrder/} and {@code $deleteFromPrimitiveList/} directives. The merge keys come from
 * a table of the fields the Kubernetes types declare them on (by field name: the sandbox has no schema);
 * other lists are replaced whole, as their types say.
 */
final class StrategicMerge {
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"), Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"), Map.entry("env", "name"), Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"), Map.entry("volumeDevices", "devicePath"),
            Map.entry("imagePullSecrets", "name"), Map.entry("hostAliases", "ip"),
            Map.entry("conditions", "type"), Map.entry("ownerReferences", "uid"),
            Map.entry("topologySpreadConstraints", "topologyKey"), Map.entry("resourceClaims", "name"),
            Map.entry("readinessGates", "conditionType"));
    /** Lists of scalars that merge as sets. */
    private static final Set<String> SET_LISTS = Set.of("finalizers");
    private static final String DIRECTIVE = "$patch";

    private StrategicMerge() {
    }

    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            throw ApiError.badRequest("the strategic merge patch must be a JSON object");
        }
        return mergeObject(target.deepCopy(), patch);
    }

    private static JsonNode mergeObject(JsonNode targetNode, JsonNode patch) {
        String directive = patch.path(DIRECTIVE).asText("");
        if (directive.equals("delete")) {
            return null;
        }
        ObjectNode target = targetNode != null && targetNode.isObject() && !directive.equals("replace")
                ? (ObjectNode) targetNode : Json.object();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = f.getKey();
            JsonNode value = f.getValue();
            if (key.startsWith("$")) {
                continue; // directives are read where they apply
            }
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject()) {
                JsonNode merged = mergeObject(target.get(key), value);
                if (merged == null) {
                    target.remove(key);
                } else {
                    target.set(key, merged);
                }
            } else if (value.isArray()) {
                target.set(key, mergeList(key, target.get(key), (ArrayNode) value));
            } else {
                target.set(key, value.deepCopy());
            }
        }
        deleteFromPrimitiveLists(target, patch);
        order(target, patch);
        retainKeys(target, patch);
        return target;
    }

    private static JsonNode mergeList(String field, JsonNode current, ArrayNode patch) {
        boolean replace = false;
        List<JsonNode> elements = new ArrayList<>();
        for (JsonNode e : patch) {
            if (e.isObject() && e.size() == 1 && e.path(DIRECTIVE).asText("").equals("replace")) {
                replace = true;
            } else {
                elements.add(e);
            }
        }
        ArrayNode result = patch.arrayNode();
        if (SET_LISTS.contains(field) && !replace) {
            Set<JsonNode> union = new LinkedHashSet<>();
            (current != null && current.isArray() ? current : patch.arrayNode()).forEach(union::add);
            union.addAll(elements);
            union.forEach(result::add);
            return result;
        }
        String mergeKey = mergeKey(field, elements);
        if (replace || mergeKey == null || current == null || !current.isArray()) {
            elements.stream().filter(e -> !isDelete(e)).map(StrategicMerge::withoutDirectives).forEach(result::add);
            return result;
        }
        current.forEach(e -> result.add(e.deepCopy()));
        for (JsonNode e : elements) {
            int at = indexOf(result, mergeKey, e.path(mergeKey));
            if (isDelete(e)) {
                if (at >= 0) {
                    result.remove(at);
                }
            } else if (at >= 0) {
                result.set(at, mergeObject(result.get(at), e));
            } else {
                result.add(withoutDirectives(e));
            }
        }
        return result;
    }

    /** The list's merge key; service ports merge on {@code port}, container ports on {@code containerPort}. */
    private static String mergeKey(String field, List<JsonNode> elements) {
        if (field.equals("ports")) {
            return elements.stream().anyMatch(e -> e.has("containerPort")) ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    private static boolean isDelete(JsonNode e) {
        return e.isObject() && e.path(DIRECTIVE).asText("").equals("delete");
    }

    private static JsonNode withoutDirectives(JsonNode e) {
        JsonNode merged = e.isObject() ? mergeObject(null, e) : e.deepCopy();
        return merged == null ? Json.object() : merged;
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (Json.sameJson(list.get(i).path(key), value)) {
                return i;
            }
        }
        return -1;
    }

    private static void deleteFromPrimitiveLists(ObjectNode target, JsonNode patch) {
        patch.fields().forEachRemaining(f -> {
            String prefix = "$deleteFromPrimitiveList/";
            if (f.getKey().startsWith(prefix) && target.path(f.getKey().substring(prefix.length())).isArray()) {
                ArrayNode list = (ArrayNode) target.get(f.getKey().substring(prefix.length()));
                for (int i = list.size() - 1; i >= 0; i--) {
                    for (JsonNode gone : f.getValue()) {
                        if (Json.sameJson(list.get(i), gone)) {
                            list.remove(i);
                            break;
                        }
                    }
                }
            }
        });
    }

    /** {@code $setElementOrder/field}: the listed elements first, in that order; the others after. */
    private static void order(ObjectNode target, JsonNode patch) {
        patch.fields().forEachRemaining(f -> {
            String prefix = "$setElementOrder/";
            String field = f.getKey().startsWith(prefix) ? f.getKey().substring(prefix.length()) : null;
            if (field == null || !target.path(field).isArray()) {
                return;
            }
            ArrayNode list = (ArrayNode) target.get(field);
            List<JsonNode> order = new ArrayList<>();
            f.getValue().forEach(order::add);
            String key = mergeKey(field, order);
            ArrayNode sorted = list.arrayNode();
            List<JsonNode> rest = new ArrayList<>();
            list.forEach(rest::add);
            for (JsonNode want : order) {
                for (Iterator<JsonNode> it = rest.iterator(); it.hasNext(); ) {
                    JsonNode have = it.next();
                    if (key == null ? Json.sameJson(have, want) : Json.sameJson(have.path(key), want.path(key))) {
                        sorted.add(have);
                        it.remove();
                        break;
                    }
                }
            }
            rest.forEach(sorted::add);
            target.set(field, sorted);
        });
    }

    private static void retainKeys(ObjectNode target, JsonNode patch) {
        JsonNode keep = patch.get("$retainKeys");
        if (keep == null || !keep.isArray()) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        keep.forEach(k -> names.add(k.asText()));
        target.retain(names);
    }
}
