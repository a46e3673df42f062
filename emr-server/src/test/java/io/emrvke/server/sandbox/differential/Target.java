package io.emrvke.server.sandbox.differential;

import io.emrvke.server.realk8s.RealKubernetes;
import io.emrvke.server.sandbox.Sandbox;
import io.emrvke.server.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One of the two clusters a scenario runs on, reached only through a kubeconfig: the sandbox's is the one
 * {@link Sandbox#writeKubeconfig} writes (whatever credentials it carries), the real control plane's is the
 * administrator's of e2e/realk8s (system:masters, so that RBAC refuses nothing a sandbox user could do).
 */
final class Target implements AutoCloseable {
    static final String SANDBOX = "sandbox";
    static final String REAL = "real";
    /** Pods become ready this long after they are scheduled, about as fast as KWOK's "fast" stages. */
    static final long SANDBOX_POD_READY_MS = 500;

    final String name;
    final Path kubeconfig;
    final Path dir;
    final Kubectl kubectl;
    final RawApi api;
    private final AutoCloseable owned;

    private Target(String name, Path kubeconfig, Path dir, Path kubectlBinary, AutoCloseable owned) {
        this.name = name;
        this.kubeconfig = kubeconfig;
        this.dir = dir;
        this.kubectl = new Kubectl(kubectlBinary, kubeconfig, dir);
        this.api = RawApi.fromKubeconfig(kubeconfig);
        this.owned = owned;
    }

    /** A fresh in-memory sandbox, its kubeconfig written under {@code parent}/sandbox. */
    static Target sandbox(Path parent, Path kubectlBinary) {
        Path dir = folder(parent, SANDBOX);
        try {
            Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SANDBOX_POD_READY_MS));
            return new Target(SANDBOX, sandbox.writeKubeconfig(dir.resolve("sandbox.kubeconfig")), dir, kubectlBinary,
                    sandbox);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real control plane the environment names (skipped, or failed under CI=true, without one). */
    static Target real(Path parent, Path kubectlBinary) {
        return new Target(REAL, RealKubernetes.fromEnvironment().adminKubeconfig(), folder(parent, REAL), kubectlBinary,
                () -> { });
    }

    private static Path folder(Path parent, String name) {
        try {
            return Files.createDirectories(parent.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        owned.close();
    }
}
