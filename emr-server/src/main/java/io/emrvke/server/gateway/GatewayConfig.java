package io.emrvke.server.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the signed API endpoint listens and what it tolerates.
 *
 * @param bind address to listen on, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port TCP port; 0 picks a free one (read it back with {@link GatewayServer#port()})
 * @param defaultRegion the Region of error envelopes answered before a credential scope is known
 * @param maxBodyBytes largest accepted request body; larger ones get 413 RequestEntityTooLarge
 * @param clockSkew how far X-Date may be from the server's clock, either way
 * @param rateLimitPerSecond sustained requests per second per access key; 0 turns limiting off
 * @param rateLimitBurst requests an idle access key may send at once
 * @param drainTimeout how long {@link GatewayServer#stop()} waits for in-flight requests
 * @param clock the server's clock (X-Date window, request ids)
 * @param clientLimits what slow, idle or failing clients are allowed before they are cut off
 */
public record GatewayConfig(String bind, int port, String defaultRegion, int maxBodyBytes, Duration clockSkew,
                            int rateLimitPerSecond, int rateLimitBurst, Duration drainTimeout, Clock clock,
                            ClientLimits clientLimits) {

    public static final String DEFAULT_REGION = "cn-beijing";
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(15);
    public static final int DEFAULT_RATE_PER_SECOND = 100;
    public static final int DEFAULT_BURST = 200;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    public GatewayConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(defaultRegion, "defaultRegion");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(clientLimits, "clientLimits");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clockSkew must not be negative");
        }
        if (rateLimitPerSecond < 0 || rateLimitBurst < 0) {
            throw new IllegalArgumentException("rate limits must not be negative");
        }
        if (rateLimitPerSecond > 0 && rateLimitBurst < 1) {
            throw new IllegalArgumentException("rateLimitBurst must be at least 1 when rate limiting is on");
        }
    }

    /** With the default {@link ClientLimits}. */
    public GatewayConfig(String bind, int port, String defaultRegion, int maxBodyBytes, Duration clockSkew,
                         int rateLimitPerSecond, int rateLimitBurst, Duration drainTimeout, Clock clock) {
        this(bind, port, defaultRegion, maxBodyBytes, clockSkew, rateLimitPerSecond, rateLimitBurst, drainTimeout,
                clock, ClientLimits.DEFAULTS);
    }

    /** The defaults of every setting, listening on {@code bind:port}. */
    public static GatewayConfig defaults(String bind, int port) {
        return new GatewayConfig(bind, port, DEFAULT_REGION, DEFAULT_MAX_BODY_BYTES, DEFAULT_CLOCK_SKEW,
                DEFAULT_RATE_PER_SECOND, DEFAULT_BURST, DEFAULT_DRAIN_TIMEOUT, Clock.systemUTC());
    }

    public GatewayConfig withPort(int newPort) {
        return new GatewayConfig(bind, newPort, defaultRegion, maxBodyBytes, clockSkew, rateLimitPerSecond,
                rateLimitBurst, drainTimeout, clock, clientLimits);
    }

    public GatewayConfig withDefaultRegion(String region) {
        return new GatewayConfig(bind, port, region, maxBodyBytes, clockSkew, rateLimitPerSecond,
                rateLimitBurst, drainTimeout, clock, clientLimits);
    }

    public GatewayConfig withMaxBodyBytes(int bytes) {
        return new GatewayConfig(bind, port, defaultRegion, bytes, clockSkew, rateLimitPerSecond,
                rateLimitBurst, drainTimeout, clock, clientLimits);
    }

    public GatewayConfig withClockSkew(Duration skew) {
        return new GatewayConfig(bind, port, defaultRegion, maxBodyBytes, skew, rateLimitPerSecond,
                rateLimitBurst, drainTimeout, clock, clientLimits);
    }

    /** Rate limit per access key; {@code perSecond} 0 turns it off. */
    public GatewayConfig withRateLimit(int perSecond, int burst) {
        return new GatewayConfig(bind, port, defaultRegion, maxBodyBytes, clockSkew, perSecond, burst,
                drainTimeout, clock, clientLimits);
    }

    public GatewayConfig withDrainTimeout(Duration timeout) {
        return new GatewayConfig(bind, port, defaultRegion, maxBodyBytes, clockSkew, rateLimitPerSecond,
                rateLimitBurst, timeout, clock, clientLimits);
    }

    public GatewayConfig withClock(Clock newClock) {
        return new GatewayConfig(bind, port, defaultRegion, maxBodyBytes, clockSkew, rateLimitPerSecond,
                rateLimitBurst, drainTimeout, newClock, clientLimits);
    }

    public GatewayConfig withClientLimits(ClientLimits limits) {
        return new GatewayConfig(bind, port, defaultRegion, maxBodyBytes, clockSkew, rateLimitPerSecond,
                rateLimitBurst, drainTimeout, clock, limits);
    }
}
