package io.emrvke.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.ErrorCode;
import io.emrvke.api.Json;
import io.emrvke.api.client.SignatureCheckingServer.Reply;
import io.emrvke.api.signing.Signer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmrClientSignsRequestsTheServerCanVerifyTest {
    private static final String AK = "AKLTclientTest";
    private static final String SK = "c2VjcmV0LWtleS1mb3ItdGVzdHM=";

    private SignatureCheckingServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private EmrClient.Builder client() {
        return EmrClient.builder().endpoint(server.endpoint()).credentials(AK, SK);
    }

    @Test
    void defaultStyleSignsContentTypeHostBodyHashAndDateAndSendsTheBodyHash() {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{\"ClusterId\":\"emr-abc\"}"));

        JsonNode reply = client().build().call("GetVirtualCluster", Map.of("ClusterId", "emr-abc"));

        SignatureCheckingServer.Received received = server.last();
        assertThat(received.signatureMatches()).as("server-side recomputed signature").isTrue();
        assertThat(received.signedHeaders()).containsExactly("content-type", "host", "x-content-sha256", "x-date");
        assertThat(received.header("x-content-sha256")).isEqualTo(Signer.sha256Hex(received.body()));
        assertThat(received.header("host")).isEqualTo("127.0.0.1:" + server.port());
        assertThat(received.header("content-type")).isEqualTo("application/json");
        assertThat(received.method()).isEqualTo("POST");
        assertThat(new String(received.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ClusterId\":\"emr-abc\"}");
        assertThat(received.accessKey()).isEqualTo(AK);
        assertThat(received.region()).isEqualTo("cn-beijing");
        assertThat(received.service()).isEqualTo("emr");
        assertThat(reply.path("Result").path("ClusterId").asText()).isEqualTo("emr-abc");
        assertThat(reply.path("ResponseMetadata").path("RequestId").asText()).isNotEmpty();
    }

    @Test
    void javaSdkStyleSignsOnlyTheDateAndSendsNoBodyHash() {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{}"));

        client().signedHeaders(SignedHeaders.X_DATE_ONLY).region("cn-shanghai").build()
                .call("ListVirtualClusters", Json.plain().createObjectNode().put("MaxResults", 5));

        SignatureCheckingServer.Received received = server.last();
        assertThat(received.signatureMatches()).isTrue();
        assertThat(received.signedHeaders()).containsExactly("x-date");
        assertThat(received.header("x-content-sha256")).isNull();
        assertThat(received.region()).isEqualTo("cn-shanghai");
        assertThat(new String(received.body(), StandardCharsets.UTF_8)).isEqualTo("{\"MaxResults\":5}");
    }

    @Test
    void aClientWithTheWrongSecretIsRejectedByTheVerifyingServer() {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{}"));
        EmrClient wrongSecret = client().secretKey("not-the-secret").build();

        assertThatThrownBy(() -> wrongSecret.call("GetOperation"))
                .isInstanceOfSatisfying(EmrApiException.class,
                        e -> assertThat(e.code()).isEqualTo("SignatureDoesNotMatch"));
        assertThat(server.last().signatureMatches()).isFalse();
    }

    @Test
    void actionAndVersionAreRfc3986EncodedInTheQueryAndSignedThatWay() {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{}"));

        client().version("2023-12-30 beta/1").build().call("Odd Action&X=1+ü~");

        SignatureCheckingServer.Received received = server.last();
        assertThat(received.signatureMatches()).isTrue();
        assertThat(received.rawQuery())
                .isEqualTo("Action=Odd%20Action%26X%3D1%2B%C3%BC~&Version=2023-12-30%20beta%2F1");
        assertThat(received.queryValue("Action")).isEqualTo("Odd Action&X=1+ü~");
        assertThat(received.queryValue("Version")).isEqualTo("2023-12-30 beta/1");
    }

    @Test
    void theQueryIsExactlyActionThenVersionForOrdinaryNames() {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{}"));

        client().build().call("GetVirtualCluster", "{\"ClusterId\":\"emr-1\"}");

        assertThat(server.last().rawQuery()).isEqualTo("Action=GetVirtualCluster&Version=2023-12-30");
    }

    @Test
    void aStringBodyIsSentByteForByteAndItsRawBytesAreSigned() {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{}"));
        String body = "{\"ClusterName\":\"a\\u003db&c<d>\",\"Note\":\"数据 ü = & <\"}";

        client().build().call("CreateVirtualCluster", body);

        SignatureCheckingServer.Received received = server.last();
        assertThat(received.signatureMatches()).isTrue();
        assertThat(received.body()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
        assertThat(received.header("x-content-sha256")).isEqualTo(Signer.sha256Hex(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void noBodyIsSentAsAnEmptyJsonObject() {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{}"));

        client().build().call("ListReleaseVersions");
        client().build().call("ListReleaseVersions", (String) null);

        assertThat(server.received()).allSatisfy(r -> {
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
            assertThat(r.signatureMatches()).isTrue();
        });
    }

    @Test
    void xDateComesFromTheConfiguredClock() {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{}"));
        Clock fixed = Clock.fixed(Instant.parse("2024-03-21T08:18:05Z"), ZoneOffset.UTC);

        client().clock(fixed).build().call("GetOperation");

        assertThat(server.last().header("x-date")).isEqualTo("20240321T081805Z");
        assertThat(server.last().signatureMatches()).isTrue();
    }

    @Test
    void javaSdkStyleReproducesTheSpecsEmrVectorA() {
        server = SignatureCheckingServer.start("exampleSecretKey", r -> Reply.ok("{}"));
        Clock vectorTime = Clock.fixed(Instant.parse("2024-03-21T08:18:05Z"), ZoneOffset.UTC);

        EmrClient.builder().endpoint(server.endpoint()).credentials("AKLTexampleAK", "exampleSecretKey")
                .signedHeaders(SignedHeaders.X_DATE_ONLY).clock(vectorTime).build()
                .call("GetVirtualCluster", "{\"ClusterId\":\"emr-xxx\"}");

        assertThat(server.last().header("authorization")).isEqualTo("HMAC-SHA256 "
                + "Credential=AKLTexampleAK/20240321/cn-beijing/emr/request, SignedHeaders=x-date, "
                + "Signature=594d14bc4b13ccdf0d6f575f11e691957069d931264b31de6f48522a57915de1");
    }

    @Test
    void anErrorEnvelopeBecomesAnEmrApiExceptionWithEveryField() {
        server = SignatureCheckingServer.start(SK, r -> Reply.error(404, "NotFound.Cluster", null,
                "ClusterId 'emr-nope' does not exist", "20260101000000AAAAAAAAAAAAAAAAAAAA"));

        assertThatThrownBy(() -> client().build().call("GetVirtualCluster", Map.of("ClusterId", "emr-nope")))
                .isInstanceOfSatisfying(EmrApiException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("NotFound.Cluster");
                    assertThat(e.codeN()).isNull();
                    assertThat(e.apiMessage()).isEqualTo("ClusterId 'emr-nope' does not exist");
                    assertThat(e.requestId()).isEqualTo("20260101000000AAAAAAAAAAAAAAAAAAAA");
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_FOUND_CLUSTER);
                    assertThat(e.rawBody()).contains("\"Error\"").contains("emr-nope");
                    assertThat(e.summary()).isEqualTo(
                            "NotFound.Cluster: ClusterId 'emr-nope' does not exist (RequestId 20260101000000AAAAAAAAAAAAAAAAAAAA)");
                });
    }

    @Test
    void anErrorWithANumericCodeCarriesCodeN() {
        server = SignatureCheckingServer.start(SK, r -> Reply.error(429, "FlowLimitExceeded", 100018,
                "too many requests for access key AKLTclientTest", "20260101000000BBBBBBBBBBBBBBBBBBBB"));

        assertThatThrownBy(() -> client().build().call("GetOperation"))
                .isInstanceOfSatisfying(EmrApiException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(429);
                    assertThat(e.codeN()).isEqualTo(100018);
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.FLOW_LIMIT_EXCEEDED);
                });
    }

    @Test
    void callRawReturnsStatusAndBodyWithoutThrowing() {
        server = SignatureCheckingServer.start(SK, r -> Reply.error(400, "InvalidParameter", null, "bad", "R1"));

        RawResponse raw = client().build().callRaw("GetOperation", "{\"OperationId\":1}");

        assertThat(raw.status()).isEqualTo(400);
        assertThat(raw.isSuccess()).isFalse();
        assertThat(raw.body()).contains("InvalidParameter");
    }

    @Test
    void aReplyThatIsNotAnEnvelopeIsAClientErrorNamingTheEndpoint() {
        server = SignatureCheckingServer.start(SK, r -> new Reply(502, "<html>Bad Gateway</html>"));

        assertThatThrownBy(() -> client().build().call("GetOperation"))
                .isInstanceOf(EmrClientException.class)
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("http://127.0.0.1:" + server.port() + "/")
                .hasMessageContaining("Bad Gateway");
    }

    @Test
    void anUnreachableEndpointIsAClientErrorNamingTheEndpoint() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        EmrClient client = EmrClient.builder().endpoint("127.0.0.1:" + closedPort).credentials(AK, SK).build();

        assertThatThrownBy(() -> client.call("GetOperation"))
                .isInstanceOf(EmrClientException.class)
                .hasMessageContaining("cannot reach EMR endpoint http://127.0.0.1:" + closedPort + "/")
                .hasMessageContaining("ConnectException");
    }

    @Test
    void aFullHttpUrlWorksAsAnEndpoint() {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{}"));

        EmrClient client = client().endpoint("http://127.0.0.1:" + server.port() + "/").build();
        client.call("GetOperation");

        assertThat(client.endpoint().toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/");
        assertThat(server.last().signatureMatches()).isTrue();
    }

    @Test
    void endpointsWithAPathOrAnotherSchemeAreRefused() {
        assertThatThrownBy(() -> EmrClient.builder().endpoint("http://h:1/api").credentials(AK, SK).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("served at '/' only");
        assertThatThrownBy(() -> EmrClient.builder().endpoint("ftp://h:1").credentials(AK, SK).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http or https");
    }

    @Test
    void theHostHeaderLeavesOutTheSchemesDefaultPort() {
        assertThat(EmrClient.hostHeader(EmrClient.parseEndpoint("https://emr.example.com"))).isEqualTo("emr.example.com");
        assertThat(EmrClient.hostHeader(EmrClient.parseEndpoint("https://emr.example.com:443"))).isEqualTo("emr.example.com");
        assertThat(EmrClient.hostHeader(EmrClient.parseEndpoint("emr.example.com:80"))).isEqualTo("emr.example.com");
        assertThat(EmrClient.hostHeader(EmrClient.parseEndpoint("http://emr.example.com:443"))).isEqualTo("emr.example.com:443");
        assertThat(EmrClient.hostHeader(EmrClient.parseEndpoint("[::1]:8080"))).isEqualTo("[::1]:8080");
    }

    @Test
    void missingCredentialsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> EmrClient.builder().accessKey(AK).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secretKey");
        assertThatThrownBy(() -> EmrClient.builder().secretKey(SK).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accessKey");
    }

    @Test
    void theSecretKeyDoesNotAppearInToString() {
        assertThat(EmrClient.builder().credentials(AK, SK).build().toString()).doesNotContain(SK).contains(AK);
    }

    @Test
    void oneClientServesConcurrentCallersWithValidSignatures() throws Exception {
        server = SignatureCheckingServer.start(SK, r -> Reply.ok("{\"Echo\":" + new String(r.body(), StandardCharsets.UTF_8) + "}"));
        EmrClient client = client().build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<JsonNode>> replies = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                replies.add(pool.submit(() -> client.call("GetOperation", Map.of("N", n))));
            }
            for (int i = 0; i < replies.size(); i++) {
                assertThat(replies.get(i).get().path("Result").path("Echo").path("N").asInt()).isEqualTo(i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.received()).hasSize(64).allSatisfy(r -> assertThat(r.signatureMatches()).isTrue());
    }
}
