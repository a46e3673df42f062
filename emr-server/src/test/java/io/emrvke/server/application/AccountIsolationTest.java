package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrApiException;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.account.Role;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Another account, even with an admin key, sees and touches nothing of the first. Every action the server
 * registers is tried by account 2 on account 1's cluster, its operation, its instances and its config, with a
 * request that would be valid for account 1: each answers as for an id that never existed (404 NotFound.*,
 * no name or value of account 1 in the message), lists hold none of it, a ClientToken account 1 used gets
 * account 2 nothing of account 1's, and nothing of account 1 changes. An action the server registers without an
 * attempt here fails the test. A readonly user of account 1 reads but cannot change.
 */
class AccountIsolationTest {
    private static final String NAME = "owners-cluster";
    private static final String TOKEN = "owners-token";
    private static final String OWNERS_VALUE = "owners-value";

    @StoreTest
    void anotherAccountTriesEveryActionOnTheFirstsClusterAndGetsNothing(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            JsonNode created = lp.call("CreateVirtualCluster", createBody());
            String clusterId = created.path("ClusterId").asText();
            String operationId = created.path("OperationId").asText();
            assertThat(lp.awaitOperation(operationId).path("OperationState").asText()).isEqualTo("SUCCESS");
            String rayCluster = "raycluster-" + clusterId.substring(4, 8);
            String before = snapshot(lp, clusterId, rayCluster);
            EmrClient other = lp.newClient(2, "eve", Role.ADMIN);

            Map<String, Consumer<EmrClient>> attempts = attempts(clusterId, operationId, rayCluster);
            for (String action : lp.plane.actionNames()) {
                assertThat(attempts).as("an attempt by another account for " + action).containsKey(action);
                attempts.get(action).accept(other);
            }

            assertThat(snapshot(lp, clusterId, rayCluster)).as("account 1's cluster after the attempts")
                    .isEqualTo(before);
            EmrClient readonly = lp.newClient(1, "viewer", Role.READONLY);
            EmrApiException denied = LifecyclePlane.error(readonly, "DeleteVirtualCluster", cluster(clusterId));
            assertThat(denied.httpStatus()).isEqualTo(403);
            assertThat(denied.code()).isEqualTo("AccessDenied");
            assertThat(LifecyclePlane.call(readonly, "GetVirtualCluster", cluster(clusterId)).path("ClusterId")
                    .asText()).isEqualTo(clusterId);
        }
    }

    /** Per action, what account 2 tries on account 1's things and what it must get. */
    private static Map<String, Consumer<EmrClient>> attempts(String clusterId, String operationId, String ray) {
        String cluster = cluster(clusterId);
        String inCluster = "{\"ClusterId\":\"" + clusterId + "\",";
        String rayInstance = inCluster + "\"ApplicationName\":\"Ray\",\"ComponentName\":\"RayCluster\","
                + "\"ReleaseName\":";
        String operation = "{\"OperationId\":\"" + operationId + "\"}";
        Map<String, Consumer<EmrClient>> out = new LinkedHashMap<>();
        out.put("ListReleaseVersions", c -> assertThat(LifecyclePlane.call(c, "ListReleaseVersions", "{}").toString())
                .doesNotContain(clusterId, NAME));
        out.put("CreateVirtualCluster", c -> {
            JsonNode own = LifecyclePlane.call(c, "CreateVirtualCluster", createBody());
            assertThat(own.path("ClusterId").asText()).as("the same ClientToken in another account")
                    .isNotEqualTo(clusterId);
            assertThat(own.path("OperationId").asText()).isNotEqualTo(operationId);
        });
        out.put("ListVirtualClusters", c -> {
            assertThat(total(c, "ListVirtualClusters", "{\"ClusterIds\":[\"" + clusterId + "\"]}")).isZero();
            assertThat(LifecyclePlane.call(c, "ListVirtualClusters", "{}").toString()).doesNotContain(clusterId);
        });
        out.put("GetVirtualCluster", c -> notFound(c, "GetVirtualCluster", cluster, "NotFound.Cluster", clusterId));
        out.put("DeleteVirtualCluster", c -> notFound(c, "DeleteVirtualCluster", cluster, "NotFound.Cluster",
                clusterId));
        out.put("DeployApplications", c -> notFound(c, "DeployApplications", inCluster + "\"Applications\":"
                + LifecyclePlane.apps("Hive") + "}", "NotFound.Cluster", clusterId));
        out.put("UndeployApplications", c -> notFound(c, "UndeployApplications", inCluster
                + "\"ApplicationNames\":[\"Ray\"]}", "NotFound.Cluster", clusterId));
        out.put("ListApplications", c -> notFound(c, "ListApplications", cluster, "NotFound.Cluster", clusterId));
        out.put("RunApplicationAction", c -> notFound(c, "RunApplicationAction", inCluster
                + "\"ActionName\":\"restart\",\"ActionScope\":\"COMPONENT_INSTANCE\",\"Components\":[{"
                + "\"ApplicationName\":\"Ray\",\"ComponentNames\":[\"RayCluster\"]}],\"ActionParams\":["
                + "{\"Key\":\"releaseName\",\"Value\":\"" + ray + "\"},{\"Key\":\"applicationConfigs\",\"Value\":"
                + "\"[{\\\"configFileName\\\":\\\"__envs__\\\",\\\"configItemKey\\\":\\\"EVE\\\","
                + "\\\"configItemValue\\\":\\\"was-here\\\"}]\"}]}", "NotFound.Cluster", clusterId));
        out.put("GetOperation", c -> notFound(c, "GetOperation", operation, "NotFound.Operation", operationId));
        out.put("ListOperations", c -> {
            assertThat(total(c, "ListOperations", "{\"ClusterIds\":[\"" + clusterId + "\"]}")).isZero();
            assertThat(LifecyclePlane.call(c, "ListOperations", "{}").toString()).doesNotContain(operationId);
        });
        out.put("CancelOperation", c -> notFound(c, "CancelOperation", operation, "NotFound.Operation", operationId));
        out.put("ListComponents", c -> notFound(c, "ListComponents", cluster, "NotFound.Cluster", clusterId));
        out.put("ListComponentInstances", c -> notFound(c, "ListComponentInstances", cluster, "NotFound.Cluster",
                clusterId));
        out.put("CreateComponentInstance", c -> notFound(c, "CreateComponentInstance", rayInstance + "\"eve-rc\"}",
                "NotFound.Cluster", clusterId));
        out.put("DeleteComponentInstance", c -> notFound(c, "DeleteComponentInstance", rayInstance + "\"" + ray
                + "\"}", "NotFound.Cluster", clusterId));
        out.put("ListApplicationConfigs", c -> notFound(c, "ListApplicationConfigs", inCluster
                + "\"ApplicationName\":\"Ray\",\"ReleaseName\":\"" + ray + "\"}", "NotFound.Cluster", clusterId));
        out.put("ListApplicationConfigHistories", c -> notFound(c, "ListApplicationConfigHistories", inCluster
                + "\"ApplicationName\":\"Ray\",\"ReleaseName\":\"" + ray + "\"}", "NotFound.Cluster", clusterId));
        return out;
    }

    /** Account 1's cluster with Ray and one config item, under a ClientToken. */
    private static String createBody() {
        String body = LifecyclePlane.createBody(NAME, "[" + LifecyclePlane.appWithConfig("Ray", "__envs__",
                "OWNERS_ITEM", OWNERS_VALUE) + "]");
        return body.substring(0, body.length() - 1) + ",\"ClientToken\":\"" + TOKEN + "\"}";
    }

    private static String cluster(String clusterId) {
        return "{\"ClusterId\":\"" + clusterId + "\"}";
    }

    /** What account 1 sees of its cluster that any change by another account would alter. */
    private static String snapshot(LifecyclePlane lp, String clusterId, String rayCluster) {
        JsonNode cluster = lp.cluster(clusterId);
        StringBuilder sb = new StringBuilder(cluster.path("ClusterState").asText()).append(" updated ")
                .append(cluster.path("UpdateTime").asLong()).append("; applications ")
                .append(lp.applicationStates(clusterId)).append("; operations ")
                .append(total(lp.admin, "ListOperations", "{}")).append("; instances");
        lp.call("ListComponentInstances", "{\"ClusterId\":\"" + clusterId + "\",\"MaxResults\":100}").path("Items")
                .forEach(i -> sb.append(' ').append(i.path("ReleaseName").asText()).append(" v")
                        .append(i.path("ConfigVersion").asInt()).append(' ').append(i.path("DesiredState").asText()));
        sb.append("; config ").append(lp.call("ListApplicationConfigs", "{\"ClusterId\":\"" + clusterId
                + "\",\"ApplicationName\":\"Ray\",\"ReleaseName\":\"" + rayCluster + "\",\"MaxResults\":100}")
                .path("Items"));
        return sb.toString();
    }

    private static long total(EmrClient client, String action, String body) {
        return LifecyclePlane.call(client, action, body).path("TotalCount").asLong();
    }

    private static void notFound(EmrClient client, String action, String body, String code, String id) {
        EmrApiException e = LifecyclePlane.error(client, action, body);
        assertThat(e.httpStatus()).as(action + ": " + e.apiMessage()).isEqualTo(404);
        assertThat(e.code()).as(action).isEqualTo(code);
        assertThat(e.apiMessage()).as(action).contains(id).doesNotContain(NAME, OWNERS_VALUE, "OWNERS_ITEM");
    }
}
