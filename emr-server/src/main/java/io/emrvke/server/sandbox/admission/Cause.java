package io.emrvke.server.sandbox.admission;

/**
 * One field the API server refuses, as a {@code StatusCause} of a 422 Invalid answer.
 *
 * @param reason  the cause type, e.g. {@code FieldValueInvalid}, {@code FieldValueRequired}
 * @param field   the field path, e.g. {@code spec.template.spec.containers[0].image}
 * @param message the message without the field, e.g. {@code Required value}
 */
public record Cause(String reason, String field, String message) {
    public static final String INVALID = "FieldValueInvalid";
    public static final String REQUIRED = "FieldValueRequired";
    public static final String NOT_SUPPORTED = "FieldValueNotSupported";
    public static final String FORBIDDEN = "FieldValueForbidden";
    public static final String TOO_LONG = "FieldValueTooLong";
    public static final String NOT_FOUND = "FieldValueNotFound";
    public static final String DUPLICATE = "FieldValueDuplicate";

    /** The line the Status message lists for this cause: {@code <field>: <message>}. */
    public String line() {
        return field + ": " + message;
    }
}
