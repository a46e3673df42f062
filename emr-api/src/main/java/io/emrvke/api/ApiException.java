package io.emrvke.api;

/**
 * A request that cannot be served, with the documented code and a message for people
 * (it names the field or value at fault and what would be accepted).
 */
public class ApiException extends RuntimeException {
    private final ErrorCode error;

    public ApiException(ErrorCode error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public ErrorCode error() {
        return error;
    }
}
