package io.emrvke.server.application;

import io.emrvke.server.runtime.KubernetesRuntime;
import io.emrvke.server.runtime.TargetRegistry;
import io.emrvke.server.sandbox.Sandbox;
import io.emrvke.server.sandbox.SandboxConfig;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A sandbox cluster over HTTPS (its kubeconfig's token and certificate) with the runtime registered on it (as {@code serve} does), plus a plain client
 * for the test to look at what landed.
 */
final class SandboxTarget extends RuntimeTarget {
    static final long POD_READY_MS = 150;

    volatile Sandbox sandbox;
    /** The data dir this target made for itself (deleted on close), or null. */
    private final Path ownDataDir;

    private SandboxTarget(Sandbox sandbox, TargetRegistry registry, Path ownDataDir) {
        super(registry, (KubernetesRuntime) registry.register(TargetRegistry.SANDBOX, new KubernetesClientBuilder()
                        .withConfig(new ConfigBuilder(sandbox.clientConfig()).withRequestRetryBackoffLimit(2).build())
                        .build()),
                new KubernetesClientBuilder().withConfig(new ConfigBuilder(sandbox.clientConfig())
                        .withRequestTimeout(10_000).build()).build());
        this.sandbox = sandbox;
        this.ownDataDir = ownDataDir;
    }

    static SandboxTarget start() {
        return start(SandboxConfig.inMemory(POD_READY_MS));
    }

    static SandboxTarget start(SandboxConfig config) {
        return start(config, null);
    }

    /** A sandbox keeping its state in a data dir of its own, so that {@link #interruptTheApiServer} can restart it. */
    static SandboxTarget startPersistent() {
        try {
            Path dataDir = Files.createTempDirectory("emr-sandbox-target");
            return start(SandboxConfig.persistent(dataDir, 0, POD_READY_MS), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SandboxTarget start(SandboxConfig config, Path ownDataDir) {
        try {
            return new SandboxTarget(Sandbox.start(config), new TargetRegistry(RuntimeFixtures.renderer()), ownDataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the sandbox (its state file written) and starts it again on the same data dir and port: every
     * watch of the runtime and the test's client drops, and the API comes back at the same URL.
     */
    void restartSandbox() {
        SandboxConfig config = sandbox.config().withPort(sandbox.port());
        if (config.dataDir() == null) {
            throw new IllegalStateException("an in-memory sandbox would come back empty: start it with a data dir");
        }
        sandbox.close();
        try {
            sandbox = Sandbox.start(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void interruptTheApiServer() {
        restartSandbox();
    }

    @Override
    void closeTarget() {
        sandbox.close();
        if (ownDataDir != null) {
            try (Stream<Path> files = Files.walk(ownDataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
