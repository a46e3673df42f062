package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * What the API server owns in an object: status only through /status, metadata.generation counting spec
 * changes only, the scale subresource as an autoscaling/v1 Scale, merge patches whose null deletes, and
 * strategic merge patches that merge containers and env by name.
 */
class WritesKeepStatusGenerationAndScaleAsTheApiServerDoesTest {
    private static final String DEPLOYS = "/apis/apps/v1/namespaces/default/deployments";
    private static final String WEB = "{\"metadata\":{\"name\":\"web\",\"labels\":{\"team\":\"a\"}},\"spec\":{\"replicas\":0,"
            + "\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
            + "\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"nginx:1\",\"ports\":[{\"containerPort\":80}],"
            + "\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}]},"
            + "{\"name\":\"side\",\"image\":\"busybox\"}]}}},\"status\":{\"replicas\":7}}";

    @Test
    void statusGoesThroughItsSubresourceAndGenerationCountsOnlySpecChanges() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            JsonNode created = api.post(DEPLOYS, WEB).json();
            assertThat(created.path("metadata").path("generation").asLong()).isEqualTo(1);
            assertThat(created.has("status")).as("status is not the client's to create").isFalse();

            JsonNode labelled = api.patch(DEPLOYS + "/web", "application/merge-patch+json",
                    "{\"metadata\":{\"labels\":{\"team\":null,\"tier\":\"x\"}},\"status\":{\"replicas\":9}}").json();
            assertThat(labelled.path("metadata").path("labels").has("team")).as("null deletes").isFalse();
            assertThat(labelled.path("metadata").path("generation").asLong()).isEqualTo(1);
            assertThat(labelled.path("status").path("replicas").asInt(0)).as("status ignored on the object").isNotEqualTo(9);

            JsonNode status = api.patch(DEPLOYS + "/web/status", "application/merge-patch+json",
                    "{\"status\":{\"observedGeneration\":1},\"spec\":{\"replicas\":5}}").json();
            assertThat(status.path("status").path("observedGeneration").asLong()).isEqualTo(1);
            assertThat(status.path("spec").path("replicas").asInt()).as("spec ignored on /status").isZero();

            JsonNode image = api.patch(DEPLOYS + "/web", "application/strategic-merge-patch+json",
                    "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"nginx:2\","
                            + "\"env\":[{\"name\":\"B\",\"$patch\":\"delete\"},{\"name\":\"C\",\"value\":\"3\"}]}]}}}}").json();
            assertThat(image.path("metadata").path("generation").asLong()).isEqualTo(2);
            JsonNode containers = image.path("spec").path("template").path("spec").path("containers");
            assertThat(containers).hasSize(2);
            assertThat(containers.get(0).path("image").asText()).isEqualTo("nginx:2");
            assertThat(containers.get(0).path("ports").get(0).path("containerPort").asInt()).isEqualTo(80);
            assertThat(containers.get(0).path("env").toString())
                    .isEqualTo("[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"C\",\"value\":\"3\"}]");
            assertThat(containers.get(1).path("name").asText()).isEqualTo("side");
        }
    }

    @Test
    void scaleIsAnAutoscalingScaleThatSetsSpecReplicas() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            api.post(DEPLOYS, WEB);
            JsonNode scale = api.get(DEPLOYS + "/web/scale").json();
            assertThat(scale.path("kind").asText()).isEqualTo("Scale");
            assertThat(scale.path("apiVersion").asText()).isEqualTo("autoscaling/v1");
            assertThat(scale.path("spec").path("replicas").asInt()).isZero();
            assertThat(scale.path("status").path("selector").asText()).isEqualTo("app=web");

            JsonNode patched = api.patch(DEPLOYS + "/web/scale", "application/merge-patch+json",
                    "{\"spec\":{\"replicas\":0}}").json();
            assertThat(patched.path("kind").asText()).isEqualTo("Scale");
            SandboxHttp.Answer negative = api.put(DEPLOYS + "/web/scale",
                    "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"web\"},"
                            + "\"spec\":{\"replicas\":-1}}");
            assertThat(negative.code()).isEqualTo(422);
            assertThat(negative.json().path("message").asText()).isEqualTo("Scale.autoscaling \"web\" is invalid:"
                    + " spec.replicas: Invalid value: -1: must be greater than or equal to 0");
            assertThat(api.get(DEPLOYS + "/nope/scale").code()).isEqualTo(404);
        }
    }
}
