package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's API validates every write as the API server does (the admission package): a bad name or
 * label value, or negative replicas, is a 422 Invalid whose causes name the field; a quantity that does not
 * parse is the API server's 400. Dry runs are validated too, and nothing refused is stored.
 */
class InvalidObjectsAreRefusedThroughTheApiTest {
    private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";

    @Test
    void badNamesLabelsAndReplicasAre422WithTheirFieldAndNotStored() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);

            SandboxHttp.Answer badName = api.post(CONFIGMAPS, "{\"metadata\":{\"name\":\"Bad_Name\"}}");
            assertThat(badName.code()).isEqualTo(422);
            assertThat(badName.json().path("reason").asText()).isEqualTo("Invalid");
            assertThat(fields(badName.json())).isEqualTo("metadata.name");
            assertThat(badName.json().path("message").asText()).startsWith("ConfigMap \"Bad_Name\" is invalid:"
                    + " metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain");

            SandboxHttp.Answer badLabel = api.post(CONFIGMAPS + "?dryRun=All", "{\"metadata\":{\"name\":\"ok\","
                    + "\"labels\":{\"app\":\"not valid!\"}}}");
            assertThat(badLabel.code()).as("a dry run is validated too").isEqualTo(422);
            assertThat(fields(badLabel.json())).isEqualTo("metadata.labels");
            assertThat(api.get(CONFIGMAPS + "/Bad_Name").code()).isEqualTo(404);
            assertThat(api.get(CONFIGMAPS + "/ok").code()).isEqualTo(404);

            assertThat(api.post(DEPLOYMENTS, deployment("100m")).code()).isEqualTo(201);
            SandboxHttp.Answer negative = api.patch(DEPLOYMENTS + "/web", "application/merge-patch+json",
                    "{\"spec\":{\"replicas\":-1}}");
            assertThat(negative.code()).isEqualTo(422);
            assertThat(fields(negative.json())).isEqualTo("spec.replicas");
            assertThat(api.get(DEPLOYMENTS + "/web").json().path("spec").path("replicas").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aQuantityThatDoesNotParseIsTheApiServers400() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            SandboxHttp.Answer bad = api.post(DEPLOYMENTS, deployment("lots"));
            assertThat(bad.code()).isEqualTo(400);
            assertThat(bad.json().path("reason").asText()).isEqualTo("BadRequest");
            assertThat(bad.json().path("message").asText()).isEqualTo("Deployment in version \"v1\" cannot be handled"
                    + " as a Deployment: quantities must match the regular expression"
                    + " '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
            assertThat(api.get(DEPLOYMENTS + "/web").code()).isEqualTo(404);
        }
    }

    /** The fields the causes name, comma-separated. */
    private static String fields(JsonNode status) {
        StringBuilder out = new StringBuilder();
        status.path("details").path("causes").forEach(c -> out.append(out.length() == 0 ? "" : ",")
                .append(c.path("field").asText()));
        return out.toString();
    }

    private static String deployment(String cpu) {
        return "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":"
                + "\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{"
                + "\"name\":\"main\",\"image\":\"busybox:1.36\",\"resources\":{\"requests\":{\"cpu\":\"" + cpu
                + "\"}}}]}}}}";
    }
}
