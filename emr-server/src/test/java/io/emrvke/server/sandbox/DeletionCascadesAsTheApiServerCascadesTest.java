package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Deletion as the API server does it: a namespace takes what it holds, a CRD its custom resources,
 * Orphan leaves dependents without their owner, Foreground deletes them first, finalizers hold an
 * object (marked for deletion) until they are removed.
 */
class DeletionCascadesAsTheApiServerCascadesTest {
    private static final String CMS = "/api/v1/namespaces/team/configmaps";

    private static String cm(String name, String ownerUid) {
        String owner = ownerUid == null ? "" : ",\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"name\":\"owner\",\"uid\":\"" + ownerUid + "\"}]";
        return "{\"metadata\":{\"name\":\"" + name + "\"" + owner + "}}";
    }

    @Test
    void aDeletedNamespaceTakesItsContentsAndRefusesNewOnes() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}");
            api.post(CMS, cm("a", null));
            api.post("/api/v1/namespaces/team/secrets", "{\"metadata\":{\"name\":\"s\"}}");
            api.post("/api/v1/namespaces/default/configmaps", cm("kept", null));

            JsonNode gone = api.delete("/api/v1/namespaces/team").json();
            assertThat(gone.path("kind").asText()).isEqualTo("Namespace");
            assertThat(gone.path("status").path("phase").asText()).isEqualTo("Terminating");
            assertThat(gone.path("metadata").has("deletionTimestamp")).isTrue();

            assertThat(api.get("/api/v1/namespaces/team").code()).isEqualTo(404);
            assertThat(api.get("/api/v1/configmaps").json().path("items")).extracting(i -> i.path("metadata")
                    .path("name").asText()).contains("kept").doesNotContain("a");
            assertThat(api.get("/api/v1/secrets").json().path("items")).isEmpty();
            assertThat(api.post(CMS, cm("b", null)).code()).isEqualTo(404);
        }
    }

    @Test
    void orphanForegroundAndFinalizersDecideWhatGoesAndWhen() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}");

            String uid = api.post(CMS, cm("owner", null)).json().path("metadata").path("uid").asText();
            api.post(CMS, cm("child", uid));
            assertThat(api.delete(CMS + "/owner?propagationPolicy=Orphan").code()).isEqualTo(200);
            assertThat(api.get(CMS + "/child").json().path("metadata").has("ownerReferences"))
                    .as("orphaned: no owner left").isFalse();

            uid = api.post(CMS, cm("owner", null)).json().path("metadata").path("uid").asText();
            api.post(CMS, cm("dependent", uid));
            assertThat(api.send("DELETE", CMS + "/owner", "application/json",
                    "{\"propagationPolicy\":\"Foreground\"}").code()).isEqualTo(200);
            assertThat(api.get(CMS + "/dependent").code()).as("deleted with its owner").isEqualTo(404);

            api.post(CMS, "{\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/cleanup\"]}}");
            JsonNode marked = api.delete(CMS + "/held").json();
            assertThat(marked.path("metadata").has("deletionTimestamp")).isTrue();
            assertThat(api.get(CMS + "/held").code()).as("held by its finalizer").isEqualTo(200);
            api.patch(CMS + "/held", "application/merge-patch+json", "{\"metadata\":{\"finalizers\":null}}");
            assertThat(api.get(CMS + "/held").code()).as("gone once the finalizer is removed").isEqualTo(404);
        }
    }
}
