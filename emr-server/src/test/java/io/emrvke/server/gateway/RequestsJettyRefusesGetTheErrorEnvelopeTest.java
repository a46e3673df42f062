package io.emrvke.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests Jetty refuses before the gateway sees them (oversized headers, an oversized request
 * line, bytes that are not HTTP) still get the API's JSON error envelope with a RequestId, and
 * the server keeps answering afterwards.
 */
class RequestsJettyRefusesGetTheErrorEnvelopeTest {
    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        gw = new GatewayHarness();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void oversizedHeadersAre431WithTheEnvelope() {
        RawHttp.Request request = gw.admin().post("Echo", "{}").with("X-Padding", "a".repeat(64 * 1024));

        RawHttp.Response r = gw.send(request);

        assertEnvelope(r, 431, "InvalidParameter");
        assertThat(r.errorMessage()).contains("Header Fields Too Large").contains("smaller headers");
        assertStillServing();
    }

    @Test
    void anOversizedRequestLineIs414WithTheEnvelope() {
        RawHttp.Request request = new RawHttp.Request("GET", "/?Action=Echo&Version=2023-12-30&Pad="
                + "a".repeat(128 * 1024), List.of(Map.entry("Host", gw.host())), new byte[0]);

        RawHttp.Response r = gw.send(request);

        assertThat(r.status()).as(r.toString()).isIn(414, 431);
        assertEnvelope(r, r.status(), "InvalidParameter");
        assertStillServing();
    }

    @Test
    void bytesThatAreNotHttpGet400WithTheEnvelope() {
        RawHttp.Response r = RawHttp.sendRaw("127.0.0.1", gw.port(), "GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertEnvelope(r, 400, "InvalidParameter");
        assertThat(r.errorMessage()).startsWith("The request was refused before it reached the API");
        assertStillServing();
    }

    private static void assertEnvelope(RawHttp.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).matches("(?i)application/json; ?charset=utf-8");
        assertThat(r.errorCode()).as(r.toString()).isEqualTo(code);
        String requestId = r.json().path("ResponseMetadata").path("RequestId").asText();
        assertThat(requestId).matches("\\d{14}[0-9A-F]{20}");
        assertThat(r.header("X-Request-Id")).isEqualTo(requestId);
        assertThat(r.text()).doesNotContain("<html");
    }

    private static void assertStillServing() {
        assertThat(gw.send(gw.admin().post("Echo", "{}")).status()).isEqualTo(200);
    }
}
