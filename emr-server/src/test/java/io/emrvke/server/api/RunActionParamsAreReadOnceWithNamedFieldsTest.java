package io.emrvke.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.application.ConfigItem;
import io.emrvke.server.application.RequestedItem;
import io.emrvke.server.catalog.ComponentAction;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.engine.ExecutionOptions;
import io.emrvke.server.operation.engine.FailureStrategy;
import org.junit.jupiter.api.Test;

/** The ActionParams of RunApplicationAction as the pure parser reads them: no server, no store. */
class RunActionParamsAreReadOnceWithNamedFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Params request(String... keyValues) {
        ObjectNode request = JSON.createObjectNode();
        ArrayNode params = request.putArray("ActionParams");
        for (int i = 0; i < keyValues.length; i += 2) {
            params.addObject().put("Key", keyValues[i]).put("Value", keyValues[i + 1]);
        }
        return Params.of(request);
    }

    private static RunActionParams read(ComponentAction action, String... keyValues) {
        return RunActionParams.read(request(keyValues), action);
    }

    private static void assertRefused(ErrorCode code, String field, Runnable read) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.error()).isEqualTo(code);
            assertThat(e.getMessage()).contains(field);
        });
    }

    @Test
    void withoutActionParamsEveryOptionHasItsDefault() {
        RunActionParams p = read(ComponentAction.STOP);

        assertThat(p.hasReleaseNames()).isFalse();
        assertThat(p.applicationConfigs()).isEmpty();
        assertThat(p.applicationConfigsJson()).isNull();
        assertThat(p.batchSize()).isEqualTo(1);
        assertThat(p.dryRun()).isFalse();
        assertThat(p.executionOptions()).isEqualTo(new ExecutionOptions(FailureStrategy.BLOCK, 0,
                ExecutionOptions.DEFAULT_STEP_TIMEOUT_MILLIS));
    }

    @Test
    void keysMatchAnyCaseAndOptionsBecomeExecutionOptions() {
        RunActionParams p = read(ComponentAction.RESTART, "BATCHSIZE", "5", "batchIntervalSeconds", " 30 ",
                "failurestrategy", "continue", "timeoutSeconds", "120", "DryRun", "TRUE");

        assertThat(p.batchSize()).isEqualTo(5);
        assertThat(p.dryRun()).isTrue();
        assertThat(p.executionOptions()).isEqualTo(new ExecutionOptions(FailureStrategy.CONTINUE, 30_000, 120_000));
    }

    @Test
    void releaseNamesAreOneNameOrACommaSeparatedListCountedOnce() {
        RunActionParams p = read(ComponentAction.START, "releaseName", " ray-a, ray-b ,ray-a");

        assertThat(p.releaseNames()).containsExactly("ray-a", "ray-b");
        assertThat(p.releaseNameField()).isEqualTo("ActionParams.1.Value (releaseName)");
        assertRefused(ErrorCode.INVALID_PARAMETER, "ActionParams.1.Value (releaseName)",
                () -> read(ComponentAction.START, "releaseName", "ray-a,,ray-b"));
    }

    @Test
    void applicationConfigsAreTypedItemsNamedByPosition() {
        RunActionParams p = read(ComponentAction.RESTART, "batchSize", "2", "applicationConfigs",
                "[{\"configFileName\":\"ray.conf\",\"configItemKey\":\"worker_replicas\",\"configItemValue\":\"3\"},"
                        + "{\"configFileName\":\"__envs__\",\"configItemKey\":\"DB_PASSWORD\",\"configItemValue\":\"pw\"}]");

        assertThat(p.applicationConfigs()).containsExactly(
                new RequestedItem(new ConfigItem("ray.conf", "worker_replicas", "3"), "ActionParams.2.Value[1]"),
                new RequestedItem(new ConfigItem("__envs__", "DB_PASSWORD", "pw"), "ActionParams.2.Value[2]"));
        assertThat(p.applicationConfigsField()).isEqualTo("ActionParams.2.Value (applicationConfigs)");
        assertThat(p.applicationConfigsJson()).hasSize(2);
    }

    @Test
    void applicationConfigsAreRefusedWithAnyActionButRestart() {
        assertRefused(ErrorCode.INVALID_PARAMETER, "only accepted with ActionName restart", () ->
                read(ComponentAction.STOP, "applicationConfigs", "[]"));
    }

    @Test
    void badApplicationConfigsNameTheFieldAndWhatIsWrong() {
        assertRefused(ErrorCode.INVALID_PARAMETER, "ActionParams.1.Value (applicationConfigs) is not valid JSON",
                () -> read(ComponentAction.RESTART, "applicationConfigs", "[{"));
        assertRefused(ErrorCode.INVALID_PARAMETER, "must be a JSON array",
                () -> read(ComponentAction.RESTART, "applicationConfigs", "{}"));
        assertRefused(ErrorCode.INVALID_PARAMETER, "must hold at least one item",
                () -> read(ComponentAction.RESTART, "applicationConfigs", "[]"));
        assertRefused(ErrorCode.MISSING_PARAMETER, "ActionParams.1.Value[1].configItemKey",
                () -> read(ComponentAction.RESTART, "applicationConfigs", "[{\"configFileName\":\"a\"}]"));
        assertRefused(ErrorCode.INVALID_PARAMETER, "ActionParams.1.Value[2].configItemKey", () -> read(
                ComponentAction.RESTART, "applicationConfigs",
                "[{\"configFileName\":\"a\",\"configItemKey\":\"k\",\"configItemValue\":\"1\"},"
                        + "{\"configFileName\":\"A\",\"configItemKey\":\"k\",\"configItemValue\":\"2\"}]"));
    }

    @Test
    void repeatedUnknownOrOutOfRangeKeysAreRefusedNamingTheField() {
        assertRefused(ErrorCode.INVALID_PARAMETER, "given twice",
                () -> read(ComponentAction.STOP, "dryRun", "true", "DRYRUN", "false"));
        assertRefused(ErrorCode.INVALID_PARAMETER, "ActionParams.1.Key",
                () -> read(ComponentAction.STOP, "parallelism", "3"));
        assertRefused(ErrorCode.INVALID_PARAMETER, "ActionParams.1.Value (batchSize)",
                () -> read(ComponentAction.STOP, "batchSize", "0"));
        assertRefused(ErrorCode.INVALID_PARAMETER, "ActionParams.1.Value (batchSize)",
                () -> read(ComponentAction.STOP, "batchSize", "many"));
        assertRefused(ErrorCode.INVALID_PARAMETER, "ActionParams.1.Value (dryRun)",
                () -> read(ComponentAction.STOP, "dryRun", "yes"));
        assertThat(read(ComponentAction.STOP, "batchSize", String.valueOf(RunActionParams.MAX_BATCH_SIZE)).batchSize())
                .isEqualTo(RunActionParams.MAX_BATCH_SIZE);
    }

    @Test
    void contentIsStoredWithSecretValuesMaskedFromTheParsedItems() throws Exception {
        ObjectNode request = (ObjectNode) JSON.readTree("{\"ClusterId\":\"emr-x\",\"ActionParams\":[{\"Key\":"
                + "\"applicationConfigs\",\"Value\":\"[{\\\"configFileName\\\":\\\"__envs__\\\",\\\"configItemKey\\\":"
                + "\\\"DB_PASSWORD\\\",\\\"configItemValue\\\":\\\"hunter2\\\"},{\\\"configFileName\\\":\\\"ray.conf\\\","
                + "\\\"configItemKey\\\":\\\"worker_replicas\\\",\\\"configItemValue\\\":\\\"3\\\"}]\"}]}");
        RunActionParams options = RunActionParams.read(Params.of(request), ComponentAction.RESTART);

        String content = RunApplicationAction.maskedContent(request, options).toString();

        assertThat(content).doesNotContain("hunter2").contains("******").contains("worker_replicas")
                .contains("\\\"configItemValue\\\":\\\"3\\\"");
        assertThat(request.toString()).as("the request itself is left as it came").contains("hunter2");
    }
}
