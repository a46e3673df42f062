package io.emrvke.server.sandbox;

import java.nio.file.Path;

/**
 * How to run the embedded sandbox cluster.
 *
 * @param bind          loopback address to listen on (HTTPS, with its own certificate)
 * @param port          TCP port, 0 picks a free one
 * @param dataDir       where the cluster state is kept; null keeps it in memory only (tests)
 * @param podReadyMs    how long a pod takes to become ready, counted from its creation (when a node fits it at once)
 * @param snapshotDelayMs debounce between a change and the state file being rewritten
 */
public record SandboxConfig(String bind, int port, Path dataDir, long podReadyMs, long snapshotDelayMs) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final long DEFAULT_POD_READY_MS = 1500;
    public static final long DEFAULT_SNAPSHOT_DELAY_MS = 200;
    public static final String STATE_FILE = "sandbox-state.json";
    public static final String KUBECONFIG_FILE = "sandbox.kubeconfig";

    public SandboxConfig {
        if (bind == null || bind.isBlank()) {
            bind = DEFAULT_BIND;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535: " + port);
        }
        if (podReadyMs < 0) {
            throw new IllegalArgumentException("podReadyMs must not be negative: " + podReadyMs);
        }
        if (snapshotDelayMs < 0) {
            snapshotDelayMs = DEFAULT_SNAPSHOT_DELAY_MS;
        }
    }

    /** In-memory sandbox on a random loopback port (tests). */
    public static SandboxConfig inMemory(long podReadyMs) {
        return new SandboxConfig(DEFAULT_BIND, 0, null, podReadyMs, DEFAULT_SNAPSHOT_DELAY_MS);
    }

    /** Persistent sandbox in {@code dataDir}. */
    public static SandboxConfig persistent(Path dataDir, int port, long podReadyMs) {
        return new SandboxConfig(DEFAULT_BIND, port, dataDir, podReadyMs, DEFAULT_SNAPSHOT_DELAY_MS);
    }

    public SandboxConfig withDataDir(Path dir) {
        return new SandboxConfig(bind, port, dir, podReadyMs, snapshotDelayMs);
    }

    public SandboxConfig withPort(int newPort) {
        return new SandboxConfig(bind, newPort, dataDir, podReadyMs, snapshotDelayMs);
    }
}
