package io.emrvke.server.gateway;

import static io.emrvke.server.gateway.TestSigner.query;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class GatewayEnvelopeTest {
    private static final String REQUEST_ID = "\\d{14}[0-9A-F]{20}";
    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        gw = new GatewayHarness();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static JsonNode meta(RawHttp.Response r) {
        return r.json().path("ResponseMetadata");
    }

    private static void assertError(RawHttp.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.errorCode()).as(r.toString()).isEqualTo(code);
        assertThat(r.errorMessage()).isNotBlank();
        assertThat(r.json().has("Result")).isFalse();
        assertThat(r.header("Content-Type")).matches("(?i)application/json; ?charset=utf-8");
        assertThat(meta(r).path("RequestId").asText()).matches(REQUEST_ID);
        assertThat(r.header("X-Request-Id")).isEqualTo(meta(r).path("RequestId").asText());
    }

    @Test
    void successHasTheFullEnvelopeAndRequestIdHeader() {
        RawHttp.Response r = gw.send(gw.admin().post("Echo", "{\"A\":\"b\"}"));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Content-Type")).matches("(?i)application/json; ?charset=utf-8");
        JsonNode meta = meta(r);
        assertThat(meta.path("RequestId").asText()).matches(REQUEST_ID);
        assertThat(r.header("X-Request-Id")).isEqualTo(meta.path("RequestId").asText());
        assertThat(meta.path("Action").asText()).isEqualTo("Echo");
        assertThat(meta.path("Version").asText()).isEqualTo("2023-12-30");
        assertThat(meta.path("Service").asText()).isEqualTo("emr");
        assertThat(meta.path("Region").asText()).isEqualTo("cn-beijing");
        assertThat(meta.has("Error")).isFalse();
        assertThat(r.json().path("Result").path("Params")).isEqualTo(Json.plain().createObjectNode().put("A", "b"));
        assertThat(r.json().path("Result").path("RequestId").asText()).isEqualTo(meta.path("RequestId").asText());
    }

    @Test
    void requestIdsAreUniqueAcrossSuccessesAndErrors() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 150; i++) {
            RawHttp.Response r = gw.send(i % 2 == 0 ? gw.admin().post("Echo", "{}") : gw.admin().post("Nope", "{}"));
            assertThat(ids.add(meta(r).path("RequestId").asText())).isTrue();
        }
        assertThat(ids).hasSize(150).allMatch(id -> id.matches(REQUEST_ID));
    }

    @Test
    void unknownPathIs404NotFoundNamingThePath() {
        RawHttp.Request req = gw.admin().post("Echo", "{}");
        RawHttp.Response r = gw.send(new RawHttp.Request("POST", "/v1/clusters?Action=Echo", req.headers(), req.body()));
        assertError(r, 404, "NotFound");
        assertThat(r.errorMessage()).contains("/v1/clusters");
        assertThat(meta(r).path("Region").asText()).isEqualTo("cn-beijing");
        assertThat(meta(r).path("Error").has("CodeN")).isFalse();
    }

    @Test
    void otherMethodsAre405() {
        RawHttp.Request req = gw.admin().post("Echo", "{}");
        assertError(gw.send(new RawHttp.Request("PUT", req.target(), req.headers(), req.body())), 405,
                "MethodNotAllowed");
        assertError(gw.send(new RawHttp.Request("DELETE", req.target(), req.headers(), req.body())), 405,
                "MethodNotAllowed");
    }

    @Test
    void unknownActionOrVersionIs404WithTheDocumentedMessage() {
        RawHttp.Response r = gw.send(gw.admin().post("DescribeEverything", "{}"));
        assertError(r, 404, "InvalidActionOrVersion");
        assertThat(meta(r).path("Error").path("CodeN").asInt()).isEqualTo(100008);
        assertThat(r.errorMessage()).isEqualTo("Could not find operation DescribeEverything for version 2023-12-30.");

        RawHttp.Response oldVersion = gw.send(gw.admin().sign(TestSigner.Style.SDK, Instant.now(), "POST",
                query("Action", "Echo", "Version", "2020-01-01"), "{}".getBytes(StandardCharsets.UTF_8), null));
        assertError(oldVersion, 404, "InvalidActionOrVersion");
        assertThat(oldVersion.errorMessage()).isEqualTo("Could not find operation Echo for version 2020-01-01.");
    }

    @Test
    void missingActionOrVersionIs400MissingParameterNamingIt() {
        RawHttp.Response noAction = gw.send(gw.admin().sign(TestSigner.Style.SDK, Instant.now(), "POST",
                query("Version", "2023-12-30"), new byte[0], null));
        assertError(noAction, 400, "MissingParameter");
        assertThat(noAction.errorMessage()).contains("Action");

        RawHttp.Response noVersion = gw.send(gw.admin().sign(TestSigner.Style.SDK, Instant.now(), "POST",
                query("Action", "Echo"), new byte[0], null));
        assertError(noVersion, 400, "MissingParameter");
        assertThat(noVersion.errorMessage()).contains("Version");
    }

    @Test
    void readonlyCallerIsRefusedMutatingActionsButMayRead() {
        RawHttp.Response refused = gw.send(gw.reader().post("ProbeChange", "{\"Name\":\"x\"}"));
        assertError(refused, 403, "AccessDenied");
        assertThat(refused.errorMessage()).contains("ProbeChange").contains("readonly");

        assertThat(gw.send(gw.reader().post("Probe", "{\"Name\":\"x\"}")).status()).isEqualTo(200);
        assertThat(gw.send(gw.admin().post("ProbeChange", "{\"Name\":\"x\"}")).status()).isEqualTo(200);
    }

    @Test
    void getOfAMutatingActionSaysToUsePost() {
        RawHttp.Response r = gw.send(gw.admin().get("ProbeChange", "Name", "x"));
        assertError(r, 400, "InvalidParameter");
        assertThat(r.errorMessage()).contains("POST");
    }

    @Test
    void getFormArraysAndNestedObjectsReachTheHandlerAsJson() throws Exception {
        RawHttp.Response r = gw.send(gw.admin().get("Echo",
                "Tags.1", "a", "Tags.2", "b c+d",
                "Components.1.ApplicationName", "Spark",
                "Components.1.ComponentNames.1", "SparkOperator",
                "Components.1.ComponentNames.2", "SparkHistoryServer",
                "Components.2.ApplicationName", "Ray",
                "VkeCluster.VkeClusterId", "sandbox",
                "Name", "日本"));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode expected = Json.plain().readTree("""
                {"Tags":["a","b c+d"],
                 "Components":[{"ApplicationName":"Spark","ComponentNames":["SparkOperator","SparkHistoryServer"]},
                               {"ApplicationName":"Ray"}],
                 "VkeCluster":{"VkeClusterId":"sandbox"},
                 "Name":"日本"}""");
        assertThat(r.json().path("Result").path("Params")).isEqualTo(expected);
    }

    @Test
    void getFormWithAGapInAListIsInvalidParameterNamingIt() {
        RawHttp.Response r = gw.send(gw.admin().get("Echo", "Tags.1", "a", "Tags.3", "c"));
        assertError(r, 400, "InvalidParameter");
        assertThat(r.errorMessage()).contains("Tags.3").contains("Tags.2");
    }

    @Test
    void numbersAsStringsAreToleratedThroughParams() {
        RawHttp.Response post = gw.send(gw.admin().post("GetOperation", "{\"OperationId\":\"op-1\",\"MaxResults\":\"20\"}"));
        assertThat(post.status()).as(post.toString()).isEqualTo(200);
        assertThat(post.json().path("Result").path("MaxResults").asInt()).isEqualTo(20);

        RawHttp.Response get = gw.send(gw.admin().get("GetOperation", "OperationId", "op-1", "MaxResults", "30"));
        assertThat(get.json().path("Result").path("MaxResults").asInt()).isEqualTo(30);

        RawHttp.Response bad = gw.send(gw.admin().post("GetOperation", "{\"OperationId\":\"op-1\",\"MaxResults\":\"many\"}"));
        assertError(bad, 400, "InvalidParameter");
        assertThat(bad.errorMessage()).contains("MaxResults");
    }

    @Test
    void emptyPostBodyMeansAnEmptyObjectAndFormBodiesAreRead() {
        RawHttp.Response empty = gw.send(gw.admin().post("Echo", ""));
        assertThat(empty.json().path("Result").path("Params")).isEqualTo(Json.plain().createObjectNode());

        RawHttp.Response form = gw.send(gw.admin().sign(TestSigner.Style.PYTHON, Instant.now(), "POST",
                query("Action", "Echo", "Version", "2023-12-30"),
                "Name=a+b&Tags.1=x%2Fy".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"));
        assertThat(form.status()).as(form.toString()).isEqualTo(200);
        assertThat(form.json().path("Result").path("Params").path("Name").asText()).isEqualTo("a b");
        assertThat(form.json().path("Result").path("Params").path("Tags").get(0).asText()).isEqualTo("x/y");
    }

    @Test
    void malformedJsonSaysWhereAndNeverEchoesAStack() {
        RawHttp.Response r = gw.send(gw.admin().post("Echo", "{\n  \"A\": tru }"));
        assertError(r, 400, "InvalidParameter");
        assertThat(r.errorMessage()).contains("not valid JSON").contains("line 2");
        assertThat(r.text()).doesNotContain("at com.fasterxml").doesNotContain("Exception");

        assertError(gw.send(gw.admin().post("Echo", "[1,2]")), 400, "InvalidParameter");
        assertError(gw.send(gw.admin().post("Echo", "{\"A\":1,\"A\":2}")), 400, "InvalidParameter");
    }

    @Test
    void invalidUtf8BodyIsInvalidParameter() {
        byte[] body = {'{', '"', 'A', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        RawHttp.Response r = gw.send(gw.admin().sign(TestSigner.Style.SDK, Instant.now(), "POST",
                query("Action", "Echo", "Version", "2023-12-30"), body, "application/json"));
        assertError(r, 400, "InvalidParameter");
        assertThat(r.errorMessage()).contains("UTF-8");
    }

    @Test
    void badQueryEscapesAreInvalidParameter() {
        RawHttp.Request ok = gw.admin().post("Echo", "{}");
        RawHttp.Response r = gw.send(new RawHttp.Request("POST", "/?Action=Echo&Version=2023-12-30&X=%zz",
                ok.headers(), ok.body()));
        assertError(r, 400, "InvalidParameter");
        assertThat(r.errorMessage()).contains("%zz");
    }

    @Test
    void bodyOverTheLimitIs413WhetherDeclaredOrChunked() {
        byte[] big = new byte[(1 << 20) + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        RawHttp.Response declared = gw.send(gw.admin().sign(TestSigner.Style.SDK, Instant.now(), "POST",
                query("Action", "Echo", "Version", "2023-12-30"), big, "application/json"));
        assertError(declared, 413, "RequestEntityTooLarge");

        RawHttp.Request chunked = gw.admin().post("Echo", "{}").withBody(big).chunked();
        assertError(gw.send(chunked), 413, "RequestEntityTooLarge");
    }

    @Test
    void handlerBugIs500WithAGenericMessageAndNoStack() {
        RawHttp.Response r = gw.send(gw.admin().post("Explode", "{}"));
        assertError(r, 500, "InternalError");
        assertThat(meta(r).path("Error").path("CodeN").asInt()).isEqualTo(100014);
        assertThat(r.text()).doesNotContain("ops_secret").doesNotContain("IllegalStateException")
                .doesNotContain("at io.emrvke");
    }

    @Test
    void unreachableDatabaseIs503() {
        RawHttp.Response r = gw.send(gw.admin().post("DbDown", "{}"));
        assertError(r, 503, "ServiceUnavailableTemp");
        assertThat(r.text()).doesNotContain("db.internal");
    }

    @Test
    void errorRegionIsTheCredentialScopeRegion() {
        TestSigner shanghai = new TestSigner(GatewayHarness.ADMIN_AK, "wrong-secret", "cn-shanghai", gw.host());
        RawHttp.Response r = gw.send(shanghai.post("Echo", "{}"));
        assertError(r, 401, "SignatureDoesNotMatch");
        assertThat(meta(r).path("Region").asText()).isEqualTo("cn-shanghai");
    }

    @Test
    void probesAnswerAndReadinessFollowsAccepting() {
        RawHttp.Request health = new RawHttp.Request("GET", "/healthz",
                List.of(java.util.Map.entry("Host", gw.host()), java.util.Map.entry("Connection", "close")), new byte[0]);
        RawHttp.Request ready = new RawHttp.Request("GET", "/readyz", health.headers(), new byte[0]);
        assertThat(gw.send(health).status()).isEqualTo(200);
        assertThat(gw.send(ready).status()).isEqualTo(200);
        try {
            gw.server.setAccepting(false);
            assertThat(gw.send(ready).status()).isEqualTo(503);
            assertThat(gw.send(health).status()).isEqualTo(200);
            assertError(gw.send(gw.admin().post("Echo", "{}")), 503, "ServiceUnavailableTemp");
        } finally {
            gw.server.setAccepting(true);
        }
        assertThat(gw.send(gw.admin().post("Echo", "{}")).status()).isEqualTo(200);
    }

    @Test
    void readinessListsEveryCheckAndFailsWhenOneFails() {
        GatewayServer server = new GatewayServer(GatewayConfig.defaults("127.0.0.1", 0), ak -> java.util.Optional.empty(),
                List.of(), Readiness.of(java.util.Map.of("database", () -> "cannot connect"))).start();
        try {
            RawHttp.Response r = RawHttp.send("127.0.0.1", server.port(), new RawHttp.Request("GET", "/readyz",
                    List.of(java.util.Map.entry("Host", "x"), java.util.Map.entry("Connection", "close")), new byte[0]));
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.text()).contains("gateway: ok").contains("database: cannot connect");
        } finally {
            server.stop();
        }
    }

    @Test
    void accessLogHasOneLinePerRequestWithoutSecretsOrBodies() throws InterruptedException {
        Logger access = (Logger) LoggerFactory.getLogger("emr-vke.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        try {
            RawHttp.Response ok = gw.send(gw.admin().post("Echo", "{\"Password\":\"hunter2\"}"));
            RawHttp.Response bad = gw.send(gw.admin().post("Nope", "{}"));
            // the line is written just after the answer is flushed
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (lines.list.size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            Thread.sleep(50); // a third line would be a bug: give it the chance to show
            List<String> msgs = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(msgs).hasSize(2);
            // each line is written after its answer is flushed, so the two may arrive in either order
            String okLine = lineOf(msgs, meta(ok).path("RequestId").asText());
            String badLine = lineOf(msgs, meta(bad).path("RequestId").asText());
            assertThat(okLine).contains(GatewayHarness.ADMIN_AK).contains("action=Echo").contains("status=200")
                    .contains("latencyMs=");
            assertThat(badLine).contains("status=404").contains("error=InvalidActionOrVersion");
            assertThat(String.join("\n", msgs)).doesNotContain("hunter2").doesNotContain(GatewayHarness.ADMIN_SK);
        } finally {
            access.detachAppender(lines);
        }
    }

    @Test
    void stopLetsInFlightRequestsFinishWhileNewOnesGet503() throws Exception {
        GatewayHarness own = new GatewayHarness();
        try {
            CompletableFuture<RawHttp.Response> slow = CompletableFuture.supplyAsync(
                    () -> own.send(own.admin().post("Slow", "{}")));
            own.slowEntered.await();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(own.server::stop);
            while (own.server.isAccepting()) {
                Thread.sleep(1);
            }
            assertError(own.send(own.admin().post("Echo", "{}")), 503, "ServiceUnavailableTemp");
            assertThat(stopping).isNotDone();

            own.slowRelease.countDown();
            assertThat(slow.get().status()).isEqualTo(200);
            stopping.get();
        } finally {
            own.close();
        }
    }

    private static String lineOf(List<String> lines, String requestId) {
        return lines.stream().filter(l -> l.contains(requestId)).findFirst()
                .orElseThrow(() -> new AssertionError("no access-log line for " + requestId + " in " + lines));
    }
}
