package io.kronika.gateway;

/**
 * What the gateway accepts before it pushes back.
 *
 * @param maxBodyBytes            largest request body; a larger one is answered 413 (kube-apiserver: 3 MiB)
 * @param maxRequestsInFlight     requests served at once, watches and other long-running requests (log, exec, attach,
 *                                port-forward) not counted; one more is answered 429 with Retry-After (kube-apiserver's
 *                                --max-requests-inflight plus --max-mutating-requests-inflight: 600); 0: no limit
 * @param userRequestsPerSecond   sustained requests per second per user (the authenticated user, else the client's
 *                                address), as a token bucket; 0: no limit
 * @param userBurst               how many requests a user may send at once above the sustained rate
 */
public record GatewayLimits(int maxBodyBytes, int maxRequestsInFlight, double userRequestsPerSecond, int userBurst) {
    public static final int DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

    public static GatewayLimits defaults() {
        return new GatewayLimits(DEFAULT_MAX_BODY_BYTES, 600, 0, 0);
    }

    public GatewayLimits {
        if (maxBodyBytes <= 0 || maxRequestsInFlight < 0 || userRequestsPerSecond < 0 || userBurst < 0) {
            throw new IllegalArgumentException("gateway limits must not be negative (body size > 0): " + maxBodyBytes + ", "
                    + maxRequestsInFlight + ", " + userRequestsPerSecond + ", " + userBurst);
        }
    }

    public GatewayLimits withMaxBodyBytes(int value) {
        return new GatewayLimits(value, maxRequestsInFlight, userRequestsPerSecond, userBurst);
    }

    public GatewayLimits withMaxRequestsInFlight(int value) {
        return new GatewayLimits(maxBodyBytes, value, userRequestsPerSecond, userBurst);
    }

    /** Per-user token bucket: {@code perSecond} sustained, {@code burst} at once (at least one). */
    public GatewayLimits withUserRate(double perSecond, int burst) {
        return new GatewayLimits(maxBodyBytes, maxRequestsInFlight, perSecond, perSecond > 0 ? Math.max(1, burst) : burst);
    }
}
