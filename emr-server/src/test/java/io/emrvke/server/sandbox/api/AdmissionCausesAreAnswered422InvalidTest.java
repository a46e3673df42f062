package io.emrvke.server.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The admission hook sees every write before it is stored (the object as it would be stored, and the old
 * one on updates); its causes make the write a 422 Invalid formatted as the API server formats them, and
 * nothing is stored, dry run or not.
 */
class AdmissionCausesAreAnswered422InvalidTest {
    private static final String JSON = "application/json";
    private static final String DEPLOYS = "/apis/apps/v1/namespaces/default/deployments";

    @Test
    void causesBecomeA422WithEachFieldAndTheWriteIsNotStored() {
        ApiServer api = new ApiServer(null, null, ApiServer.DEFAULT_BOOKMARK_INTERVAL_MS);
        List<String> seen = new ArrayList<>();
        api.admission((obj, old) -> {
            seen.add(obj.path("metadata").path("name").asText() + (old == null ? " create" : " update"));
            List<Cause> causes = new ArrayList<>();
            if (!obj.path("kind").asText().equals("Deployment")) {
                return causes;
            }
            if (obj.path("spec").path("replicas").asInt() < 0) {
                causes.add(new Cause("FieldValueInvalid", "spec.replicas", "Invalid value: -1: must be greater than"
                        + " or equal to 0"));
            }
            if (obj.path("spec").path("template").path("spec").path("containers").path(0).path("image").isMissingNode()) {
                causes.add(new Cause("FieldValueRequired", "spec.template.spec.containers[0].image", "Required value"));
            }
            return causes;
        });
        assertThat(api.call("POST", "/api/v1/namespaces", JSON, "{\"metadata\":{\"name\":\"default\"}}").code())
                .isEqualTo(201);

        Reply one = api.call("POST", DEPLOYS, JSON, deployment(1, false));
        assertThat(one.code()).isEqualTo(422);
        assertThat(one.body().path("message").asText()).isEqualTo("Deployment.apps \"web\" is invalid:"
                + " spec.template.spec.containers[0].image: Required value");
        JsonNode details = one.body().path("details");
        assertThat(details.path("kind").asText()).isEqualTo("Deployment");
        assertThat(details.path("group").asText()).isEqualTo("apps");
        assertThat(details.path("causes").get(0).toString()).isEqualTo("{\"reason\":\"FieldValueRequired\","
                + "\"message\":\"Required value\",\"field\":\"spec.template.spec.containers[0].image\"}");

        Reply two = api.call("POST", DEPLOYS + "?dryRun=All", JSON, deployment(-1, false));
        assertThat(two.body().path("message").asText()).isEqualTo("Deployment.apps \"web\" is invalid: ["
                + "spec.replicas: Invalid value: -1: must be greater than or equal to 0, "
                + "spec.template.spec.containers[0].image: Required value]");
        assertThat(api.call("GET", DEPLOYS + "/web", null, null).code()).isEqualTo(404);

        assertThat(api.call("POST", DEPLOYS, JSON, deployment(1, true)).code()).isEqualTo(201);
        Reply update = api.call("PATCH", DEPLOYS + "/web", "application/merge-patch+json", "{\"spec\":{\"replicas\":-1}}");
        assertThat(update.code()).isEqualTo(422);
        assertThat(api.call("GET", DEPLOYS + "/web", null, null).body().path("spec").path("replicas").asInt())
                .isEqualTo(1);
        assertThat(seen).contains("web create", "web update");
    }

    private static String deployment(int replicas, boolean image) {
        return "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":" + replicas + ",\"selector\":{\"matchLabels\":"
                + "{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":"
                + "[{\"name\":\"main\"" + (image ? ",\"image\":\"nginx\"" : "") + "}]}}}}";
    }
}
