package io.emrvke.server.gateway;

import io.emrvke.api.ErrorCode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per access key: {@code burst} requests at once, refilled at {@code perSecond}.
 * Only authenticated keys reach it, so the number of buckets is bounded by the number of keys.
 */
public final class RateLimiter {
    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond sustained rate; 0 turns limiting off */
    public RateLimiter(int perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    public RateLimiter(int perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond < 0 || burst < 0 || (perSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("rate must be >= 0 and burst >= 1 when limiting");
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    public boolean enabled() {
        return perNano > 0;
    }

    /** Takes one token for the key; false when its bucket is empty. */
    public boolean tryAcquire(String accessKeyId) {
        if (!enabled()) {
            return true;
        }
        return buckets.computeIfAbsent(accessKeyId, k -> new TokenBucket(burst, nanoTime.getAsLong()))
                .tryTake(nanoTime.getAsLong(), perNano, burst);
    }

    /** Takes one token or throws 429 FlowLimitExceeded. */
    public void acquire(String accessKeyId) {
        if (!tryAcquire(accessKeyId)) {
            throw ErrorCode.FLOW_LIMIT_EXCEEDED.exception("Access key '" + accessKeyId + "' is over its limit of "
                    + Math.round(perNano * 1e9) + " requests per second (burst " + (long) burst
                    + "); retry later.");
        }
    }
}
