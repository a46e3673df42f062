package io.emrvke.server.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * What the gateway tolerates from clients that have not (yet) proved who they are, so that slow or
 * failing strangers cannot hold what signed callers need.
 *
 * @param headTimeout                   how long a connection without an authenticated request may take to
 *                                      send a complete request head, counted from its opening or its last answer
 * @param minBodyBytesPerSecond         the slowest average rate a request body may arrive at once
 *                                      {@code bodyGrace} has passed since its head; slower ones get 408
 * @param bodyGrace                     how long any body may take before the rate counts
 * @param maxUnauthenticatedConnections connections without an authenticated request kept open at once;
 *                                      a new one beyond the bound closes the oldest of them
 * @param authFailuresPerMinute         failed authentications one source address may cause per minute,
 *                                      sustained; beyond them its requests get 429. 0 turns the limit off
 * @param authFailureBurst              failed authentications an address may cause at once
 * @param maxPendingBodyBytes           bytes of request bodies being received (not yet handed to a handler)
 *                                      held at once; a body that would go beyond gets 503 (one body of the
 *                                      largest accepted size always fits)
 */
public record ClientLimits(Duration headTimeout, long minBodyBytesPerSecond, Duration bodyGrace,
                           int maxUnauthenticatedConnections, int authFailuresPerMinute, int authFailureBurst,
                           long maxPendingBodyBytes) {

    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(10);
    public static final long DEFAULT_MIN_BODY_BYTES_PER_SECOND = 8 * 1024;
    public static final Duration DEFAULT_BODY_GRACE = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS = 256;
    public static final int DEFAULT_AUTH_FAILURES_PER_MINUTE = 60;
    public static final int DEFAULT_AUTH_FAILURE_BURST = 30;
    public static final long DEFAULT_MAX_PENDING_BODY_BYTES = 64L << 20;

    public static final ClientLimits DEFAULTS = new ClientLimits(DEFAULT_HEAD_TIMEOUT,
            DEFAULT_MIN_BODY_BYTES_PER_SECOND, DEFAULT_BODY_GRACE, DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS,
            DEFAULT_AUTH_FAILURES_PER_MINUTE, DEFAULT_AUTH_FAILURE_BURST, DEFAULT_MAX_PENDING_BODY_BYTES);

    public ClientLimits {
        Objects.requireNonNull(headTimeout, "headTimeout");
        Objects.requireNonNull(bodyGrace, "bodyGrace");
        if (headTimeout.isNegative() || headTimeout.isZero()) {
            throw new IllegalArgumentException("headTimeout must be positive, got " + headTimeout);
        }
        if (bodyGrace.isNegative()) {
            throw new IllegalArgumentException("bodyGrace must not be negative, got " + bodyGrace);
        }
        if (minBodyBytesPerSecond < 1) {
            throw new IllegalArgumentException("minBodyBytesPerSecond must be at least 1, got "
                    + minBodyBytesPerSecond);
        }
        if (maxUnauthenticatedConnections < 1) {
            throw new IllegalArgumentException("maxUnauthenticatedConnections must be at least 1, got "
                    + maxUnauthenticatedConnections);
        }
        if (authFailuresPerMinute < 0 || (authFailuresPerMinute > 0 && authFailureBurst < 1)) {
            throw new IllegalArgumentException("authFailuresPerMinute must be 0 (off) or more, with a burst of"
                    + " at least 1; got " + authFailuresPerMinute + " and " + authFailureBurst);
        }
        if (maxPendingBodyBytes < 1) {
            throw new IllegalArgumentException("maxPendingBodyBytes must be positive, got " + maxPendingBodyBytes);
        }
    }

    public ClientLimits withHeadTimeout(Duration timeout) {
        return new ClientLimits(timeout, minBodyBytesPerSecond, bodyGrace, maxUnauthenticatedConnections,
                authFailuresPerMinute, authFailureBurst, maxPendingBodyBytes);
    }

    /** Bodies must arrive at {@code bytesPerSecond} or faster once {@code grace} has passed. */
    public ClientLimits withMinBodyRate(long bytesPerSecond, Duration grace) {
        return new ClientLimits(headTimeout, bytesPerSecond, grace, maxUnauthenticatedConnections,
                authFailuresPerMinute, authFailureBurst, maxPendingBodyBytes);
    }

    public ClientLimits withMaxUnauthenticatedConnections(int max) {
        return new ClientLimits(headTimeout, minBodyBytesPerSecond, bodyGrace, max, authFailuresPerMinute,
                authFailureBurst, maxPendingBodyBytes);
    }

    /** Failed authentications per source address; {@code perMinute} 0 turns the limit off. */
    public ClientLimits withAuthFailureLimit(int perMinute, int burst) {
        return new ClientLimits(headTimeout, minBodyBytesPerSecond, bodyGrace, maxUnauthenticatedConnections,
                perMinute, burst, maxPendingBodyBytes);
    }

    public ClientLimits withMaxPendingBodyBytes(long bytes) {
        return new ClientLimits(headTimeout, minBodyBytesPerSecond, bodyGrace, maxUnauthenticatedConnections,
                authFailuresPerMinute, authFailureBurst, bytes);
    }
}
