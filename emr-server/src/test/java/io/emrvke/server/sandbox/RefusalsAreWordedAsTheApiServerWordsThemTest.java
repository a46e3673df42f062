package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Status codes, reasons, messages and details as kube-apiserver v1.34 answers them (checked against it). */
class RefusalsAreWordedAsTheApiServerWordsThemTest {
    private static final String CMS = "/api/v1/namespaces/default/configmaps";

    private static void refused(SandboxHttp.Answer a, int code, String reason, String message) {
        assertThat(a.code()).as(a.body()).isEqualTo(code);
        JsonNode s = a.json();
        assertThat(s.path("kind").asText()).isEqualTo("Status");
        assertThat(s.path("status").asText()).isEqualTo("Failure");
        assertThat(s.path("reason").asText()).isEqualTo(reason);
        assertThat(s.path("code").asInt()).isEqualTo(code);
        assertThat(s.path("message").asText()).isEqualTo(message);
    }

    @Test
    void missingDuplicateStaleAndMisaddressedWritesGetTheRealServersStatus() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            JsonNode a = api.post(CMS, "{\"metadata\":{\"name\":\"a\"},\"data\":{\"x\":\"1\"}}").json();

            refused(api.post(CMS, "{\"metadata\":{\"name\":\"a\"}}"), 409, "AlreadyExists",
                    "configmaps \"a\" already exists");
            refused(api.put(CMS + "/a", "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"1\"}}"), 409, "Conflict",
                    "Operation cannot be fulfilled on configmaps \"a\": the object has been modified; please apply"
                            + " your changes to the latest version and try again");
            refused(api.patch(CMS + "/a", "application/merge-patch+json", "{\"metadata\":{\"resourceVersion\":\"1\"}}"),
                    409, "Conflict", "Operation cannot be fulfilled on configmaps \"a\": the object has been modified;"
                            + " please apply your changes to the latest version and try again");
            refused(api.get("/apis/apps/v1/namespaces/default/deployments/nope"), 404, "NotFound",
                    "deployments.apps \"nope\" not found");
            assertThat(api.get("/apis/apps/v1/namespaces/default/deployments/nope").json().path("details").toString())
                    .isEqualTo("{\"name\":\"nope\",\"group\":\"apps\",\"kind\":\"deployments\"}");
            refused(api.put(CMS + "/b", "{\"metadata\":{\"name\":\"b\"}}"), 404, "NotFound", "configmaps \"b\" not found");
            refused(api.post("/api/v1/namespaces/nons/configmaps", "{\"metadata\":{\"name\":\"a\"}}"), 404, "NotFound",
                    "namespaces \"nons\" not found");
            refused(api.put(CMS + "/a", "{\"metadata\":{\"name\":\"c\"}}"), 400, "BadRequest",
                    "the name of the object (c) does not match the name on the URL (a)");
            refused(api.put(CMS + "/a", "{\"metadata\":{\"name\":\"a\",\"namespace\":\"kube-system\"}}"), 400,
                    "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
            refused(api.post(CMS, "{\"metadata\":{}}"), 422, "Invalid",
                    "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required");
            refused(api.post(CMS + "/a", "{}"), 405, "MethodNotAllowed",
                    "the server does not allow this method on the requested resource");
            refused(api.patch(CMS + "/a", "application/json-patch+json", "[{\"op\":\"test\",\"path\":\"/data/x\","
                    + "\"value\":\"2\"}]"), 422, "Invalid", "the server rejected our request due to an error in our request");
            refused(api.patch(CMS + "/a", "application/foo", "{}"), 415, "UnsupportedMediaType",
                    "415: Unsupported Media Type");
            refused(api.patch("/apis/ray.io/v1/namespaces/default/rayclusters/r", "application/strategic-merge-patch+json",
                    "{}"), 415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media"
                    + " types include: application/json-patch+json, application/merge-patch+json,"
                    + " application/apply-patch+yaml");

            JsonNode deleted = api.delete(CMS + "/a").json();
            assertThat(deleted.path("status").asText()).isEqualTo("Success");
            assertThat(deleted.path("details").path("uid").asText()).isEqualTo(a.path("metadata").path("uid").asText());
        }
    }
}
