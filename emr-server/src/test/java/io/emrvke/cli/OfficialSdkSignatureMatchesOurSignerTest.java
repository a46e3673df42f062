package io.emrvke.cli;

import io.emrvke.api.client.SignatureCheckingServer;
import io.emrvke.api.client.SignatureCheckingServer.Received;
import io.emrvke.api.client.SignatureCheckingServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.volcengine.ApiClient;
import com.volcengine.ApiException;
import com.volcengine.ContentType;
import com.volcengine.HttpMethod;
import com.volcengine.UniversalApi;
import com.volcengine.UniversalRequest;
import com.volcengine.sign.Credentials;
import io.emrvke.api.Json;
import io.emrvke.api.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official Volcengine Java SDK (0.1.150) signs a request; our {@link Signer}, run by a JDK
 * HTTP server over exactly what arrived, must compute the same signature.
 */
class OfficialSdkSignatureMatchesOurSignerTest {
    private static final String AK = "AKLTsdkTest";
    private static final String SK = "c2RrLXNlY3JldC1rZXktZm9yLXRlc3Rz";

    private SignatureCheckingServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private UniversalApi sdk(String secretKey) {
        return new UniversalApi(new ApiClient()
                .setCredentials(Credentials.getCredentials(AK, secretKey))
                .setRegion("cn-beijing")
                .setEndpoint(server.endpoint())
                .setDisableSSL(true));
    }

    private static UniversalRequest emr(String action) {
        return new UniversalRequest("emr", action, "2023-12-30", HttpMethod.POST, ContentType.ApplicationJSON);
    }

    @Test
    void sdkSignatureOverABodyWithEscapedAndNonAsciiCharactersMatchesOurs() throws ApiException {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{\"ClusterId\":\"emr-sdk\"}"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ClusterName", "a=b&c<d>'e");
        body.put("Note", "数据 ü");
        body.put("VkeCluster", Map.of("VkeClusterId", "sandbox=1"));
        body.put("MaxResults", 10);

        Map<String, Object> reply = sdk(SK).doCall(emr("CreateVirtualCluster"), body);

        Received received = server.last();
        String rawBody = new String(received.body(), StandardCharsets.UTF_8);
        assertThat(rawBody).as("Gson escapes '=' so the raw bytes differ from a re-serialisation")
                .contains("\\u003d").contains("数据");
        assertThat(received.signatureMatches())
                .as("our signature %s vs SDK's %s over SignedHeaders %s", received.expectedSignature(),
                        received.givenSignature(), received.signedHeaders())
                .isTrue();
        assertThat(received.accessKey()).isEqualTo(AK);
        assertThat(received.service()).isEqualTo("emr");
        assertThat(received.region()).isEqualTo("cn-beijing");
        assertThat(received.rawQuery()).contains("Action=CreateVirtualCluster").contains("Version=2023-12-30");
        assertThat(reply).containsKey("Result");
    }

    @Test
    void hashingAReserialisedBodyInsteadOfTheRawBytesWouldNotMatch() throws Exception {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{}"));

        sdk(SK).doCall(emr("ListVirtualClusters"), new LinkedHashMap<>(Map.of("ClusterName", "x=y")));

        byte[] raw = server.last().body();
        byte[] reserialised = Json.plain().writeValueAsBytes(Json.plain().readTree(raw));
        assertThat(Signer.sha256Hex(reserialised)).isNotEqualTo(Signer.sha256Hex(raw));
        assertThat(server.last().signatureMatches()).isTrue();
    }

    @Test
    void sdkSignsOnlyTheDateAndSendsNoBodyHash() throws ApiException {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{}"));

        sdk(SK).doCall(emr("ListReleaseVersions"), new LinkedHashMap<>());

        Received received = server.last();
        assertThat(received.signedHeaders()).isEqualTo(List.of("x-date"));
        assertThat(received.header("x-content-sha256")).isNull();
        assertThat(received.header("content-type")).startsWith("application/json");
        assertThat(received.signatureMatches()).isTrue();
    }

    @Test
    void anSdkUsingAnotherSecretIsRejected() {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{}"));

        assertThatThrownBy(() -> sdk("another-secret").doCall(emr("ListReleaseVersions"), new LinkedHashMap<>()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(401);
                    assertThat(e.getResponseBody()).contains("SignatureDoesNotMatch");
                });
        assertThat(server.last().signatureMatches()).isFalse();
    }
}
