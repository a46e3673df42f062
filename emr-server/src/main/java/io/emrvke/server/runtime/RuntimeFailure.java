package io.emrvke.server.runtime;

/** A runtime action that failed, with a reason fit to show to the user (never a secret). */
public final class RuntimeFailure extends RuntimeException {
    public enum Reason {
        /** The chart does not render with these values (template error, invalid output): the values are at fault. */
        RENDER_FAILED,
        /** Rendering could not run (helm timed out, was interrupted, its values file could not be written). */
        RENDERER_UNAVAILABLE,
        /** The chart rendered an object a real API server would refuse (ObjectValidation): the values are at fault. */
        INVALID_OBJECT,
        /** The Kubernetes API refused the request with a 4xx that retrying cannot fix. */
        API_REJECTED,
        /** The Kubernetes API kept failing with transient errors (I/O, 429, 5xx) until retries ran out. */
        API_UNAVAILABLE,
        /** A wait did not reach its condition in time; the message says which pods are not ready and why. */
        TIMEOUT,
        /** The target lacks the RayCluster custom resource definition (KubeRay not installed). */
        MISSING_CRD,
        /** The instance's workload does not exist. */
        NOT_FOUND
    }

    private final Reason reason;

    public RuntimeFailure(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RuntimeFailure(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the same step may succeed if tried again later. */
    public boolean retryable() {
        return reason == Reason.API_UNAVAILABLE || reason == Reason.TIMEOUT;
    }
}
