package io.emrvke.server.gateway;

import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed authentications per source address: a token bucket per address ({@code burst} failures at
 * once, refilled at {@code perMinute}). While an address's bucket is empty every request from it is
 * refused with 429 before its signature is looked at, so guessing keys or flooding bad signatures
 * gets an address nowhere and costs the server little; other addresses are not affected.
 *
 * <p>IPv6 addresses count per /64 (what one host or site is given). The table holds at most
 * {@code maxAddresses} buckets, so memory stays bounded whatever the number of addresses: to make
 * room, buckets that have refilled (which say nothing an absent one would not) go first, then any.
 * An address that never failed is never refused, however many others do.
 */
final class AuthFailureLimiter {
    static final int DEFAULT_MAX_ADDRESSES = 10_000;
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;
    private static final Set<ErrorCode> AUTHENTICATION_FAILURES = EnumSet.of(ErrorCode.MISSING_AUTHENTICATION_TOKEN,
            ErrorCode.MISSING_REQUEST_INFO, ErrorCode.MISSING_SIGNATURE, ErrorCode.INVALID_TIMESTAMP,
            ErrorCode.SERVICE_NOT_FOUND, ErrorCode.INVALID_ACCESS_KEY, ErrorCode.SIGNATURE_DOES_NOT_MATCH,
            ErrorCode.INVALID_AUTHORIZATION, ErrorCode.INVALID_CREDENTIAL);
    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    private final int perMinute;
    private final int burst;
    private final double perNano;
    private final int maxAddresses;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    AuthFailureLimiter(int perMinute, int burst, int maxAddresses, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.burst = burst;
        this.perNano = perMinute / (double) NANOS_PER_MINUTE;
        this.maxAddresses = maxAddresses;
        this.nanoTime = nanoTime;
        this.lastSweep = nanoTime.getAsLong() - SWEEP_INTERVAL_NANOS;
    }

    static AuthFailureLimiter of(ClientLimits limits) {
        return new AuthFailureLimiter(limits.authFailuresPerMinute(), limits.authFailureBurst(),
                DEFAULT_MAX_ADDRESSES, System::nanoTime);
    }

    /** The refusals of docs/api.md#errors that say a request could not be authenticated. */
    static boolean isAuthenticationFailure(ErrorCode code) {
        return AUTHENTICATION_FAILURES.contains(code);
    }

    boolean enabled() {
        return perMinute > 0;
    }

    /** Seconds until the address may be heard again; 0 when it may be now. */
    long blockedSeconds(String address) {
        if (!enabled()) {
            return 0;
        }
        TokenBucket bucket = buckets.get(key(address));
        if (bucket == null) {
            return 0;
        }
        double tokens = bucket.tokens(nanoTime.getAsLong(), perNano, burst);
        return tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) * 60.0 / perMinute));
    }

    /** One more failed authentication from the address. */
    void recordFailure(String address) {
        if (!enabled()) {
            return;
        }
        long now = nanoTime.getAsLong();
        bucketFor(key(address), now).drain(now, perNano, burst);
    }

    /** The 429 an address gets while blocked. */
    ApiException refusal(String address, long retrySeconds) {
        return ErrorCode.FLOW_LIMIT_EXCEEDED.exception("Too many failed authentications from " + Params.clip(address)
                + ": the limit is " + burst + " at once, then " + perMinute + " per minute per address."
                + " Requests from it are refused until then; retry in " + retrySeconds
                + " s with a correctly signed request.");
    }

    /** How many buckets the table holds (for tests of its bound). */
    int trackedAddresses() {
        return buckets.size();
    }

    private TokenBucket bucketFor(String key, long now) {
        TokenBucket existing = buckets.get(key);
        if (existing != null) {
            return existing;
        }
        if (buckets.size() >= maxAddresses) {
            dropRefilledBuckets(now);
        }
        if (buckets.size() >= maxAddresses) {
            dropAny();
        }
        return buckets.computeIfAbsent(key, k -> new TokenBucket(burst, now));
    }

    private void dropAny() {
        var it = buckets.keySet().iterator();
        if (it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** A bucket that has refilled says nothing a missing one would not; at most once a second. */
    private void dropRefilledBuckets(long now) {
        if (now - lastSweep < SWEEP_INTERVAL_NANOS) {
            return;
        }
        lastSweep = now;
        buckets.values().removeIf(b -> b.tokens(now, perNano, burst) >= burst);
    }

    /** The address, or its /64 when it is IPv6. */
    static String key(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address == null ? "unknown" : address;
        }
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        int zone = literal.indexOf('%');
        try {
            InetAddress parsed = InetAddress.getByName(zone < 0 ? literal : literal.substring(0, zone));
            if (parsed instanceof Inet6Address v6) {
                return HexFormat.of().formatHex(v6.getAddress(), 0, 8) + "::/64";
            }
            return parsed.getHostAddress();
        } catch (UnknownHostException e) {
            return literal;
        }
    }
}
