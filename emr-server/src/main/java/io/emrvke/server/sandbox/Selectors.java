package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Label selectors ({@code matchLabels} + {@code matchExpressions}) and node selector requirements. */
final class Selectors {
    private Selectors() {
    }

    /** Whether {@code labels} satisfy a LabelSelector; an empty or missing selector matches nothing, as for workloads. */
    static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector == null || selector.isMissingNode() || selector.isNull()
                || selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty()) {
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> wanted = selector.path("matchLabels").fields();
        while (wanted.hasNext()) {
            Map.Entry<String, JsonNode> e = wanted.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return requirementsHold(selector.path("matchExpressions"), labels);
    }

    /** Every requirement (key, operator, values) holds for {@code labels}: In, NotIn, Exists, DoesNotExist, Gt, Lt. */
    static boolean requirementsHold(JsonNode requirements, JsonNode labels) {
        for (JsonNode req : requirements) {
            String value = labels.path(req.path("key").asText()).asText(null);
            List<String> values = new ArrayList<>();
            req.path("values").forEach(v -> values.add(v.asText()));
            if (!holds(req.path("operator").asText(), value, values)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(String operator, String value, List<String> values) {
        return switch (operator) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt" -> compares(value, values, 1);
            case "Lt" -> compares(value, values, -1);
            default -> false;
        };
    }

    private static boolean compares(String value, List<String> values, int sign) {
        if (value == null || values.size() != 1) {
            return false;
        }
        try {
            return Long.compare(Long.parseLong(value), Long.parseLong(values.get(0))) == sign;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
