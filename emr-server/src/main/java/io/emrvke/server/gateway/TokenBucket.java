package io.emrvke.server.gateway;

/**
 * A token bucket: it holds at most {@code burst} tokens and gains {@code perNano} tokens per
 * nanosecond. Callers keep the rate and burst (one pair for many buckets) and pass the clock's time.
 */
final class TokenBucket {
    private double tokens;
    private long last;

    /** A full bucket. */
    TokenBucket(double burst, long now) {
        this.tokens = burst;
        this.last = now;
    }

    /** Takes a token when there is one; false when the bucket is empty. */
    synchronized boolean tryTake(long now, double perNano, double burst) {
        refill(now, perNano, burst);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Takes a token, or what is left of one. */
    synchronized void drain(long now, double perNano, double burst) {
        refill(now, perNano, burst);
        tokens = Math.max(0, tokens - 1);
    }

    /** The tokens held now. */
    synchronized double tokens(long now, double perNano, double burst) {
        refill(now, perNano, burst);
        return tokens;
    }

    private void refill(long now, double perNano, double burst) {
        if (now > last) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
        }
    }
}
