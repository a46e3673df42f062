package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@code dryRun=All} (kubectl create/apply/delete --dry-run=server, kubectl diff) answers what would be
 * stored and stores nothing: no object, no change, no new resourceVersion.
 */
class DryRunChangesNothingTest {
    private static final String CMS = "/api/v1/namespaces/default/configmaps";
    private static final String CM = "{\"metadata\":{\"name\":\"cfg\",\"labels\":{\"a\":\"1\"}},\"data\":{\"k\":\"v\"}}";

    @Test
    void everyWriteWithDryRunAnswersAsIfDoneAndLeavesTheStoreAsItWas() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);

            SandboxHttp.Answer created = api.post(CMS + "?dryRun=All", CM);
            assertThat(created.code()).isEqualTo(201);
            assertThat(created.json().path("metadata").path("uid").asText()).isNotEmpty();
            assertThat(created.json().path("metadata").has("resourceVersion")).isFalse();
            assertThat(api.get(CMS + "/cfg").code()).as("nothing created").isEqualTo(404);

            JsonNode stored = api.post(CMS, CM).json();
            String version = listVersion(api);

            SandboxHttp.Answer updated = api.put(CMS + "/cfg?dryRun=All",
                    "{\"metadata\":{\"name\":\"cfg\"},\"data\":{\"k\":\"changed\"}}");
            assertThat(updated.code()).isEqualTo(200);
            assertThat(updated.json().path("data").path("k").asText()).isEqualTo("changed");
            SandboxHttp.Answer patched = api.patch(CMS + "/cfg?dryRun=All", "application/merge-patch+json",
                    "{\"data\":{\"k\":null,\"new\":\"x\"}}");
            assertThat(patched.json().path("data").has("k")).isFalse();
            assertThat(patched.json().path("data").path("new").asText()).isEqualTo("x");
            assertThat(api.patch(CMS + "/cfg?dryRun=All", "application/json-patch+json",
                    "[{\"op\":\"remove\",\"path\":\"/data\"}]").code()).isEqualTo(200);
            assertThat(api.send("DELETE", CMS + "/cfg", "application/json",
                    "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"dryRun\":[\"All\"]}").code()).isEqualTo(200);
            assertThat(api.delete(CMS + "?dryRun=All&labelSelector=a%3D1").json().path("items")).hasSize(1);
            assertThat(api.delete(CMS + "/cfg?dryRun=All").code()).isEqualTo(200);

            assertThat(api.get(CMS + "/cfg").json()).as("the object is as it was").isEqualTo(stored);
            assertThat(listVersion(api)).as("no write happened at all").isEqualTo(version);
            assertThat(api.post(CMS + "?dryRun=Some", CM).code()).as("only All is a dry run").isEqualTo(400);
        }
    }

    private static String listVersion(SandboxHttp api) {
        return api.get("/api/v1/namespaces/default/configmaps").json().path("metadata").path("resourceVersion").asText();
    }
}
