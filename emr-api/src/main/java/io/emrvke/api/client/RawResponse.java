package io.emrvke.api.client;

/**
 * An HTTP reply exactly as received, before any envelope handling.
 *
 * @param status the HTTP status code
 * @param body the body decoded as UTF-8
 * @param requestIdHeader the {@code X-Request-Id} response header, or null when absent
 */
public record RawResponse(int status, String body, String requestIdHeader) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
