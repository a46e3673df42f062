package io.emrvke.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.api.Json;
import io.emrvke.server.account.Caller;
import io.emrvke.server.account.Role;
import io.emrvke.server.api.CatalogActions;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListReleaseVersionsTest {
    private final ActionSpec action = new CatalogActions(Catalog.loadBundled()).specs().get(0);

    @Test
    void isAReadActionNamedListReleaseVersions() {
        assertThat(action.name()).isEqualTo("ListReleaseVersions");
        assertThat(action.mutating()).isFalse();
    }

    @Test
    void resultListsReleasesNewestFirstWithTheDocumentedKeys() throws Exception {
        JsonNode result = call("{}");

        assertThat(names(result)).containsExactly("Items", "TotalCount", "MaxResults", "NextToken");
        assertThat(result.get("TotalCount").asLong()).isEqualTo(3);
        assertThat(result.get("Items").findValuesAsText("ReleaseVersion"))
                .containsExactly("EMR-VKE-1.8.0", "EMR-VKE-1.7.0", "EMR-VKE-1.4.0");

        JsonNode release = result.get("Items").get(0);
        assertThat(names(release)).containsExactly("ReleaseVersion", "Applications");
        JsonNode kyuubi = release.get("Applications").get(5);
        assertThat(names(kyuubi)).containsExactly("ApplicationName", "ApplicationVersion", "DependsOn", "Components", "ConfigFiles");
        assertThat(kyuubi.get("ApplicationName").asText()).isEqualTo("Kyuubi");
        assertThat(kyuubi.get("ApplicationVersion").asText()).isEqualTo("1.8.1");
        assertThat(kyuubi.get("DependsOn").toString()).isEqualTo("[\"Spark\"]");

        JsonNode rayCluster = release.get("Applications").get(1).get("Components").get(1);
        assertThat(names(rayCluster)).containsExactly("ComponentName", "WorkloadKind", "SupportedActions", "MultiInstance",
                "DefaultReplicas", "ConfigFiles");
        assertThat(rayCluster.toString()).isEqualTo("{\"ComponentName\":\"RayCluster\",\"WorkloadKind\":\"RayCluster\","
                + "\"SupportedActions\":[\"start\",\"stop\",\"restart\"],\"MultiInstance\":true,\"DefaultReplicas\":2,"
                + "\"ConfigFiles\":[\"ray-cluster-values.yaml\",\"__envs__\"]}");

        JsonNode sparkOperatorValues = release.get("Applications").get(0).get("ConfigFiles").get(0);
        assertThat(names(sparkOperatorValues)).containsExactly("ConfigFileName", "Format", "Items");
        assertThat(sparkOperatorValues.get("Format").asText()).isEqualTo("helm-values");
        assertThat(sparkOperatorValues.get("Items").get(0).toString())
                .isEqualTo("{\"ConfigItemKey\":\"cpu_requirements\",\"DefaultValue\":\"1\"}");
    }

    @Test
    void pagesWalkTheReleasesInOrderUntilNextTokenPassesTheTotal() throws Exception {
        List<String> seen = new ArrayList<>();
        int token = 0;
        JsonNode page;
        do {
            page = call("{\"MaxResults\":2,\"NextToken\":" + token + "}");
            assertThat(page.get("MaxResults").asInt()).isEqualTo(2);
            seen.addAll(page.get("Items").findValuesAsText("ReleaseVersion"));
            token = page.get("NextToken").asInt();
        } while ((long) token * 2 < page.get("TotalCount").asLong());

        assertThat(seen).containsExactly("EMR-VKE-1.8.0", "EMR-VKE-1.7.0", "EMR-VKE-1.4.0");
        assertThat(token).isEqualTo(2);
        assertThat(call("{\"MaxResults\":2,\"NextToken\":\"5\"}").get("Items")).isEmpty();
    }

    @Test
    void filterMatchesReleaseVersionsIgnoringCaseAndKeepsCatalogOrder() throws Exception {
        JsonNode result = call("{\"ReleaseVersions\":[\"emr-vke-1.4.0\",\"EMR-VKE-1.8.0\",\"EMR-VKE-1.4.0\"]}");

        assertThat(result.get("TotalCount").asLong()).isEqualTo(2);
        assertThat(result.get("Items").findValuesAsText("ReleaseVersion")).containsExactly("EMR-VKE-1.8.0", "EMR-VKE-1.4.0");
        assertThat(call("{\"ReleaseVersions\":\"EMR-VKE-1.7.0\"}").get("Items").findValuesAsText("ReleaseVersion"))
                .containsExactly("EMR-VKE-1.7.0");
    }

    @Test
    void anUnknownReleaseInTheFilterIsNotFoundNamingIt() {
        assertThatThrownBy(() -> call("{\"ReleaseVersions\":[\"EMR-VKE-1.8.0\",\"EMR-VKE-1.2.0\"]}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo(ErrorCode.NOT_FOUND_RELEASE_VERSION))
                .hasMessageStartingWith("ReleaseVersions.2 'EMR-VKE-1.2.0' is not a release version of this server; accepted: ");
    }

    @Test
    void badPagingIsInvalidParameterNamingTheField() {
        assertThatThrownBy(() -> call("{\"MaxResults\":0}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContaining("MaxResults");
        assertThatThrownBy(() -> call("{\"ReleaseVersions\":{\"a\":1}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContaining("ReleaseVersions");
    }

    private JsonNode call(String body) throws Exception {
        Params params = Params.of(Json.plain().readTree(body));
        ActionContext context = new ActionContext(action.name(), "req-1", "cn-beijing",
                new Caller("AK", 1L, 2L, "reader", Role.READONLY), params);
        Object result = action.handler().handle(context);
        return Json.wire().readTree(Json.wire().writeValueAsString(result));
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
