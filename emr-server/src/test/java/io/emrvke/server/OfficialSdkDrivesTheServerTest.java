package io.emrvke.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.volcengine.ApiClient;
import com.volcengine.ApiException;
import com.volcengine.ContentType;
import com.volcengine.HttpMethod;
import com.volcengine.UniversalApi;
import com.volcengine.UniversalRequest;
import com.volcengine.sign.Credentials;
import io.emrvke.api.Json;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.Role;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Volcengine Java SDK, unchanged, against a running server: the envelope comes
 * back for a read, and each documented error code for the classic mistakes.
 */
class OfficialSdkDrivesTheServerTest {
    private static RunningServer server;
    private static Credential admin;

    @BeforeAll
    static void startServer() {
        server = RunningServer.start(c -> c.withSandbox(false, 0));
        admin = server.credential(7001, "alice", Role.ADMIN);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static UniversalApi sdk(String accessKey, String secretKey) {
        return new UniversalApi(new ApiClient()
                .setCredentials(Credentials.getCredentials(accessKey, secretKey))
                .setRegion("cn-beijing")
                .setEndpoint(server.endpoint())
                .setDisableSSL(true));
    }

    private static Map<String, Object> call(UniversalApi api, String action, Map<String, Object> body) throws ApiException {
        return api.doCall(new UniversalRequest("emr", action, "2023-12-30", HttpMethod.POST, ContentType.ApplicationJSON), body);
    }

    private static JsonNode errorOf(ApiException e) throws Exception {
        return Json.plain().readTree(e.getResponseBody()).path("ResponseMetadata").path("Error");
    }

    @Test
    void listVirtualClustersAnswersTheEnvelope() throws Exception {
        Map<String, Object> reply = call(sdk(admin.accessKeyId(), admin.secretKey()), "ListVirtualClusters",
                Map.of("MaxResults", 5, "ClusterStates", new String[] {"running"}));

        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) reply.get("ResponseMetadata");
        assertThat(meta).containsEntry("Action", "ListVirtualClusters").containsEntry("Version", "2023-12-30")
                .containsEntry("Service", "emr").containsEntry("Region", "cn-beijing").doesNotContainKey("Error");
        assertThat((String) meta.get("RequestId")).matches("\\d{14}[0-9A-F]{20}");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) reply.get("Result");
        assertThat(result).containsKeys("Items", "TotalCount", "MaxResults", "NextToken");
        assertThat(((Number) result.get("TotalCount")).longValue()).isZero();
        assertThat(((Number) result.get("MaxResults")).intValue()).isEqualTo(5);
    }

    @Test
    void aWrongSecretIsSignatureDoesNotMatch() throws Exception {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> call(sdk(admin.accessKeyId(), admin.secretKey() + "x"), "ListVirtualClusters", Map.of()));
        assertThat(e.getCode()).isEqualTo(401);
        assertThat(errorOf(e).path("Code").asText()).isEqualTo("SignatureDoesNotMatch");
        assertThat(errorOf(e).path("CodeN").asInt()).isEqualTo(100010);
        assertThat(e.getResponseBody()).doesNotContain(admin.secretKey());
    }

    @Test
    void anUnknownAccessKeyIsInvalidAccessKey() throws Exception {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> call(sdk("AKLTNOBODY0000000000", "whatever"), "ListVirtualClusters", Map.of()));
        assertThat(e.getCode()).isEqualTo(401);
        assertThat(errorOf(e).path("Code").asText()).isEqualTo("InvalidAccessKey");
    }

    @Test
    void anUnknownActionIsInvalidActionOrVersion() throws Exception {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> call(sdk(admin.accessKeyId(), admin.secretKey()), "DescribeEverything", Map.of()));
        assertThat(e.getCode()).isEqualTo(404);
        assertThat(errorOf(e).path("Code").asText()).isEqualTo("InvalidActionOrVersion");
        assertThat(errorOf(e).path("Message").asText()).contains("DescribeEverything");
    }

    @Test
    void aMissingOperationIdIsMissingParameter() throws Exception {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> call(sdk(admin.accessKeyId(), admin.secretKey()), "GetOperation", Map.of()));
        assertThat(e.getCode()).isEqualTo(400);
        assertThat(errorOf(e).path("Code").asText()).isEqualTo("MissingParameter");
        assertThat(errorOf(e).path("Message").asText()).contains("OperationId");
    }

    @Test
    void anUnknownClusterIsNotFoundCluster() throws Exception {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> call(sdk(admin.accessKeyId(), admin.secretKey()), "GetVirtualCluster",
                        Map.of("ClusterId", "emr-abcdefghij0123456789")));
        assertThat(e.getCode()).isEqualTo(404);
        assertThat(errorOf(e).path("Code").asText()).isEqualTo("NotFound.Cluster");
        assertThat(errorOf(e).path("Message").asText()).contains("emr-abcdefghij0123456789");
    }

    @Test
    void aReadonlyKeyReadsButCannotMutate() throws Exception {
        Credential reader = server.credential(7001, "rita", Role.READONLY);
        UniversalApi api = sdk(reader.accessKeyId(), reader.secretKey());

        assertThat(call(api, "ListOperations", Map.of())).containsKey("Result");
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> call(api, "CancelOperation", Map.of("OperationId", "op-abcdefghij0123456789")));
        assertThat(e.getCode()).isEqualTo(403);
        assertThat(errorOf(e).path("Code").asText()).isEqualTo("AccessDenied");
    }

    @Test
    void aDisabledKeyIsRefused() throws Exception {
        Credential gone = server.credential(7001, "gone", Role.ADMIN);
        UniversalApi api = sdk(gone.accessKeyId(), gone.secretKey());
        assertThat(call(api, "ListVirtualClusters", Map.of())).containsKey("Result");

        server.plane().credentials().disable(gone.accessKeyId());

        ApiException e = catchThrowableOfType(ApiException.class, () -> call(api, "ListVirtualClusters", Map.of()));
        assertThat(e.getCode()).isEqualTo(401);
        assertThat(errorOf(e).path("Code").asText()).isEqualTo("InvalidAccessKey");
    }
}
