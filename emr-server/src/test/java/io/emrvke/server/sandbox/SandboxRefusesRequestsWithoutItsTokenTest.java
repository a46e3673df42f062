package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's API asks for the bearer token of the kubeconfig it writes, over HTTPS, as a cluster does. */
class SandboxRefusesRequestsWithoutItsTokenTest {
    @TempDir
    Path dir;

    @Test
    void requestsWithoutTheTokenOrWithAnotherAre401AndHealthStaysOpen() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp anonymous = new SandboxHttp(sandbox, null);
            SandboxHttp wrong = new SandboxHttp(sandbox, "not-the-token");
            SandboxHttp right = SandboxHttp.withItsToken(sandbox);

            for (String path : new String[] {"/api/v1/namespaces/default/secrets", "/apis", "/api/v1/nodes"}) {
                SandboxHttp.Answer a = anonymous.get(path);
                assertThat(a.code()).as(path).isEqualTo(401);
                assertThat(a.json().path("reason").asText()).isEqualTo("Unauthorized");
                assertThat(a.json().path("kind").asText()).isEqualTo("Status");
                assertThat(wrong.get(path).code()).as(path).isEqualTo(401);
                assertThat(right.get(path).code()).as(path).isEqualTo(200);
            }
            for (String path : new String[] {"/healthz", "/livez", "/readyz", "/version"}) {
                assertThat(anonymous.get(path).code()).as("anonymous " + path).isEqualTo(200);
                assertThat(wrong.get(path).code()).as("a wrong token is refused even on " + path).isEqualTo(401);
            }
            assertThat(anonymous.post("/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"a\"}}")
                    .code()).isEqualTo(401);
            assertThat(right.get("/api/v1/namespaces/default/configmaps/a").code())
                    .as("the refused create stored nothing").isEqualTo(404);
        }
    }

    @Test
    void theKubeconfigItWritesCarriesTokenAndCertificateAndNothingAnswersPlainHttp() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            Path kubeconfig = sandbox.writeKubeconfig(dir.resolve("sandbox.kubeconfig"));
            String text = Files.readString(kubeconfig);
            assertThat(text).contains("token: ").contains("certificate-authority-data: ").contains("server: https://");
            assertThat(Files.getPosixFilePermissions(kubeconfig)).hasSize(2); // rw for the owner only

            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(
                    io.fabric8.kubernetes.client.Config.fromKubeconfig(text)).build()) {
                assertThat(client.nodes().list().getItems()).hasSize(ClusterSeed.NODE_COUNT);
            }
            HttpClient plain = HttpClient.newHttpClient();
            String http = sandbox.url().replace("https://", "http://") + "/api/v1/nodes";
            assertThatThrownBy(() -> {
                HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(http)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("plain HTTP never lists anything").isNotEqualTo(200);
                throw new java.io.IOException("answered " + r.statusCode());
            }).isInstanceOf(java.io.IOException.class);
        }
    }
}
