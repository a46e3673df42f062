package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A label selector in the API's query syntax: {@code a=b}, {@code a==b}, {@code a!=b}, {@code a in (x,y)},
 * {@code a notin (x)}, {@code a}, {@code !a}, {@code a>1}, {@code a<1}, comma-separated, all must hold.
 */
final class LabelSelector {
    private enum Op { EXISTS, NOT_EXISTS, EQUALS, NOT_EQUALS, IN, NOT_IN, GREATER, LESS }

    private record Requirement(String key, Op op, Set<String> values) {
        boolean matches(JsonNode labels) {
            JsonNode v = labels.get(key);
            boolean has = v != null && !v.isNull();
            String value = has ? v.asText() : null;
            return switch (op) {
                case EXISTS -> has;
                case NOT_EXISTS -> !has;
                case EQUALS, IN -> has && values.contains(value);
                case NOT_EQUALS, NOT_IN -> !has || !values.contains(value);
                case GREATER, LESS -> has && compares(value);
            };
        }

        private boolean compares(String value) {
            try {
                long have = Long.parseLong(value);
                long want = Long.parseLong(values.iterator().next());
                return op == Op.GREATER ? have > want : have < want;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    static final LabelSelector EVERYTHING = new LabelSelector(List.of());
    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    boolean isEverything() {
        return requirements.isEmpty();
    }

    boolean matches(JsonNode obj) {
        JsonNode labels = obj.path("metadata").path("labels");
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Parses the query syntax; a 400 BadRequest worded as the API server words it otherwise. */
    static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        return new Parser(text).selector();
    }

    /** Tokens: identifiers, operators and punctuation, as apimachinery's lexer splits them. */
    private static final class Parser {
        private final List<String> tokens = new ArrayList<>();
        private int pos;

        Parser(String text) {
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == ',' || c == '(' || c == ')') {
                    tokens.add(String.valueOf(c));
                    i++;
                } else if (c == '=' || c == '!' || c == '<' || c == '>') {
                    boolean two = i + 1 < text.length() && text.charAt(i + 1) == '=' && (c == '=' || c == '!');
                    tokens.add(text.substring(i, two ? i + 2 : i + 1));
                    i += two ? 2 : 1;
                } else {
                    int start = i;
                    while (i < text.length() && !Character.isWhitespace(text.charAt(i))
                            && ",()=!<>".indexOf(text.charAt(i)) < 0) {
                        i++;
                    }
                    tokens.add(text.substring(start, i));
                }
            }
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos) : "";
        }

        private String next() {
            return pos < tokens.size() ? tokens.get(pos++) : "";
        }

        private static ApiError error(String found, String expected) {
            return ApiError.badRequest("unable to parse requirement: found '" + found + "', expected: " + expected);
        }

        LabelSelector selector() {
            List<Requirement> all = new ArrayList<>();
            while (true) {
                all.add(requirement());
                String t = next();
                if (t.isEmpty()) {
                    return new LabelSelector(List.copyOf(all));
                }
                if (!t.equals(",")) {
                    throw error(t, "','");
                }
            }
        }

        private Requirement requirement() {
            if (peek().equals("!")) {
                next();
                return new Requirement(key(), Op.NOT_EXISTS, Set.of());
            }
            String key = key();
            String op = peek();
            switch (op) {
                case "", "," -> {
                    return new Requirement(key, Op.EXISTS, Set.of());
                }
                case "=", "==" -> {
                    next();
                    return new Requirement(key, Op.EQUALS, Set.of(value()));
                }
                case "!=" -> {
                    next();
                    return new Requirement(key, Op.NOT_EQUALS, Set.of(value()));
                }
                case ">", "<" -> {
                    next();
                    String v = value();
                    try {
                        Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        throw ApiError.badRequest("unable to parse requirement: for 'Gt', 'Lt' operators, the value"
                                + " must be an integer");
                    }
                    return new Requirement(key, op.equals(">") ? Op.GREATER : Op.LESS, Set.of(v));
                }
                case "in", "notin" -> {
                    next();
                    return new Requirement(key, op.equals("in") ? Op.IN : Op.NOT_IN, valueSet());
                }
                default -> throw error(op, "in, notin, =, ==, !=, gt, lt");
            }
        }

        private String key() {
            String t = next();
            if (t.isEmpty() || ",()=!<>".contains(t.substring(0, 1))) {
                throw error(t, "identifier");
            }
            return t;
        }

        private String value() {
            String t = peek();
            if (t.isEmpty() || t.equals(",")) {
                return ""; // "a=" selects the empty value
            }
            if (",()=!<>".contains(t.substring(0, 1))) {
                throw error(t, "identifier");
            }
            return next();
        }

        private Set<String> valueSet() {
            String open = next();
            if (!open.equals("(")) {
                // apimachinery words this one without the comma the others have
                throw ApiError.badRequest("unable to parse requirement: found '" + open + "' expected: '('");
            }
            Set<String> values = new TreeSet<>();
            while (true) {
                String t = peek();
                if (t.equals(")") && values.isEmpty()) {
                    next();
                    return values;
                }
                values.add(t.equals(",") || t.equals(")") ? "" : next());
                String sep = next();
                if (sep.equals(")")) {
                    return values;
                }
                if (!sep.equals(",")) {
                    throw error(sep, "',' or ')'");
                }
            }
        }
    }
}
