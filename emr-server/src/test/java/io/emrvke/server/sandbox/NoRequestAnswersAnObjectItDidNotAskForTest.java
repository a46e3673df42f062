package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No request to the sandbox returns an object of a namespace or kind it did not ask for: with objects of
 * several kinds in two namespaces (and the pods, ReplicaSets and Events the controllers add), every resource
 * discovery serves is listed per namespace and across them, watched, and each object read by name in its
 * own namespace and in the other; unknown paths and pod logs are asked too. Each item that comes back must
 * be of the kind and namespace the path names.
 */
class NoRequestAnswersAnObjectItDidNotAskForTest {
    private static final List<String> NAMESPACES = List.of("team-a", "team-b");
    private static final String SECRET_VALUE = "c2VjcmV0LW9mLXRlYW0tYQ==";

    /** One resource as discovery lists it. */
    private record Served(String prefix, String plural, String kind, boolean namespaced) {
        String path(String namespace) {
            return prefix + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural;
        }
    }

    @Test
    void everyServedPathAnswersOnlyTheKindAndNamespaceItNames() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            NAMESPACES.forEach(ns -> populate(api, ns));
            SandboxTestSupport.eventually(Duration.ofSeconds(20), "the pods of both namespaces run", () ->
                    NAMESPACES.stream().allMatch(ns -> api.get("/api/v1/namespaces/" + ns
                            + "/pods?fieldSelector=status.phase%3DRunning").json().path("items").size() == 2));

            List<Served> served = discover(api);
            assertThat(served).extracting(Served::plural).contains("configmaps", "secrets", "pods", "events",
                    "deployments", "replicasets", "services", "serviceaccounts", "nodes", "namespaces");
            int checked = 0;
            for (Served r : served) {
                if (r.namespaced()) {
                    for (String ns : NAMESPACES) {
                        checked += items(api, r, r.path(ns), ns);
                        watchedItems(api, r, ns);
                    }
                }
                for (JsonNode item : list(api, r.path(null), r)) {
                    checked++;
                    readByName(api, r, item);
                }
                watchedItems(api, r, null);
            }
            assertThat(checked).as("objects checked").isGreaterThan(40);

            for (String path : List.of("/metrics", "/api/v1/namespaces/team-b/pods/nope/log", "/apis/apps/v1/pods",
                    "/api/v1/namespaces/team-b/deployments", "/api/v1/namespaces/team-a/secrets/db/log")) {
                SandboxHttp.Answer a = api.get(path);
                assertThat(a.code()).as(path).isEqualTo(404);
                assertThat(a.body()).as(path).doesNotContain(SECRET_VALUE).doesNotContain("\"items\"");
            }
            JsonNode podA = api.get("/api/v1/namespaces/team-a/pods").json().path("items").get(0);
            String podName = podA.path("metadata").path("name").asText();
            assertThat(api.get("/api/v1/namespaces/team-a/pods/" + podName + "/log").body())
                    .contains("pod team-a/" + podName).doesNotContain(SECRET_VALUE);
            assertThat(api.get("/api/v1/namespaces/team-b/pods/" + podName + "/log").code()).isEqualTo(404);
        }
    }

    /** A ConfigMap, a Secret, a ServiceAccount, a Service and a Deployment of two pods, all named alike. */
    private static void populate(SandboxHttp api, String ns) {
        assertThat(api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + ns + "\"}}").code()).isEqualTo(201);
        String base = "/api/v1/namespaces/" + ns;
        assertThat(api.post(base + "/configmaps", "{\"metadata\":{\"name\":\"settings\"},\"data\":{\"k\":\"v\"}}")
                .code()).isEqualTo(201);
        String secret = ns.equals("team-a") ? SECRET_VALUE : "b3RoZXI=";
        assertThat(api.post(base + "/secrets", "{\"metadata\":{\"name\":\"db\"},\"data\":{\"password\":\"" + secret
                + "\"}}").code()).isEqualTo(201);
        assertThat(api.post(base + "/serviceaccounts", "{\"metadata\":{\"name\":\"runner\"}}").code()).isEqualTo(201);
        assertThat(api.post(base + "/services", "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"selector\":{\"app\":"
                + "\"web\"},\"ports\":[{\"port\":80}]}}").code()).isEqualTo(201);
        assertThat(api.post("/apis/apps/v1/namespaces/" + ns + "/deployments", "{\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":"
                + "{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":"
                + "\"busybox:1.36\"}]}}}}").code()).isEqualTo(201);
    }

    /** Every listable resource of the core group and each group's preferred version, as discovery serves them. */
    private static List<Served> discover(SandboxHttp api) {
        List<Served> out = new ArrayList<>();
        resources(api, "/api/v1", out);
        for (JsonNode group : api.get("/apis").json().path("groups")) {
            resources(api, "/apis/" + group.path("preferredVersion").path("groupVersion").asText(), out);
        }
        return out;
    }

    private static void resources(SandboxHttp api, String prefix, List<Served> out) {
        for (JsonNode r : api.get(prefix).json().path("resources")) {
            boolean listable = false;
            for (JsonNode verb : r.path("verbs")) {
                listable |= verb.asText().equals("list");
            }
            if (listable && !r.path("name").asText().contains("/")) {
                out.add(new Served(prefix, r.path("name").asText(), r.path("kind").asText(),
                        r.path("namespaced").asBoolean()));
            }
        }
    }

    private static List<JsonNode> list(SandboxHttp api, String path, Served r) {
        SandboxHttp.Answer a = api.get(path);
        assertThat(a.code()).as(path).isEqualTo(200);
        JsonNode body = a.json();
        assertThat(body.path("kind").asText()).as(path).isEqualTo(r.kind() + "List");
        List<JsonNode> items = new ArrayList<>();
        body.path("items").forEach(items::add);
        items.forEach(item -> assertKind(path, r, item));
        return items;
    }

    /** Lists {@code path} (one namespace's) and checks each item is of that namespace; returns how many. */
    private static int items(SandboxHttp api, Served r, String path, String namespace) {
        List<JsonNode> items = list(api, path, r);
        items.forEach(item -> assertThat(item.path("metadata").path("namespace").asText()).as(path + " item")
                .isEqualTo(namespace));
        return items.size();
    }

    /** A watch without a resourceVersion: the current objects as ADDED up to the initial-events-end bookmark. */
    private static void watchedItems(SandboxHttp api, Served r, String namespace) throws Exception {
        String path = r.path(namespace) + "?watch=1&allowWatchBookmarks=true";
        try (SandboxHttp.Stream w = api.stream(path)) {
            assertThat(w.code).as(path).isEqualTo(200);
            while (true) {
                JsonNode event = w.next(Duration.ofSeconds(10));
                assertThat(event).as(path + ": the initial events end with a bookmark").isNotNull();
                JsonNode obj = event.path("object");
                if (event.path("type").asText().equals("BOOKMARK")) {
                    assertThat(obj.path("metadata").path("annotations").path("k8s.io/initial-events-end").asText())
                            .as(path).isEqualTo("true");
                    return;
                }
                assertThat(event.path("type").asText()).as(path).isIn("ADDED", "MODIFIED", "DELETED");
                assertKind(path, r, obj);
                if (namespace != null) {
                    assertThat(obj.path("metadata").path("namespace").asText()).as(path + " event").isEqualTo(namespace);
                }
            }
        }
    }

    /** The object read by name in its own namespace is itself; from another namespace it is a 404 with no object. */
    private static void readByName(SandboxHttp api, Served r, JsonNode item) {
        String name = item.path("metadata").path("name").asText();
        String ns = item.path("metadata").path("namespace").asText(null);
        JsonNode own = api.get(r.path(r.namespaced() ? ns : null) + "/" + name).json();
        assertThat(own.path("kind").asText()).isEqualTo(r.kind());
        assertThat(own.path("metadata").path("uid").asText()).isEqualTo(item.path("metadata").path("uid").asText());
        if (r.namespaced()) {
            for (String other : List.of("team-a", "team-b", "default")) {
                if (!other.equals(ns)) {
                    SandboxHttp.Answer a = api.get(r.path(other) + "/" + name);
                    if (a.code() == 200) { // an object of the same name there: its own, not this one
                        assertThat(a.json().path("metadata").path("namespace").asText()).isEqualTo(other);
                        assertThat(a.json().path("metadata").path("uid").asText())
                                .isNotEqualTo(item.path("metadata").path("uid").asText());
                    } else {
                        assertThat(a.code()).as(r.path(other) + "/" + name).isEqualTo(404);
                        assertThat(a.json().path("kind").asText()).isEqualTo("Status");
                    }
                }
            }
        }
    }

    private static void assertKind(String path, Served r, JsonNode obj) {
        if (obj.has("kind")) { // list items may leave kind out, as the API server's do
            assertThat(obj.path("kind").asText()).as(path + " item kind").isIn(r.kind(), "Status");
        }
        String apiVersion = obj.path("apiVersion").asText("");
        if (!apiVersion.isEmpty() && !obj.path("kind").asText().equals("Status")) {
            assertThat(r.prefix()).as(path + " item apiVersion").endsWith(apiVersion);
        }
    }
}
