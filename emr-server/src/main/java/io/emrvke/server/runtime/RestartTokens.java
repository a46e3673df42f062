package io.emrvke.server.runtime;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Restart tokens: RFC 3339 timestamps, as {@code kubectl rollout restart} writes to restartedAt. */
public final class RestartTokens {
    private RestartTokens() {
    }

    public static String now() {
        return now(Clock.systemUTC());
    }

    /** Millisecond precision, so two restarts in the same second get different tokens. */
    public static String now(Clock clock) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
    }
}
