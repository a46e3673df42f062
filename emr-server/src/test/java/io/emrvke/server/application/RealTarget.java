package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.realk8s.RealKubernetes;
import io.emrvke.server.runtime.KubernetesRuntime;
import io.emrvke.server.runtime.TargetRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real control plane of e2e/realk8s as a runtime test's target (skipped, or failed under CI=true, without
 * it: see {@link RealKubernetes}). The runtime is registered as {@code serve --kubeconfig} registers one, with
 * emr-vke's least-privilege kubeconfig, but reaches the API server through an {@link ApiServerProxy} so that
 * the test can cut it off; the test's own client is the administrator's and goes straight to the API server.
 */
final class RealTarget extends RuntimeTarget {
    static final String NAME = "real";
    /** How long the API server stays unreachable in {@link #interruptTheApiServer}: longer than a pod takes to become ready. */
    private static final Duration OUTAGE = Duration.ofSeconds(3);
    private static final Pattern SERVER = Pattern.compile("(?m)^(\\s*server:\\s*)https://([^:/\\s]+):(\\d+)\\s*$");

    private final ApiServerProxy proxy;
    private final Path kubeconfigDir;

    private RealTarget(RealKubernetes real, ApiServerProxy proxy, Path kubeconfigDir, TargetRegistry registry) {
        super(registry, registry.register(NAME, kubeconfigDir.resolve("emr-vke.kubeconfig"), null), real.adminClient());
        this.proxy = proxy;
        this.kubeconfigDir = kubeconfigDir;
    }

    static RealTarget start() {
        RealKubernetes real = RealKubernetes.fromEnvironment();
        try {
            String kubeconfig = Files.readString(real.emrVkeKubeconfig());
            Matcher server = SERVER.matcher(kubeconfig);
            assertThat(server.find()).as("one https server in " + real.emrVkeKubeconfig()).isTrue();
            ApiServerProxy proxy = ApiServerProxy.to(server.group(2), Integer.parseInt(server.group(3)));
            // a copy that names the proxy; it holds emr-vke's token, so only its owner may read it
            Path dir = Files.createTempDirectory("emr-realk8s-target",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(dir.resolve("emr-vke.kubeconfig"), server.replaceFirst(
                    Matcher.quoteReplacement(server.group(1)) + "https://127.0.0.1:" + proxy.port()));
            return new RealTarget(real, proxy, dir, new TargetRegistry(RuntimeFixtures.renderer()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void interruptTheApiServer() {
        assertThat(proxy.sever(OUTAGE)).as("connections of the runtime cut (its watches among them)").isPositive();
    }

    @Override
    void closeTarget() {
        proxy.close();
        try {
            Files.deleteIfExists(kubeconfigDir.resolve("emr-vke.kubeconfig"));
            Files.deleteIfExists(kubeconfigDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
