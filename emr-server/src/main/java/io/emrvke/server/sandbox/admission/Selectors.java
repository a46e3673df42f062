package io.emrvke.server.sandbox.admission;

import static io.emrvke.server.sandbox.admission.Fields.at;
import static io.emrvke.server.sandbox.admission.Fields.list;
import static io.emrvke.server.sandbox.admission.Fields.text;
import static io.emrvke.server.sandbox.admission.Problems.child;
import static io.emrvke.server.sandbox.admission.Problems.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * metav1.LabelSelector: its validation (ValidateLabelSelector), its conversion to a selector
 * (LabelSelectorAsSelector) and matching, and its JSON as the API server shows it in a message.
 */
final class Selectors {
    private Selectors() {
    }

    /** ValidateLabelSelector, labels' values strictly checked. */
    static void validate(Problems p, JsonNode selector, String path) {
        MetaRules.labels(p, at(selector, "matchLabels"), child(path, "matchLabels"));
        List<JsonNode> expressions = list(selector, "matchExpressions");
        for (int i = 0; i < expressions.size(); i++) {
            requirement(p, expressions.get(i), index(child(path, "matchExpressions"), i));
        }
    }

    private static void requirement(Problems p, JsonNode requirement, String path) {
        requirement(p, requirement, path, false);
    }

    /**
     * ValidateLabelSelectorRequirement, or with {@code nodeOperators} ValidateNodeSelectorRequirement (which
     * also takes Gt and Lt with a single value): the operator's values, the key, each value.
     */
    static void requirement(Problems p, JsonNode requirement, String path, boolean nodeOperators) {
        String operator = text(requirement, "operator");
        List<JsonNode> values = list(requirement, "values");
        switch (operator) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    p.required(child(path, "values"), "must be specified when `operator` is 'In' or 'NotIn'");
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    p.forbidden(child(path, "values"),
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }
            }
            case "Gt", "Lt" -> {
                if (!nodeOperators) {
                    p.invalid(child(path, "operator"), operator, "not a valid selector operator");
                } else if (values.size() != 1) {
                    p.required(child(path, "values"), "must be specified single value when `operator` is 'Lt' or 'Gt'");
                }
            }
            default -> p.invalid(child(path, "operator"), operator, "not a valid selector operator");
        }
        String key = text(requirement, "key");
        p.invalid(child(path, "key"), key, Formats.qualifiedName(key));
        for (int i = 0; i < values.size(); i++) {
            p.invalid(index(child(path, "values"), i), values.get(i).asText(),
                    Formats.labelValue(values.get(i).asText()));
        }
    }

    /**
     * LabelSelectorAsSelector: a predicate over a label map, or empty when the selector does not convert (a
     * bad key, value or operator). No selector matches nothing; an empty one matches everything.
     */
    static Optional<Predicate<JsonNode>> asPredicate(JsonNode selector) {
        if (selector.isMissingNode()) {
            return Optional.of(labels -> false);
        }
        Predicate<JsonNode> all = labels -> true;
        for (var e : Fields.entries(selector, "matchLabels")) {
            String value = e.getValue().asText();
            if (!Formats.qualifiedName(e.getKey()).isEmpty() || !Formats.labelValue(value).isEmpty()) {
                return Optional.empty();
            }
            all = all.and(labels -> value.equals(text(labels, e.getKey())) && labels.has(e.getKey()));
        }
        for (JsonNode expression : list(selector, "matchExpressions")) {
            Optional<Predicate<JsonNode>> one = expression(expression);
            if (one.isEmpty()) {
                return Optional.empty();
            }
            all = all.and(one.get());
        }
        return Optional.of(all);
    }

    private static Optional<Predicate<JsonNode>> expression(JsonNode expression) {
        String key = text(expression, "key");
        List<String> values = list(expression, "values").stream().map(JsonNode::asText).toList();
        String operator = text(expression, "operator");
        boolean valuesWanted = operator.equals("In") || operator.equals("NotIn");
        boolean valuesForbidden = operator.equals("Exists") || operator.equals("DoesNotExist");
        boolean valid = (valuesWanted && !values.isEmpty() || valuesForbidden && values.isEmpty())
                && Formats.qualifiedName(key).isEmpty()
                && values.stream().allMatch(v -> Formats.labelValue(v).isEmpty());
        if (!valid) {
            return Optional.empty();
        }
        return Optional.of(switch (operator) {
            case "In" -> labels -> labels.has(key) && values.contains(text(labels, key));
            case "NotIn" -> labels -> !labels.has(key) || !values.contains(text(labels, key));
            case "Exists" -> labels -> labels.has(key);
            default -> labels -> !labels.has(key);
        });
    }

    /** The selector as json.Marshal writes a metav1.LabelSelector (empty members left out). */
    static JsonNode json(JsonNode selector) {
        if (selector.isMissingNode()) {
            return Fields.JSON.nullNode();
        }
        ObjectNode out = Fields.JSON.objectNode();
        JsonNode matchLabels = at(selector, "matchLabels");
        if (matchLabels.isObject() && !matchLabels.isEmpty()) {
            out.set("matchLabels", Fields.goMap(matchLabels));
        }
        List<JsonNode> expressions = list(selector, "matchExpressions");
        if (!expressions.isEmpty()) {
            ArrayNode list = out.putArray("matchExpressions");
            for (JsonNode e : expressions) {
                ObjectNode one = list.addObject().put("key", text(e, "key")).put("operator", text(e, "operator"));
                if (!list(e, "values").isEmpty()) {
                    one.set("values", at(e, "values"));
                }
            }
        }
        return out;
    }
}
