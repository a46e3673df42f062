package io.emrvke.server.sandbox.differential;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.sandbox.differential.Scenario.Session;
import io.emrvke.server.sandbox.differential.Scenario.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Scenario steps made of plain HTTP requests: the status code, a refusal's {@code reason}, {@code message},
 * {@code details} and {@code causes} (field and reason, sorted), or the answer's object, compared as the
 * server sent them. {@code {ns}} in a path or body is the scenario's namespace.
 */
final class ApiSteps {
    static final String JSON = "application/json";
    static final String MERGE = "application/merge-patch+json";
    static final String STRATEGIC = "application/strategic-merge-patch+json";
    static final String APPLY = "application/apply-patch+yaml";

    private ApiSteps() {
    }

    static Step get(String id, String path) {
        return request(id, "GET", path, null, null);
    }

    static Step request(String id, String method, String path, String contentType, String body) {
        return send(id, s -> s.target().api, method, path, contentType, body);
    }

    /** The same request with the kubeconfig's credential replaced ({@code token} null: none): status and reason. */
    static Step withToken(String id, String token, String method, String path) {
        return new Step(id, true, s -> {
            RawApi.Answer answer = s.target().api.withToken(token).send(method, expand(s, path), null, null);
            Observation all = observe(id, answer.status(), answer.body(), s.normaliser());
            return new Observation(id).put("status", all.aspects.get("status"))
                    .put("reason", all.aspects.getOrDefault("reason", "-"));
        });
    }

    private static Step send(String id, Function<Session, RawApi> api, String method, String path, String contentType,
                             String body) {
        return new Step(id, true, s -> {
            RawApi.Answer answer = api.apply(s).send(method, expand(s, path), contentType,
                    body == null ? null : expand(s, body));
            return observe(id, answer.status(), answer.body(), s.normaliser());
        });
    }

    /** Not compared: a request both targets get to reach the same starting point. */
    static Step prepare(String method, String path, String contentType, String body) {
        return new Step("prepare: " + method + " " + path, false, s -> {
            s.target().api.send(method, expand(s, path), contentType, body == null ? null : expand(s, body));
            return null;
        });
    }

    /**
     * Lists {@code collection} (with {@code query}) for its resourceVersion, watches from there over plain HTTP
     * while {@code during} runs (then up to 10 s more, or until the server ends the stream: give
     * {@code timeoutSeconds}), and records the status and every event as {@code TYPE Kind/name data}.
     */
    static Step watch(String id, String collection, String query, List<Step> during) {
        return new Step(id, true, s -> {
            String path = expand(s, collection);
            String rv = s.target().api.send("GET", path + "?" + query, null, null).body()
                    .path("metadata").path("resourceVersion").asText();
            RawApi.WatchResult result = s.target().api.watch(path + "?watch=1&" + query + "&resourceVersion=" + rv,
                    Duration.ofSeconds(10), () -> during.forEach(step -> step.action().apply(s)));
            return watched(id, result, s.normaliser());
        });
    }

    /** A watch with its own query (e.g. sendInitialEvents), no list before it. */
    static Step watchAsIs(String id, String pathAndQuery, List<Step> during) {
        return new Step(id, true, s -> watched(id, s.target().api.watch(expand(s, pathAndQuery),
                Duration.ofSeconds(10), () -> during.forEach(step -> step.action().apply(s))), s.normaliser()));
    }

    private static Observation watched(String id, RawApi.WatchResult result, Normaliser normaliser) {
        List<String> events = new ArrayList<>();
        for (JsonNode e : result.events()) {
            JsonNode o = e.path("object");
            String what = e.path("type").asText("?") + " " + o.path("kind").asText() + "/"
                    + o.path("metadata").path("name").asText();
            if (e.path("type").asText().equals("BOOKMARK")) {
                what += " " + o.path("metadata").path("annotations");
            } else if (e.path("type").asText().equals("ERROR")) {
                what += " " + o.path("code").asText() + " " + o.path("reason").asText();
            } else if (o.has("data")) {
                what += " " + o.path("data");
            } else if (!e.isObject()) {
                what = "not an event: " + e.asText();
            }
            events.add(normaliser.values(what));
        }
        return new Observation(id).put("status", String.valueOf(result.status())).put("events", String.join("\n", events));
    }

    /** GETs {@code path} and records only the value at {@code pointer} (a JSON pointer), e.g. one status field. */
    static Step field(String id, String path, String pointer) {
        return new Step(id, true, s -> {
            RawApi.Answer answer = s.target().api.send("GET", expand(s, path), null, null);
            return new Observation(id).put("status", String.valueOf(answer.status()))
                    .put("value", s.normaliser().values(answer.body().at(pointer).toString()));
        });
    }

    /**
     * {@code status}: the code and what came with it (a Status, a list, an object, nothing), so that an empty 404
     * where the API server sends a Status is one difference; then a Status's reason, message (with its details)
     * and causes, or the object's normalised fields. A Deployment's status and revision annotation are left out: its
     * controller writes them when it gets to it (timing, not an answer).
     */
    static Observation observe(String id, int status, JsonNode body, Normaliser normaliser) {
        String kind = body.path("kind").asText();
        String came = kind.equals("Status") ? "Status" : body.path("items").isArray() ? "list"
                : body.isObject() ? "object" : body.asText().isBlank() ? "(empty)" : "(text)";
        Observation o = new Observation(id).put("status", status + " " + came);
        if (came.equals("Status")) {
            JsonNode details = body.path("details");
            TreeSet<String> causes = new TreeSet<>();
            details.path("causes").forEach(c -> causes.add(c.path("field").asText() + " " + c.path("reason").asText()));
            o.put("reason", body.path("reason").asText())
                    .put("message", normaliser.values(body.path("message").asText() + " [details: "
                            + details.path("kind").asText() + "/" + details.path("name").asText() + " group="
                            + details.path("group").asText() + "]"))
                    .put("causes", String.join("\n", causes));
        } else if (body.isObject()) {
            JsonNode normalised = normaliser.json(body);
            if (kind.equals("Deployment")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) normalised).remove("status");
                JsonNode annotations = normalised.path("metadata").path("annotations");
                if (annotations.isObject()) { // the controller sets the revision when it gets to it, as the status
                    ((com.fasterxml.jackson.databind.node.ObjectNode) annotations)
                            .remove("deployment.kubernetes.io/revision");
                    if (annotations.isEmpty()) {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) normalised.path("metadata"))
                                .remove("annotations");
                    }
                }
            }
            o.putObject("body", normalised);
        } else {
            o.put("body", normaliser.text(body.asText()));
        }
        return o;
    }

    private static String expand(Session s, String text) {
        return text.replace("{ns}", s.namespace());
    }
}
