package io.emrvke.server.gateway;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids of docs/api.md#responses: UTC {@code yyyyMMddHHmmss} + 20 upper-case hex. The hex is a random
 * per-process prefix (replicas differ) and a counter (never repeats within a process).
 */
final class RequestIds {
    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final long FORTY_BITS = (1L << 40) - 1;

    private record Stamp(long epochSecond, String text) {
    }

    private final Clock clock;
    private final String prefix;
    private final AtomicLong counter;
    private volatile Stamp stamp = new Stamp(Long.MIN_VALUE, "");

    RequestIds(Clock clock) {
        this.clock = clock;
        SecureRandom random = new SecureRandom();
        this.prefix = hex(random.nextLong() & FORTY_BITS);
        this.counter = new AtomicLong(random.nextInt(1 << 20));
    }

    String next() {
        long n = counter.getAndIncrement() & FORTY_BITS;
        return second() + prefix + hex(n);
    }

    private String second() {
        long now = Math.floorDiv(clock.millis(), 1000L);
        Stamp s = stamp;
        if (s.epochSecond() != now) {
            s = new Stamp(now, SECOND.format(java.time.Instant.ofEpochSecond(now)));
            stamp = s;
        }
        return s.text();
    }

    private static String hex(long fortyBits) {
        String h = Long.toHexString(fortyBits).toUpperCase(java.util.Locale.ROOT);
        return "0000000000".substring(h.length()) + h;
    }
}
