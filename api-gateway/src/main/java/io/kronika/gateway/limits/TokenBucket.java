package io.kronika.gateway.limits;

/** A token bucket: {@code perSecond} tokens flow in up to {@code capacity}; each request takes one. */
final class TokenBucket {
    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    TokenBucket(double perSecond, int capacity, long nowNanos) {
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    /** Takes a token and returns 0, or returns the seconds until one is there (at least 1). */
    synchronized long take(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) / 1e9 * perSecond);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }

    /** Whether the bucket has been idle long enough to be full again (and can be forgotten). */
    synchronized boolean fullAt(long nowNanos) {
        return tokens + (nowNanos - lastNanos) / 1e9 * perSecond >= capacity;
    }
}
