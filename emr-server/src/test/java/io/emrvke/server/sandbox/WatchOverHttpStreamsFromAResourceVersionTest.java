package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watches over plain chunked HTTP (what kubectl get -w, rollout status and wait use): from a
 * resourceVersion they carry only later changes; without one, the current objects first and a bookmark
 * marking their end; timeoutSeconds ends them; a version from before a restart is 410 Expired.
 */
class WatchOverHttpStreamsFromAResourceVersionTest {
    private static final String CMS = "/api/v1/namespaces/default/configmaps";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private static String cm(String name) {
        return "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"w\"}},\"data\":{\"k\":\"1\"}}";
    }

    private static String rv(SandboxHttp.Answer a) {
        return a.json().path("metadata").path("resourceVersion").asText();
    }

    @Test
    void aWatchFromAResourceVersionCarriesOnlyTheChangesAfterItThenEndsAtItsTimeout() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            String afterA = rv(api.post(CMS, cm("a")));
            api.post(CMS, cm("b"));
            try (SandboxHttp.Stream w = api.stream(CMS + "?watch=true&resourceVersion=" + afterA + "&timeoutSeconds=3")) {
                assertThat(w.code).isEqualTo(200);
                api.patch(CMS + "/b", "application/merge-patch+json", "{\"data\":{\"k\":\"2\"}}");
                api.delete(CMS + "/a");
                List<JsonNode> events = w.take(3, WAIT);
                assertThat(events).extracting(e -> e.path("type").asText() + " " + e.path("object").path("metadata")
                        .path("name").asText()).containsExactly("ADDED b", "MODIFIED b", "DELETED a");
                assertThat(events.get(1).path("object").path("data").path("k").asText()).isEqualTo("2");
                long first = Long.parseLong(events.get(0).path("object").path("metadata").path("resourceVersion").asText());
                assertThat(first).isGreaterThan(Long.parseLong(afterA));
                assertThat(w.endsWithin(Duration.ofSeconds(6))).as("timeoutSeconds=3 ends the stream").isTrue();
            }
        }
    }

    @Test
    void aWatchWithoutAResourceVersionStartsWithTheObjectsAndABookmarkAndFollowsItsSelector() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            api.post(CMS, cm("a"));
            api.post(CMS, "{\"metadata\":{\"name\":\"other\"}}");
            try (SandboxHttp.Stream w = api.stream(CMS + "?watch=1&allowWatchBookmarks=true&labelSelector=app%3Dw")) {
                List<JsonNode> first = w.take(2, WAIT);
                assertThat(first).extracting(e -> e.path("type").asText()).containsExactly("ADDED", "BOOKMARK");
                assertThat(first.get(0).path("object").path("metadata").path("name").asText()).isEqualTo("a");
                assertThat(first.get(1).path("object").path("metadata").path("annotations")
                        .path("k8s.io/initial-events-end").asText()).isEqualTo("true");

                // leaving the selection is a DELETED for this watch, entering it an ADDED
                api.patch(CMS + "/a", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"app\":null}}}");
                api.patch(CMS + "/other", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"app\":\"w\"}}}");
                List<JsonNode> moves = w.take(2, WAIT);
                assertThat(moves).extracting(e -> e.path("type").asText() + " " + e.path("object").path("metadata")
                        .path("name").asText()).containsExactly("DELETED a", "ADDED other");
            }
        }
    }

    @Test
    void aWatchFromBeforeARestartIsToldItsVersionExpired() throws Exception {
        String before;
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.persistent(dir, 0, SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            before = rv(api.post(CMS, cm("a")));
            api.post(CMS, cm("b"));
        }
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.persistent(dir, 0, SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            try (SandboxHttp.Stream w = api.stream(CMS + "?watch=true&resourceVersion=" + before)) {
                JsonNode e = w.next(WAIT);
                assertThat(e.path("type").asText()).isEqualTo("ERROR");
                assertThat(e.path("object").path("code").asInt()).isEqualTo(410);
                assertThat(e.path("object").path("reason").asText()).isEqualTo("Expired");
                assertThat(w.endsWithin(WAIT)).isTrue();
            }
            String now = api.get(CMS).json().path("metadata").path("resourceVersion").asText();
            try (SandboxHttp.Stream w = api.stream(CMS + "?watch=true&resourceVersion=" + now)) {
                api.post(CMS, cm("c"));
                assertThat(w.next(WAIT).path("object").path("metadata").path("name").asText())
                        .as("a watch from the new life's list goes on").isEqualTo("c");
            }
        }
    }
}
