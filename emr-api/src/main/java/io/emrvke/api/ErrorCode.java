package io.emrvke.api;

/**
 * Every error the API answers with, as in docs/api.md#errors: the symbolic code, its numeric CodeN
 * (null where the public table has none) and the HTTP status.
 */
public enum ErrorCode {
    MISSING_PARAMETER("MissingParameter", 100002, 400),
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationToken", 100003, 401),
    MISSING_REQUEST_INFO("MissingRequestInfo", 100004, 400),
    MISSING_SIGNATURE("MissingSignature", 100005, 401),
    INVALID_TIMESTAMP("InvalidTimestamp", 100006, 400),
    SERVICE_NOT_FOUND("ServiceNotFound", 100007, 404),
    INVALID_ACTION_OR_VERSION("InvalidActionOrVersion", 100008, 404),
    INVALID_ACCESS_KEY("InvalidAccessKey", 100009, 401),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 100010, 401),
    ACCESS_DENIED("AccessDenied", 100013, 403),
    INTERNAL_ERROR("InternalError", 100014, 500),
    FLOW_LIMIT_EXCEEDED("FlowLimitExceeded", 100018, 429),
    INVALID_AUTHORIZATION("InvalidAuthorization", null, 400),
    INVALID_CREDENTIAL("InvalidCredential", null, 400),
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLarge", null, 413),
    INVALID_PARAMETER("InvalidParameter", null, 400),
    IDEMPOTENT_PARAMETER_MISMATCH("IdempotentParameterMismatch", null, 400),
    NOT_FOUND_PATH("NotFound", null, 404),
    METHOD_NOT_ALLOWED("MethodNotAllowed", null, 405),
    NOT_FOUND_CLUSTER("NotFound.Cluster", null, 404),
    NOT_FOUND_APPLICATION("NotFound.Application", null, 404),
    NOT_FOUND_COMPONENT("NotFound.Component", null, 404),
    NOT_FOUND_COMPONENT_INSTANCE("NotFound.ComponentInstance", null, 404),
    NOT_FOUND_OPERATION("NotFound.Operation", null, 404),
    NOT_FOUND_RELEASE_VERSION("NotFound.ReleaseVersion", null, 404),
    NOT_FOUND_VKE_CLUSTER("NotFound.VkeCluster", null, 404),
    CLUSTER_STATE_DENIED("OperationDenied.ClusterState", null, 409),
    APPLICATION_STATE_DENIED("OperationDenied.ApplicationState", null, 409),
    CONFLICTING_OPERATION("OperationDenied.ConflictingOperation", null, 409),
    UNSUPPORTED_ACTION("OperationDenied.UnsupportedAction", null, 400),
    OPERATION_STATE_DENIED("OperationDenied.OperationState", null, 409),
    SERVICE_UNAVAILABLE("ServiceUnavailableTemp", null, 503);

    private final String code;
    private final Integer codeN;
    private final int httpStatus;

    ErrorCode(String code, Integer codeN, int httpStatus) {
        this.code = code;
        this.codeN = codeN;
        this.httpStatus = httpStatus;
    }

    /** The wire spelling, e.g. {@code NotFound.Cluster}. */
    public String code() {
        return code;
    }

    /** The numeric code of the public table, or null when it has none. */
    public Integer codeN() {
        return codeN;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Looks a wire code up; null when it is none of ours. */
    public static ErrorCode fromCode(String code) {
        for (ErrorCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        return null;
    }

    public ApiException exception(String message) {
        return new ApiException(this, message);
    }
}
