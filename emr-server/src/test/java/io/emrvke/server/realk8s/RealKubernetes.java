package io.emrvke.server.realk8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real control plane of e2e/realk8s, as {@code e2e/realk8s/run-tier} hands it to the tests: two
 * kubeconfigs, the administrator's (to look at what emr-vke did) and emr-vke's own least-privilege
 * identity (bound by deploy/rbac.yaml, nothing else). Without them the test is skipped with the
 * reason, or fails under {@code CI=true}.
 */
public final class RealKubernetes {
    static final String ADMIN_ENV = "EMR_VKE_REALK8S_KUBECONFIG";
    static final String EMR_VKE_ENV = "EMR_VKE_REALK8S_EMR_VKE_KUBECONFIG";

    private final Path adminKubeconfig;
    private final Path emrVkeKubeconfig;

    private RealKubernetes(Path adminKubeconfig, Path emrVkeKubeconfig) {
        this.adminKubeconfig = adminKubeconfig;
        this.emrVkeKubeconfig = emrVkeKubeconfig;
    }

    /** The cluster named by the environment, or an aborted (CI: failed) test saying how to get one. */
    public static RealKubernetes fromEnvironment() {
        Path admin = kubeconfigFrom(ADMIN_ENV);
        Path emrVke = kubeconfigFrom(EMR_VKE_ENV);
        return new RealKubernetes(admin, emrVke);
    }

    private static Path kubeconfigFrom(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank() || !Files.isReadable(Path.of(value))) {
            String why = variable + (value == null || value.isBlank() ? " is not set" : " names no readable file: "
                    + value) + "; run the real-Kubernetes tier with e2e/realk8s/run-tier";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why + ": skipping (with CI=true it fails).");
        }
        return Path.of(value);
    }

    /** The kubeconfig of the identity emr-vke runs as: only deploy/rbac.yaml grants it anything. */
    public Path emrVkeKubeconfig() {
        return emrVkeKubeconfig;
    }

    /** A client with the administrator's rights, to check what emr-vke left on the cluster. */
    public KubernetesClient adminClient() {
        try {
            Config config = Config.fromKubeconfig(Files.readString(adminKubeconfig));
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
