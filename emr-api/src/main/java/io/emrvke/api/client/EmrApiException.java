package io.emrvke.api.client;

import io.emrvke.api.ErrorCode;

/**
 * The server answered with an error envelope ({@code ResponseMetadata.Error}), docs/api.md#responses and #errors.
 * Unchecked, so callers handle only the codes they care about.
 */
public class EmrApiException extends RuntimeException {
    private final int httpStatus;
    private final String code;
    private final Integer codeN;
    private final String apiMessage;
    private final String requestId;
    private final String rawBody;

    /**
     * @param codeN null when the error has no numeric code
     * @param requestId null when the reply carried none
     */
    public EmrApiException(int httpStatus, String code, Integer codeN, String apiMessage, String requestId,
                           String rawBody) {
        super("HTTP " + httpStatus + " " + summary(code, apiMessage, requestId));
        this.httpStatus = httpStatus;
        this.code = code;
        this.codeN = codeN;
        this.apiMessage = apiMessage;
        this.requestId = requestId;
        this.rawBody = rawBody;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The wire code, e.g. {@code NotFound.Cluster}. */
    public String code() {
        return code;
    }

    /** The numeric code ({@code CodeN}), or null when the reply had none. */
    public Integer codeN() {
        return codeN;
    }

    /** The server's {@code Message}, verbatim. */
    public String apiMessage() {
        return apiMessage;
    }

    /** {@code ResponseMetadata.RequestId} (or the {@code X-Request-Id} header), null when neither was sent. */
    public String requestId() {
        return requestId;
    }

    /** The whole response body as received. */
    public String rawBody() {
        return rawBody;
    }

    /** The code as one of ours, or null when the server sent a code this build does not know. */
    public ErrorCode errorCode() {
        return ErrorCode.fromCode(code);
    }

    /** {@code Code: Message (RequestId …)}, the line a person reads. */
    public String summary() {
        return summary(code, apiMessage, requestId);
    }

    private static String summary(String code, String message, String requestId) {
        String line = code + ": " + message;
        return requestId == null ? line : line + " (RequestId " + requestId + ")";
    }
}
