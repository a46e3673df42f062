package io.emrvke.server.sandbox.api;

/**
 * One reason an object is invalid, as a Status cause: {@code reason} is a machine word
 * ({@code FieldValueRequired}, {@code FieldValueInvalid}, {@code FieldValueNotSupported}, ...),
 * {@code field} the path ({@code spec.template.spec.containers[0].image}), {@code message} the text
 * after the field in the API server's wording ({@code Required value}, {@code Invalid value: "x": ...}).
 */
public record Cause(String reason, String field, String message) {
    public Cause {
        reason = reason == null ? "FieldValueInvalid" : reason;
        field = field == null ? "" : field;
        message = message == null ? "" : message;
    }
}
