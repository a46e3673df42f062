package io.emrvke.server.operation.engine;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Engine knobs.
 *
 * @param ownerId              this process's lease owner id; unique per process start
 * @param leaseDuration        how long a claim lasts without a heartbeat; another process takes
 *                             the operation over once it has expired
 * @param heartbeatInterval    how often held leases are extended (and cancel flags re-read)
 * @param takeoverScanInterval how often the store is scanned for operations whose lease expired
 *                             (new local submits wake the engine at once, without a scan)
 * @param workers              operations run at once by this process
 * @param idempotency          how long ClientToken results are kept (at least 24 hours)
 */
public record EngineConfig(String ownerId, Duration leaseDuration, Duration heartbeatInterval,
                           Duration takeoverScanInterval, int workers, Duration idempotency) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final int DEFAULT_WORKERS = 8;

    public EngineConfig {
        Objects.requireNonNull(ownerId, "ownerId");
        if (ownerId.isBlank() || ownerId.length() > 128) {
            throw new IllegalArgumentException("ownerId must be 1-128 characters");
        }
        if (leaseDuration.toMillis() < 100) {
            throw new IllegalArgumentException("leaseDuration must be at least 100 ms");
        }
        if (heartbeatInterval.isZero() || heartbeatInterval.isNegative()
                || heartbeatInterval.compareTo(leaseDuration.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("heartbeatInterval must be positive and at most half the lease");
        }
        if (takeoverScanInterval.isZero() || takeoverScanInterval.isNegative()) {
            throw new IllegalArgumentException("takeoverScanInterval must be positive");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1");
        }
    }

    /** Lease 30 s, heartbeat every 10 s, takeover scan every 15 s, 8 workers, tokens kept 25 h. */
    public static EngineConfig defaults() {
        return withLease(DEFAULT_LEASE);
    }

    /** Heartbeat every lease/3 and takeover scan every lease/2, with a fresh owner id. */
    public static EngineConfig withLease(Duration lease) {
        return new EngineConfig(newOwnerId(), lease, lease.dividedBy(3), lease.dividedBy(2), DEFAULT_WORKERS,
                Idempotency.DEFAULT_RETENTION);
    }

    public EngineConfig withWorkers(int n) {
        return new EngineConfig(ownerId, leaseDuration, heartbeatInterval, takeoverScanInterval, n, idempotency);
    }

    public EngineConfig withOwnerId(String id) {
        return new EngineConfig(id, leaseDuration, heartbeatInterval, takeoverScanInterval, workers, idempotency);
    }

    public EngineConfig withTakeoverScanInterval(Duration d) {
        return new EngineConfig(ownerId, leaseDuration, heartbeatInterval, d, workers, idempotency);
    }

    /** host/pid/random: readable in the store, and unique per process start. */
    public static String newOwnerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        if (host.length() > 64) {
            host = host.substring(0, 64);
        }
        long pid = ProcessHandle.current().pid();
        String random = io.emrvke.server.store.Ids.random("abcdefghijklmnopqrstuvwxyz0123456789", 8);
        return host + "/" + pid + "/" + random;
    }
}
