package io.emrvke.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.api.Json;
import io.emrvke.server.account.Caller;
import io.emrvke.server.account.Role;
import io.emrvke.server.api.ClusterReadActions;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.store.Ids;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

class ClusterReadActionsTest {
    private static final Caller ALICE = new Caller("AKLTA", 1, 1, "root", Role.ADMIN);
    private static final Caller MALLORY = new Caller("AKLTM", 2, 5, "mallory", Role.ADMIN);

    private static Map<String, ActionSpec> actions(StoreBackend backend) {
        return new ClusterReadActions(new ClusterRepository(backend.database().jdbi())).actions().stream()
                .collect(Collectors.toMap(ActionSpec::name, Function.identity()));
    }

    private static JsonNode call(Map<String, ActionSpec> actions, String action, Caller caller, String body) {
        try {
            Params params = Params.of(Json.plain().readTree(body));
            Object result = actions.get(action).handler().handle(new ActionContext(action, "req", "cn-beijing", caller, params));
            return Json.wire().valueToTree(result);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ClusterRow cluster(long account, String name, ClusterState state, long createTime, String project) {
        return new ClusterRow(Ids.newClusterId(), account, 1, "root", name, "EMR-VKE-1.8.0", project, "cn-beijing",
                null, "sandbox", List.of("np-1"), "ns-" + createTime, state, "createCluster", createTime,
                state == ClusterState.RUNNING ? createTime + 5 : null, createTime + 5,
                state == ClusterState.DELETED ? createTime + 9 : null);
    }

    @StoreTest
    void getAnswersEveryDocumentedFieldOfTheCallersCluster(StoreBackend backend) {
        ClusterRepository repo = new ClusterRepository(backend.database().jdbi());
        ClusterRow c = cluster(1, "analytics", ClusterState.RUNNING, 1_700_000_000_000L, "default");
        repo.insert(c);

        JsonNode got = call(actions(backend), "GetVirtualCluster", ALICE, "{\"ClusterId\":\"" + c.clusterId() + "\"}");

        List<String> names = new ArrayList<>();
        got.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("ClusterId", "ClusterName", "ReleaseVersion", "ClusterState",
                "StateChangeReason", "Region", "VpcId", "ProjectName", "CreateTime", "ReadyTime", "UpdateTime",
                "DeleteTime", "AccountId", "UserId", "Creator", "VkeClusterId", "ProductName");
        assertThat(got.get("ClusterId").asText()).isEqualTo(c.clusterId());
        assertThat(got.get("ClusterState").asText()).isEqualTo("RUNNING");
        assertThat(got.get("Region").asText()).isEqualTo("cn-beijing");
        assertThat(got.get("VpcId").isNull()).isTrue();
        assertThat(got.get("DeleteTime").isNull()).isTrue();
        assertThat(got.get("CreateTime").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(got.get("ReadyTime").asLong()).isEqualTo(1_700_000_000_005L);
        assertThat(got.get("ProductName").asText()).isEqualTo("E-MapReduce-VKE");
        assertThat(got.get("VkeClusterId").asText()).isEqualTo("sandbox");
    }

    @StoreTest
    void anotherAccountsUnknownOrMalformedClusterIsNotFound(StoreBackend backend) {
        ClusterRepository repo = new ClusterRepository(backend.database().jdbi());
        ClusterRow c = cluster(1, "analytics", ClusterState.RUNNING, 1000, "default");
        repo.insert(c);
        Map<String, ActionSpec> actions = actions(backend);

        for (String id : List.of(c.clusterId(), Ids.newClusterId(), "emr-'; DROP TABLE clusters", "")) {
            assertThatThrownBy(() -> call(actions, "GetVirtualCluster", id.equals(c.clusterId()) ? MALLORY : ALICE,
                    "{\"ClusterId\":" + Json.plain().valueToTree(id) + "}"))
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.NOT_FOUND_CLUSTER));
        }
        assertThatThrownBy(() -> call(actions, "GetVirtualCluster", ALICE, "{}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.MISSING_PARAMETER);
                    assertThat(e.getMessage()).contains("ClusterId");
                });
        assertThat(call(actions, "ListVirtualClusters", MALLORY, "{}").get("TotalCount").asLong()).isZero();
    }

    @StoreTest
    void listPagesNewestFirstWithStableOrderAndLeavesDeletedOut(StoreBackend backend) {
        ClusterRepository repo = new ClusterRepository(backend.database().jdbi());
        List<ClusterRow> live = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // Two clusters share each creation time: ties must be broken by id, the same on every page.
            ClusterRow c = cluster(1, "c" + i, ClusterState.RUNNING, 1000 + i / 2, "default");
            repo.insert(c);
            live.add(c);
        }
        repo.insert(cluster(1, "gone", ClusterState.DELETED, 5000, "default"));
        repo.insert(cluster(2, "theirs", ClusterState.RUNNING, 6000, "default"));
        Map<String, ActionSpec> actions = actions(backend);

        List<String> seen = new ArrayList<>();
        int token = 0;
        long total;
        do {
            JsonNode page = call(actions, "ListVirtualClusters", ALICE, "{\"MaxResults\":3,\"NextToken\":" + token + "}");
            total = page.get("TotalCount").asLong();
            assertThat(page.get("MaxResults").asInt()).isEqualTo(3);
            page.get("Items").forEach(item -> seen.add(item.get("ClusterId").asText()));
            token = page.get("NextToken").asInt();
        } while ((long) token * 3 < total);

        List<String> expected = live.stream()
                .sorted((a, b) -> a.createTime() != b.createTime() ? Long.compare(b.createTime(), a.createTime())
                        : b.clusterId().compareTo(a.clusterId()))
                .map(ClusterRow::clusterId).toList();
        assertThat(total).isEqualTo(7);
        assertThat(token).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(expected);
        JsonNode beyond = call(actions, "ListVirtualClusters", ALICE, "{\"MaxResults\":3,\"NextToken\":5}");
        assertThat(beyond.get("Items")).isEmpty();
        assertThat(beyond.get("TotalCount").asLong()).isEqualTo(7);
    }

    @StoreTest
    void filtersNarrowTheListAndTheCount(StoreBackend backend) {
        ClusterRepository repo = new ClusterRepository(backend.database().jdbi());
        ClusterRow spark = cluster(1, "Spark-Prod", ClusterState.RUNNING, 1000, "default");
        ClusterRow ray = cluster(1, "ray_100%", ClusterState.INIT, 2000, "ml");
        ClusterRow deleted = cluster(1, "old-spark", ClusterState.DELETED, 3000, "default");
        ClusterRow failed = cluster(1, "broken", ClusterState.INIT_FAILED, 4000, "ml");
        for (ClusterRow c : List.of(spark, ray, deleted, failed)) {
            repo.insert(c);
        }
        Map<String, ActionSpec> actions = actions(backend);

        assertThat(ids(call(actions, "ListVirtualClusters", ALICE, "{\"ClusterName\":\"SPARK\"}")))
                .containsExactly(spark.clusterId());
        assertThat(ids(call(actions, "ListVirtualClusters", ALICE, "{\"ClusterName\":\"0%\"}")))
                .containsExactly(ray.clusterId());
        assertThat(ids(call(actions, "ListVirtualClusters", ALICE, "{\"ClusterName\":\"y_1\"}")))
                .containsExactly(ray.clusterId());
        assertThat(ids(call(actions, "ListVirtualClusters", ALICE, "{\"ClusterStates\":[\"deleted\",\"Running\"]}")))
                .containsExactly(deleted.clusterId(), spark.clusterId());
        assertThat(ids(call(actions, "ListVirtualClusters", ALICE, "{\"ClusterStates\":\"INIT_FAILED\"}")))
                .containsExactly(failed.clusterId());
        assertThat(ids(call(actions, "ListVirtualClusters", ALICE, "{\"ProjectName\":\"ml\"}")))
                .containsExactly(failed.clusterId(), ray.clusterId());
        JsonNode byIds = call(actions, "ListVirtualClusters", ALICE, "{\"ClusterIds\":[\"" + spark.clusterId()
                + "\",\"" + deleted.clusterId() + "\",\"emr-unknown\"]}");
        assertThat(ids(byIds)).containsExactly(spark.clusterId());
        assertThat(byIds.get("TotalCount").asLong()).isEqualTo(1);
    }

    @StoreTest
    void anUnknownStateIsRefusedListingTheAcceptedOnes(StoreBackend backend) {
        Map<String, ActionSpec> actions = actions(backend);
        assertThatThrownBy(() -> call(actions, "ListVirtualClusters", ALICE, "{\"ClusterStates\":[\"RUNNING\",\"FROZEN\"]}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.INVALID_PARAMETER);
                    assertThat(e.getMessage()).contains("ClusterStates.2", "FROZEN", "INIT_FAILED", "DELETED");
                });
        assertThatThrownBy(() -> call(actions, "ListVirtualClusters", ALICE, "{\"MaxResults\":101}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("MaxResults"));
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("Items").forEach(i -> out.add(i.get("ClusterId").asText()));
        return out;
    }
}
