package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Field selectors on pods (metadata.name, metadata.namespace, spec.nodeName, status.phase) and label
 * selectors in their whole syntax (=, ==, !=, in, notin, exists, !key) filter lists as on a real server;
 * a field the kind does not support is a 400, worded as the API server words it.
 */
class FieldAndSetSelectorsFilterPodsTest {
    private static final String PODS = "/api/v1/namespaces/default/pods";

    /** A pod the sandbox's kubelet leaves alone (it never schedules a pod asking for the pending fault). */
    private static String pod(String name, String tier) {
        return "{\"metadata\":{\"name\":\"" + name + "\"" + (tier == null ? "" : ",\"labels\":{\"tier\":\"" + tier + "\"}")
                + "},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"env\":[{\"name\":\"SANDBOX_FAULT\","
                + "\"value\":\"pending\"}]}]}}";
    }

    private static List<String> names(SandboxHttp api, String query) {
        SandboxHttp.Answer a = api.get(PODS + "?" + query);
        assertThat(a.code()).as(query + ": " + a.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        a.json().path("items").forEach(p -> names.add(p.path("metadata").path("name").asText()));
        return names;
    }

    @Test
    void podsAreSelectedByNodePhaseNameAndEveryLabelOperator() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            api.post(PODS, pod("front", "web"));
            api.post(PODS, pod("back", "db"));
            api.post(PODS, pod("loose", null));
            assertThat(api.post(PODS + "/front/binding", "{\"target\":{\"kind\":\"Node\",\"name\":\"sandbox-node-2\"}}")
                    .code()).isEqualTo(201);
            assertThat(api.patch(PODS + "/front/status", "application/merge-patch+json",
                    "{\"status\":{\"phase\":\"Running\"}}").code()).isEqualTo(200);

            assertThat(names(api, "fieldSelector=spec.nodeName%3Dsandbox-node-2")).containsExactly("front");
            assertThat(names(api, "fieldSelector=spec.nodeName%3D")).containsExactlyInAnyOrder("back", "loose");
            assertThat(names(api, "fieldSelector=status.phase%3DRunning")).containsExactly("front");
            assertThat(names(api, "fieldSelector=status.phase!%3DRunning")).containsExactlyInAnyOrder("back", "loose");
            assertThat(names(api, "fieldSelector=metadata.name%3D%3Dback,metadata.namespace%3Ddefault"))
                    .containsExactly("back");

            assertThat(names(api, "labelSelector=tier+in+(web,db)")).containsExactlyInAnyOrder("front", "back");
            assertThat(names(api, "labelSelector=tier+notin+(web)")).containsExactlyInAnyOrder("back", "loose");
            assertThat(names(api, "labelSelector=tier")).containsExactlyInAnyOrder("front", "back");
            assertThat(names(api, "labelSelector=!tier")).containsExactly("loose");
            assertThat(names(api, "labelSelector=tier!%3Dweb")).containsExactlyInAnyOrder("back", "loose");
            assertThat(names(api, "labelSelector=tier%3D%3Ddb")).containsExactly("back");
            assertThat(names(api, "labelSelector=tier%3Dweb&fieldSelector=status.phase%3DRunning"))
                    .containsExactly("front");

            SandboxHttp.Answer unsupported = api.get(PODS + "?fieldSelector=spec.foo%3Dx");
            assertThat(unsupported.code()).isEqualTo(400);
            assertThat(unsupported.json().path("message").asText()).isEqualTo("field label not supported: spec.foo");
            assertThat(api.get("/api/v1/configmaps?fieldSelector=data.x%3Dy").json().path("message").asText())
                    .isEqualTo("\"data.x\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
            SandboxHttp.Answer broken = api.get(PODS + "?labelSelector=tier+in+(web");
            assertThat(broken.code()).isEqualTo(400);
            assertThat(broken.json().path("message").asText())
                    .isEqualTo("unable to parse requirement: found '', expected: ',' or ')'");
        }
    }
}
