package io.emrvke.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.disclosure.Clip;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The fields of one request (a JSON object) read by name, with the tolerances of docs/api.md#requests:
 * integers as numbers or numeric strings, a single string where an array of strings is
 * expected. Every failure is an {@link ApiException} whose message names the field by its full
 * path (e.g. {@code Applications.1.ApplicationConfigs.2.ConfigItemKey}, 1-based like the GET form).
 */
public final class Params {

    private final ObjectNode node;
    private final String path;

    private Params(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    public static Params of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Params(JsonNodeFactory.instance.objectNode(), "");
        }
        if (!node.isObject()) {
            throw ErrorCode.INVALID_PARAMETER.exception(
                    "The request body must be a JSON object, got " + describe(node) + ".");
        }
        return new Params((ObjectNode) node, "");
    }

    public static Params empty() {
        return of(null);
    }

    /** The underlying JSON object (read-only by convention). */
    public ObjectNode json() {
        return node;
    }

    /** The full name of a field of this object, as used in messages. */
    public String name(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    public String requiredString(String field) {
        return optionalString(field).orElseThrow(() -> missing(field));
    }

    public Optional<String> optionalString(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw invalid(field, "must be a string, got " + describe(v));
        }
        return Optional.of(v.asText());
    }

    /** A non-blank string of at most {@code maxLength} characters. */
    public String requiredText(String field, int maxLength) {
        String s = requiredString(field);
        return checkText(field, s, maxLength);
    }

    public Optional<String> optionalText(String field, int maxLength) {
        return optionalString(field).map(s -> checkText(field, s, maxLength));
    }

    private String checkText(String field, String s, int maxLength) {
        if (s.isBlank()) {
            throw invalid(field, "must not be empty");
        }
        if (s.length() > maxLength) {
            throw invalid(field, "must be at most " + maxLength + " characters, got " + s.length());
        }
        return s;
    }

    /** An integer within [min, max], from a JSON number or a numeric string; {@code dflt} when absent. */
    public int optionalInt(String field, int min, int max, int dflt) {
        return optionalLong(field, min, max).map(Long::intValue).orElse(dflt);
    }

    public Optional<Long> optionalLong(String field, long min, long max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        long value;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            value = v.asLong();
        } else if (v.isTextual() && v.asText().trim().matches("[+-]?\\d{1,19}")) {
            BigInteger big = new BigInteger(v.asText().trim());
            if (big.bitLength() > 63) {
                throw invalid(field, "must be between " + min + " and " + max + ", got " + v.asText().trim());
            }
            value = big.longValue();
        } else if (v.isNumber() && v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble())
                && Math.abs(v.asDouble()) < 9.0e15) {
            // Some clients (Gson) write every number as a double: 10.0 means 10.
            value = (long) v.asDouble();
        } else {
            throw invalid(field, "must be an integer, got " + describe(v));
        }
        if (value < min || value > max) {
            throw invalid(field, "must be between " + min + " and " + max + ", got " + value);
        }
        return Optional.of(value);
    }

    /** A boolean from JSON true/false or the strings "true"/"false". */
    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (v.isBoolean()) {
            return Optional.of(v.asBoolean());
        }
        if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Optional.of(Boolean.parseBoolean(v.asText()));
        }
        throw invalid(field, "must be true or false, got " + describe(v));
    }

    /** An array of strings; a single string counts as a one-element array; empty list when absent. */
    public List<String> stringList(String field) {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw invalid(field, "must be an array of strings, got " + describe(v));
        }
        int i = 1;
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw invalidAt(name(field) + "." + i, "must be a string, got " + describe(e));
            }
            out.add(e.asText());
            i++;
        }
        return out;
    }

    public List<String> requiredStringList(String field) {
        List<String> list = stringList(field);
        if (list.isEmpty()) {
            throw has(field) ? invalid(field, "must hold at least one value") : missing(field);
        }
        return list;
    }

    /** An array of objects, each readable as Params named {@code Field.N}; empty list when absent. */
    public List<Params> objectList(String field) {
        JsonNode v = node.get(field);
        List<Params> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isObject()) {
            out.add(new Params((ObjectNode) v, name(field) + ".1"));
            return out;
        }
        if (!v.isArray()) {
            throw invalid(field, "must be an array of objects, got " + describe(v));
        }
        int i = 1;
        for (JsonNode e : v) {
            String at = name(field) + "." + i;
            if (!e.isObject()) {
                throw invalidAt(at, "must be an object, got " + describe(e));
            }
            out.add(new Params((ObjectNode) e, at));
            i++;
        }
        return out;
    }

    public List<Params> requiredObjectList(String field) {
        List<Params> list = objectList(field);
        if (list.isEmpty()) {
            throw has(field) ? invalid(field, "must hold at least one element") : missing(field);
        }
        return list;
    }

    public Optional<Params> optionalObject(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            throw invalid(field, "must be an object, got " + describe(v));
        }
        return Optional.of(new Params((ObjectNode) v, name(field)));
    }

    public Params requiredObject(String field) {
        return optionalObject(field).orElseThrow(() -> missing(field));
    }

    /**
     * One of the accepted values, matched case-insensitively and returned in its canonical
     * spelling (docs/api.md#requests).
     */
    public Optional<String> optionalChoice(String field, Collection<String> accepted) {
        return optionalString(field).map(s -> canonicalChoice(name(field), s, accepted));
    }

    public String requiredChoice(String field, Collection<String> accepted) {
        return optionalChoice(field, accepted).orElseThrow(() -> missing(field));
    }

    /** Each element canonicalised against {@code accepted}; a single string is a one-element list. */
    public List<String> choiceList(String field, Collection<String> accepted) {
        List<String> raw = stringList(field);
        List<String> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(canonicalChoice(name(field) + "." + (i + 1), raw.get(i), accepted));
        }
        return out;
    }

    /** Canonical spelling of {@code value} among {@code accepted}, or InvalidParameter naming the field. */
    public static String canonicalChoice(String fullName, String value, Collection<String> accepted) {
        for (String a : accepted) {
            if (a.equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw ErrorCode.INVALID_PARAMETER.exception(fullName + " '" + clip(value)
                + "' is not one of the accepted values: " + String.join(", ", accepted) + ".");
    }

    public ApiException missing(String field) {
        return ErrorCode.MISSING_PARAMETER.exception("The request is missing the " + name(field) + " parameter.");
    }

    public ApiException invalid(String field, String problem) {
        return invalidAt(name(field), problem);
    }

    public static ApiException invalidAt(String fullName, String problem) {
        return ErrorCode.INVALID_PARAMETER.exception(fullName + " " + problem + ".");
    }

    /** A short, printable rendering of a value for messages (never the whole of a large value). */
    public static String clip(String value) {
        return Clip.of(value);
    }

    /** {@link #clip(String)} to at most {@code max} characters. */
    public static String clip(String value, int max) {
        return Clip.of(value, max);
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "string '" + clip(v.asText()) + "'";
        }
        if (v.isNumber()) {
            return "number " + clip(v.asText());
        }
        if (v.isBoolean()) {
            return "boolean " + v.asText();
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "an object";
        }
        return v.getNodeType().name().toLowerCase();
    }
}
