package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TargetsAreRegisteredByNameTest {
    @TempDir
    Path dir;

    private Path kubeconfig(String url) throws Exception {
        Path file = dir.resolve("prod.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c1
                  cluster: {server: "%s"}
                users:
                - name: u1
                  user: {token: abc}
                contexts:
                - name: other
                  context: {cluster: c1, user: u1}
                - name: prod-ctx
                  context: {cluster: c1, user: u1, namespace: default}
                current-context: other
                """.formatted(url));
        return file;
    }

    @Test
    void sandboxAndKubeconfigTargetsAreReachableByName() throws Exception {
        try (MockCluster sandbox = new MockCluster(true); MockCluster prod = new MockCluster(false);
             TargetRegistry registry = new TargetRegistry(Fixtures.renderer())) {
            registry.registerUrl(TargetRegistry.SANDBOX, sandbox.server.url("/"));
            registry.register("prod", kubeconfig(prod.server.url("/")), "prod-ctx");
            registry.awaitStarted(java.time.Duration.ofSeconds(20));

            assertThat(registry.names()).containsExactly("prod", "sandbox");
            Map<String, TargetHealth> health = registry.reachability();
            assertThat(health.get("sandbox").reachable()).isTrue();
            assertThat(health.get("sandbox").rayClusterCrd()).isTrue();
            assertThat(health.get("prod").reachable()).isTrue();
            assertThat(health.get("prod").rayClusterCrd()).isFalse();
            assertThat(registry.forVkeCluster("prod").targetName()).isEqualTo("prod");
            assertThatThrownBy(() -> registry.get("staging")).hasMessageContaining("no Kubernetes target named 'staging'");
        }
    }

    @Test
    void anUnknownContextIsRefusedWithTheOptionNamed() throws Exception {
        try (TargetRegistry registry = new TargetRegistry(Fixtures.renderer())) {
            Path file = kubeconfig("http://127.0.0.1:1");
            assertThatThrownBy(() -> registry.register("prod", file, "nope"))
                    .hasMessageContaining("--kubeconfig " + file + "#nope");
        }
    }

    @Test
    void anUnreachableTargetStaysRegisteredAndReportsIt() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (TargetRegistry registry = new TargetRegistry(Fixtures.renderer())) {
            registry.registerUrl("down", "http://127.0.0.1:" + closedPort);

            TargetHealth health = registry.reachability().get("down");
            assertThat(health.reachable()).isFalse();
            assertThat(health.message()).startsWith("API server unreachable");
        }
    }

    @Test
    void aReadyMadeRuntimeIsFoundByNameReportsItsHealthAndTakesNoNameTwice() {
        FakeClusterRuntime fake = new FakeClusterRuntime("vke-fake");
        try (TargetRegistry registry = new TargetRegistry(null)) {
            registry.register("vke-fake", fake);
            registry.awaitStarted(java.time.Duration.ofSeconds(1));

            assertThat(registry.forVkeCluster("vke-fake")).isSameAs(fake);
            assertThat(registry.reachability().get("vke-fake").reachable()).isTrue();
            assertThatThrownBy(() -> registry.register("vke-fake", new FakeClusterRuntime("vke-fake")))
                    .hasMessage("target 'vke-fake' is already registered");
            assertThatThrownBy(() -> registry.register("Not_A_Name", new FakeClusterRuntime("x")))
                    .hasMessageContaining("--target-name 'Not_A_Name'");
            assertThat(registry.names()).containsExactly("vke-fake");
        }
    }

    @Test
    void kubeconfigOptionsPairWithTargetNames() {
        TargetOptions options = new TargetOptions();
        new CommandLine(options).parseArgs("--kubeconfig", "/k/prod.yaml#ctx-a", "--kubeconfig", "/k/Dev Cluster.yaml",
                "--target-name", "prod-a", "--registry-prefix", "cr.example.com/emr");

        assertThat(options.kubeconfigTargets()).containsExactly(
                new TargetOptions.KubeconfigTarget("prod-a", Path.of("/k/prod.yaml"), "ctx-a"),
                new TargetOptions.KubeconfigTarget("dev-cluster", Path.of("/k/Dev Cluster.yaml"), null));
        assertThat(options.sandbox()).isTrue();
        assertThat(options.registryPrefix()).isEqualTo("cr.example.com/emr");
    }

    @Test
    void aTargetNamedSandboxIsRefusedWhileTheSandboxIsOn() {
        TargetOptions options = new TargetOptions();
        new CommandLine(options).parseArgs("--kubeconfig", "/k/a.yaml", "--target-name", "sandbox");

        assertThatThrownBy(options::kubeconfigTargets).hasMessageContaining("--target-name 'sandbox' is used twice");
    }
}
