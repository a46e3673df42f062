package io.emrvke.server.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The causes found so far, made as k8s.io/apimachinery's field.Error makes them: the message is the cause
 * type's text, then the refused value (Go {@code %q} for a string, {@code %v} for a number or boolean, JSON for
 * anything else) where the type shows one, then the detail.
 */
final class Problems {
    private final List<Cause> causes = new ArrayList<>();

    List<Cause> causes() {
        return List.copyOf(causes);
    }

    boolean isEmpty() {
        return causes.isEmpty();
    }

    int size() {
        return causes.size();
    }

    void add(Cause cause) {
        causes.add(cause);
    }

    void invalid(String field, Object value, String detail) {
        add(Cause.INVALID, field, "Invalid value: " + shown(value), detail);
    }

    /** One Invalid cause per message, as the API server reports each failed rule of a value. */
    void invalid(String field, Object value, List<String> details) {
        details.forEach(detail -> invalid(field, value, detail));
    }

    void required(String field, String detail) {
        add(Cause.REQUIRED, field, "Required value", detail);
    }

    void forbidden(String field, String detail) {
        add(Cause.FORBIDDEN, field, "Forbidden", detail);
    }

    void tooLong(String field, int maxBytes) {
        add(Cause.TOO_LONG, field, "Too long", "may not be more than " + maxBytes + (maxBytes == 1 ? " byte" : " bytes"));
    }

    void notSupported(String field, Object value, List<String> supported) {
        String detail = supported.isEmpty() ? "" : "supported values: "
                + supported.stream().map(GoText::quote).collect(Collectors.joining(", "));
        add(Cause.NOT_SUPPORTED, field, "Unsupported value: " + shown(value), detail);
    }

    void notFound(String field, Object value) {
        add(Cause.NOT_FOUND, field, "Not found: " + shown(value), "");
    }

    void duplicate(String field, Object value) {
        add(Cause.DUPLICATE, field, "Duplicate value: " + shown(value), "");
    }

    private void add(String reason, String field, String body, String detail) {
        causes.add(new Cause(reason, field, detail.isEmpty() ? body : body + ": " + detail));
    }

    private static String shown(Object value) {
        if (value instanceof String s) {
            return GoText.quote(s);
        }
        if (value instanceof JsonNode node) {
            return GoText.json(node);
        }
        return String.valueOf(value);
    }

    // ------------------------------------------------------------------ field paths, as field.Path writes them

    static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    static String key(String parent, String key) {
        return parent + "[" + key + "]";
    }
}
