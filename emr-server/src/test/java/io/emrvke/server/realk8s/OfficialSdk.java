package io.emrvke.server.realk8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.volcengine.ApiClient;
import com.volcengine.ApiException;
import com.volcengine.ContentType;
import com.volcengine.HttpMethod;
import com.volcengine.UniversalApi;
import com.volcengine.UniversalRequest;
import com.volcengine.sign.Credentials;
import io.emrvke.api.Json;
import io.emrvke.server.operation.ServerProcess;
import java.util.Map;
import java.util.Set;

/** The official Volcengine Java SDK, unchanged, calling one emr-vke server: what a user runs. */
public final class OfficialSdk {
    private static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILED", "CANCEL", "SKIP");
    private final UniversalApi api;

    public OfficialSdk(String endpoint, String accessKey, String secretKey) {
        this.api = new UniversalApi(new ApiClient()
                .setCredentials(Credentials.getCredentials(accessKey, secretKey))
                .setRegion("cn-beijing")
                .setEndpoint(endpoint)
                .setDisableSSL(true));
    }

    /** The action's {@code Result}; an error answer fails the test with its body. */
    public JsonNode call(String action, Map<String, Object> body) {
        try {
            Map<String, Object> reply = api.doCall(new UniversalRequest("emr", action, "2023-12-30", HttpMethod.POST,
                    ContentType.ApplicationJSON), body);
            return Json.plain().valueToTree(reply).path("Result");
        } catch (ApiException e) {
            throw new AssertionError(action + " answered " + e.getCode() + ": " + e.getResponseBody(), e);
        }
    }

    /** GetOperation until the operation ends; fails after {@code timeoutSeconds}. */
    public JsonNode awaitOperation(String operationId, long timeoutSeconds) {
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
        while (true) {
            JsonNode op = call("GetOperation", Map.of("OperationId", operationId));
            if (TERMINAL.contains(op.path("OperationState").asText())) {
                return op;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("operation " + operationId + " still not ended after " + timeoutSeconds
                        + " s: " + op);
            }
            ServerProcess.sleep(250);
        }
    }
}
