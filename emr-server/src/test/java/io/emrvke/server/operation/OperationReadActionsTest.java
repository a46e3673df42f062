package io.emrvke.server.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.api.Json;
import io.emrvke.server.account.Caller;
import io.emrvke.server.account.Role;
import io.emrvke.server.api.OperationReadActions;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.store.Ids;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

class OperationReadActionsTest {
    private static final Caller ALICE = new Caller("AKLTA", 1, 1, "root", Role.READONLY);
    private static final Caller MALLORY = new Caller("AKLTM", 2, 5, "mallory", Role.ADMIN);
    private static final String CLUSTER_A = Ids.newClusterId();
    private static final String CLUSTER_B = Ids.newClusterId();

    private static Map<String, ActionSpec> actions(StoreBackend backend) {
        return new OperationReadActions(new OperationRepository(backend.database().jdbi())).actions().stream()
                .collect(Collectors.toMap(ActionSpec::name, Function.identity()));
    }

    private static JsonNode call(Map<String, ActionSpec> actions, String action, Caller caller, String body) {
        try {
            Params params = Params.of(Json.plain().readTree(body));
            Object result = actions.get(action).handler().handle(new ActionContext(action, "req", "cn-beijing", caller, params));
            return Json.wire().valueToTree(result);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static OperationRow operation(long account, String cluster, OperationName name, OperationState state,
                                          long createTime) {
        OperationRow accepted = OperationRow.accepted(Ids.newOperationId(), account, 1, "root", cluster, name,
                "{\"ClusterId\":\"" + cluster + "\"}", null, "{}", createTime);
        return new OperationRow(accepted.operationId(), account, 1, "root", cluster, name, state,
                state == OperationState.FAILED ? "restart of raycluster-2 failed: pods not ready" : null,
                accepted.content(), "nightly", accepted.params(), createTime, createTime + 1,
                state == OperationState.ACCEPT ? null : createTime + 1,
                state.isTerminal() ? createTime + 9 : null, null, null, null, false);
    }

    private static StepRow step(String opId, int index, StepState state) {
        StepRow planned = StepRow.planned(opId, index, index / 2, "Ray", "RayCluster", "raycluster-" + index, "restart");
        return new StepRow(opId, index, planned.stepId(), planned.batchIndex(), "Ray", "RayCluster",
                "raycluster-" + index, "restart", state, state == StepState.ACCEPT ? null : 100L + index,
                state.isTerminal() ? 200L + index : null, state == StepState.FAILED ? "pods not ready" : null, null, 1);
    }

    @StoreTest
    void getAnswersTheOperationWithItsStepsInOrderAndTheirProgress(StoreBackend backend) {
        OperationRepository repo = new OperationRepository(backend.database().jdbi());
        OperationRow op = operation(1, CLUSTER_A, OperationName.RUN_APPLICATION_ACTION, OperationState.RUNNING, 5000);
        List<StepRow> steps = List.of(step(op.operationId(), 0, StepState.SUCCESS), step(op.operationId(), 1, StepState.SUCCESS),
                step(op.operationId(), 2, StepState.FAILED), step(op.operationId(), 3, StepState.RUNNING),
                step(op.operationId(), 4, StepState.SKIP), step(op.operationId(), 5, StepState.CANCEL),
                step(op.operationId(), 6, StepState.ACCEPT));
        repo.insert(op, steps);

        JsonNode got = call(actions(backend), "GetOperation", ALICE, "{\"OperationId\":\"" + op.operationId() + "\"}");

        List<String> names = new ArrayList<>();
        got.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("ClusterId", "OperationId", "ProductName", "OperationName",
                "OperationType", "OperationState", "StateChangeReason", "AccountId", "UserId", "CreateTime",
                "UpdateTime", "StartTime", "EndTime", "Content", "Operator", "Remark", "Progress", "Steps");
        assertThat(got.get("OperationName").asText()).isEqualTo("RunApplicationAction");
        assertThat(got.get("OperationType").asText()).isEqualTo("PRODUCT");
        assertThat(got.get("ProductName").asText()).isEqualTo("E-MapReduce-VKE");
        assertThat(got.get("OperationState").asText()).isEqualTo("RUNNING");
        assertThat(got.get("EndTime").isNull()).isTrue();
        assertThat(got.get("Operator").asText()).isEqualTo("root");
        assertThat(got.get("Content").asText()).contains(CLUSTER_A);
        assertThat(Json.plain().convertValue(got.get("Progress"), Map.class)).isEqualTo(Map.of(
                "Total", 7, "Succeeded", 2, "Failed", 1, "Running", 1, "Skipped", 1, "Cancelled", 1));
        JsonNode third = got.get("Steps").get(2);
        assertThat(got.get("Steps")).hasSize(7);
        assertThat(third.get("StepId").asText()).isEqualTo("step-2");
        assertThat(third.get("ReleaseName").asText()).isEqualTo("raycluster-2");
        assertThat(third.get("StepState").asText()).isEqualTo("FAILED");
        assertThat(third.get("Message").asText()).isEqualTo("pods not ready");
        assertThat(third.get("Action").asText()).isEqualTo("restart");
        List<String> stepFields = new ArrayList<>();
        third.fieldNames().forEachRemaining(stepFields::add);
        assertThat(stepFields).containsExactlyInAnyOrder("StepId", "ApplicationName", "ComponentName", "ReleaseName",
                "Action", "StepState", "StartTime", "EndTime", "Message");
    }

    @StoreTest
    void anotherAccountsUnknownOrMalformedOperationIsNotFound(StoreBackend backend) {
        OperationRepository repo = new OperationRepository(backend.database().jdbi());
        OperationRow op = operation(1, CLUSTER_A, OperationName.CREATE_CLUSTER, OperationState.SUCCESS, 1000);
        repo.insert(op, List.of());
        Map<String, ActionSpec> actions = actions(backend);

        assertThat(call(actions, "GetOperation", ALICE, "{\"OperationId\":\"" + op.operationId() + "\"}")
                .get("Progress").get("Total").asInt()).isZero();
        for (String id : List.of(op.operationId(), Ids.newOperationId(), "op-x")) {
            Caller caller = id.equals(op.operationId()) ? MALLORY : ALICE;
            assertThatThrownBy(() -> call(actions, "GetOperation", caller, "{\"OperationId\":\"" + id + "\"}"))
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.NOT_FOUND_OPERATION));
        }
        assertThatThrownBy(() -> call(actions, "GetOperation", ALICE, "{}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.MISSING_PARAMETER);
                    assertThat(e.getMessage()).contains("OperationId");
                });
        assertThat(call(actions, "ListOperations", MALLORY, "{}").get("TotalCount").asLong()).isZero();
    }

    @StoreTest
    void listFiltersPagesAndCountsWithProgressButWithoutSteps(StoreBackend backend) {
        OperationRepository repo = new OperationRepository(backend.database().jdbi());
        OperationRow create = operation(1, CLUSTER_A, OperationName.CREATE_CLUSTER, OperationState.SUCCESS, 1000);
        OperationRow deploy = operation(1, CLUSTER_A, OperationName.DEPLOY_APPLICATIONS, OperationState.FAILED, 2000);
        OperationRow restart = operation(1, CLUSTER_B, OperationName.RUN_APPLICATION_ACTION, OperationState.RUNNING, 3000);
        OperationRow stop = operation(1, CLUSTER_B, OperationName.RUN_APPLICATION_ACTION, OperationState.ACCEPT, 4000);
        OperationRow theirs = operation(2, CLUSTER_B, OperationName.RUN_APPLICATION_ACTION, OperationState.ACCEPT, 5000);
        repo.insert(create, List.of(step(create.operationId(), 0, StepState.SUCCESS)));
        repo.insert(deploy, List.of());
        repo.insert(restart, List.of(step(restart.operationId(), 0, StepState.SUCCESS),
                step(restart.operationId(), 1, StepState.RUNNING)));
        repo.insert(stop, List.of());
        repo.insert(theirs, List.of());
        Map<String, ActionSpec> actions = actions(backend);

        JsonNode all = call(actions, "ListOperations", ALICE, "{\"MaxResults\":2}");
        assertThat(all.get("TotalCount").asLong()).isEqualTo(4);
        assertThat(all.get("NextToken").asInt()).isEqualTo(1);
        assertThat(ids(all)).containsExactly(stop.operationId(), restart.operationId());
        assertThat(all.get("Items").get(0).has("Steps")).isFalse();
        assertThat(all.get("Items").get(1).get("Progress").get("Total").asInt()).isEqualTo(2);
        assertThat(all.get("Items").get(1).get("Progress").get("Running").asInt()).isEqualTo(1);
        assertThat(ids(call(actions, "ListOperations", ALICE, "{\"MaxResults\":2,\"NextToken\":\"1\"}")))
                .containsExactly(deploy.operationId(), create.operationId());

        assertThat(ids(call(actions, "ListOperations", ALICE, "{\"ClusterIds\":\"" + CLUSTER_A + "\"}")))
                .containsExactly(deploy.operationId(), create.operationId());
        assertThat(ids(call(actions, "ListOperations", ALICE, "{\"OperationStates\":[\"failed\",\"accept\"]}")))
                .containsExactly(stop.operationId(), deploy.operationId());
        assertThat(ids(call(actions, "ListOperations", ALICE, "{\"OperationNames\":[\"runapplicationaction\"]}")))
                .containsExactly(stop.operationId(), restart.operationId());
        JsonNode window = call(actions, "ListOperations", ALICE, "{\"CreateTimeAfter\":2000,\"CreateTimeBefore\":\"4000\"}");
        assertThat(ids(window)).containsExactly(restart.operationId(), deploy.operationId());
        assertThat(window.get("TotalCount").asLong()).isEqualTo(2);
    }

    @StoreTest
    void unknownFilterValuesAreRefusedListingTheAcceptedOnes(StoreBackend backend) {
        Map<String, ActionSpec> actions = actions(backend);
        assertThatThrownBy(() -> call(actions, "ListOperations", ALICE, "{\"OperationStates\":[\"DONE\"]}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.INVALID_PARAMETER);
                    assertThat(e.getMessage()).contains("OperationStates.1", "DONE", "SUCCESS", "CANCEL", "SKIP");
                });
        assertThatThrownBy(() -> call(actions, "ListOperations", ALICE, "{\"OperationNames\":[\"Reboot\"]}"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.getMessage()).contains("OperationNames.1", "CreateComponentInstance"));
        assertThatThrownBy(() -> call(actions, "ListOperations", ALICE, "{\"CreateTimeAfter\":\"yesterday\"}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.INVALID_PARAMETER);
                    assertThat(e.getMessage()).contains("CreateTimeAfter");
                });
    }

    @StoreTest
    void anOperationAndItsStepsAreStoredTogetherOrNotAtAll(StoreBackend backend) {
        OperationRepository repo = new OperationRepository(backend.database().jdbi());
        OperationRow op = operation(1, CLUSTER_A, OperationName.RUN_APPLICATION_ACTION, OperationState.ACCEPT, 1000);
        StepRow s = step(op.operationId(), 0, StepState.ACCEPT);

        assertThatThrownBy(() -> repo.insert(op, List.of(s, s))).isInstanceOf(RuntimeException.class);

        assertThat(repo.get(1, op.operationId())).isEmpty();
    }

    @StoreTest
    void targetsConflictOnOverlapOrWholeClusterAndAreReleased(StoreBackend backend) {
        OperationRepository repo = new OperationRepository(backend.database().jdbi());
        backend.database().jdbi().useTransaction(h -> {
            repo.holdTargets(h, CLUSTER_A, "op-1", List.of("Ray/RayCluster/raycluster-1"));
            assertThat(repo.findConflict(h, CLUSTER_A, List.of("Ray/RayCluster/raycluster-1"))).contains("op-1");
            assertThat(repo.findConflict(h, CLUSTER_A, List.of("*"))).contains("op-1");
            assertThat(repo.findConflict(h, CLUSTER_A, List.of("Ray/RayCluster/raycluster-2"))).isEmpty();
            assertThat(repo.findConflict(h, CLUSTER_B, List.of("*"))).isEmpty();
            repo.holdTargets(h, CLUSTER_B, "op-2", List.of("*"));
            assertThat(repo.findConflict(h, CLUSTER_B, List.of("Spark/SparkOperator/x"))).contains("op-2");
            repo.releaseTargets(h, "op-1");
            assertThat(repo.findConflict(h, CLUSTER_A, List.of("*"))).isEmpty();
        });
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("Items").forEach(i -> out.add(i.get("OperationId").asText()));
        return out;
    }
}
