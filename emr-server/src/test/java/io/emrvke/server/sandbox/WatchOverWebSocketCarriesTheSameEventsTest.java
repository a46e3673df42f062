package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A watch over a WebSocket (fabric8's client's first choice) carries the events a chunked one carries. */
class WatchOverWebSocketCarriesTheSameEventsTest {
    private static final String CMS = "/api/v1/namespaces/default/configmaps";

    @Test
    void webSocketAndChunkedWatchesSeeTheSameEventsInTheSameOrder() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            String rv = api.get(CMS).json().path("metadata").path("resourceVersion").asText();
            try (SandboxHttp.Stream ws = api.webSocket(CMS + "?watch=true&resourceVersion=" + rv);
                 SandboxHttp.Stream http = api.stream(CMS + "?watch=true&resourceVersion=" + rv)) {
                api.post(CMS, "{\"metadata\":{\"name\":\"a\"}}");
                api.put(CMS + "/a", "{\"metadata\":{\"name\":\"a\"},\"data\":{\"x\":\"1\"}}");
                api.delete(CMS + "/a");
                List<JsonNode> overWebSocket = ws.take(3, Duration.ofSeconds(5));
                List<JsonNode> overHttp = http.take(3, Duration.ofSeconds(5));
                assertThat(overWebSocket).extracting(e -> e.path("type").asText())
                        .containsExactly("ADDED", "MODIFIED", "DELETED");
                assertThat(overWebSocket).isEqualTo(overHttp);
            }
            assertThat(new SandboxHttp(sandbox, null).get(CMS + "?watch=true").code())
                    .as("a watch needs the token too").isEqualTo(401);
        }
    }
}
