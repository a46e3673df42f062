package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What the sandbox does not serve is a 404 that carries no object: before, {@code kubectl logs} and any
 * unknown path answered a list of every object, Secrets of other namespaces included.
 */
class UnknownPathsAre404AndLeakNothingTest {
    private static final String SECRET_VALUE = "c2VjcmV0LXBhc3N3b3Jk";

    @Test
    void unknownPathsResourcesAndSubresourcesAre404WithoutAnyStoredObject() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            assertThat(api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"other\"}}").code()).isEqualTo(201);
            assertThat(api.post("/api/v1/namespaces/other/secrets", "{\"metadata\":{\"name\":\"db\"},\"data\":"
                    + "{\"password\":\"" + SECRET_VALUE + "\"}}").code()).isEqualTo(201);
            assertThat(api.post("/api/v1/namespaces/default/pods", "{\"metadata\":{\"name\":\"p\"},\"spec\":"
                    + "{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}").code()).isEqualTo(201);

            String[] notServed = {"/metrics", "/foo", "/api/v1/foos", "/apis/nope.example.com/v1/things",
                    "/api/v1/namespaces/default/pods/p/foo", "/api/v1/namespaces/default/pods/nope/log",
                    "/api/v2/pods", "/openapi/v2",
                    "/api/v1/namespaces/default/configmaps/x/status", "/api/v1/pods/p",
                    "/api/v1/namespaces/other/nodes"};
            for (String path : notServed) {
                SandboxHttp.Answer a = api.get(path);
                assertThat(a.code()).as(path).isEqualTo(404);
                assertThat(a.body()).as(path).doesNotContain(SECRET_VALUE).doesNotContain("\"items\"")
                        .doesNotContain("\"db\"");
            }
            assertThat(api.get("/api/v1/foos").json().path("message").asText())
                    .isEqualTo("the server could not find the requested resource");
            assertThat(api.get("/api/v1/namespaces/default/pods/nope/log").json().path("message").asText())
                    .isEqualTo("pods \"nope\" not found");
            assertThat(api.get("/metrics").body()).isEqualTo("404 page not found\n");

            SandboxHttp.Answer exec = api.post("/api/v1/namespaces/default/pods/p/exec?command=ls", null);
            assertThat(exec.code()).isEqualTo(400);
            assertThat(exec.json().path("message").asText()).contains("not supported by the sandbox");
            assertThat(api.get("/api/v1/namespaces/default/pods/p/portforward?ports=80").json().path("message")
                    .asText()).contains("port-forward is not supported by the sandbox");
        }
    }
}
