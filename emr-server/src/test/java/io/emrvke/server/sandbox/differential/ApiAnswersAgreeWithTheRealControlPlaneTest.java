package io.emrvke.server.sandbox.differential;

import static io.emrvke.server.sandbox.differential.ApiSteps.APPLY;
import static io.emrvke.server.sandbox.differential.ApiSteps.JSON;
import static io.emrvke.server.sandbox.differential.ApiSteps.MERGE;
import static io.emrvke.server.sandbox.differential.ApiSteps.STRATEGIC;
import static io.emrvke.server.sandbox.differential.ApiSteps.field;
import static io.emrvke.server.sandbox.differential.ApiSteps.get;
import static io.emrvke.server.sandbox.differential.ApiSteps.prepare;
import static io.emrvke.server.sandbox.differential.ApiSteps.request;
import static io.emrvke.server.sandbox.differential.ApiSteps.watch;
import static io.emrvke.server.sandbox.differential.ApiSteps.watchAsIs;
import static io.emrvke.server.sandbox.differential.ApiSteps.withToken;

import io.emrvke.server.sandbox.differential.Scenario.Step;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API itself, below kubectl: plain HTTP requests to the sandbox and to the real control plane, compared
 * by status code, the refusal's reason, message and causes (field paths), the objects answered, list contents
 * under label and field selectors, and the events a plain-HTTP watch delivers. A difference not listed in
 * docs/sandbox.md fails the test.
 */
@Tag("realk8s")
class ApiAnswersAgreeWithTheRealControlPlaneTest {
    static final String SCENARIO = "api";
    private static final String CONFIGMAPS = "/api/v1/namespaces/{ns}/configmaps";
    private static final String PODS = "/api/v1/namespaces/{ns}/pods";
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/{ns}/deployments";

    @TempDir
    Path tmp;

    @Test
    void everyRequestIsAnsweredAsTheRealApiServerAnswersItOrTheDifferenceIsListed() throws Exception {
        new Scenario(SCENARIO, steps()).judgeOnBothTargets(tmp, "sbxapi", List.of("web"), (folder, namespace) -> folder);
    }

    private static List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        steps.add(request("create namespace", "POST", "/api/v1/namespaces", JSON, namespace("{ns}")));
        steps.addAll(creates());
        steps.addAll(refusals());
        steps.addAll(reads());
        steps.addAll(watches());
        steps.addAll(credentials());
        steps.add(request("delete namespace", "DELETE", "/api/v1/namespaces/{ns}", null, null));
        return steps;
    }

    private static List<Step> creates() {
        return List.of(
                request("create configmap", "POST", CONFIGMAPS, JSON, configMap("settings", "app", "web")),
                request("create configmap again", "POST", CONFIGMAPS, JSON, configMap("settings", "app", "web")),
                request("create deployment", "POST", DEPLOYMENTS, JSON, deployment("web", "0", "100m")),
                request("create configmap dryRun=All", "POST", CONFIGMAPS + "?dryRun=All", JSON,
                        configMap("dry", "app", "web")),
                get("get configmap created by a dry run", CONFIGMAPS + "/dry"),
                request("delete configmap dryRun=All", "DELETE", CONFIGMAPS + "/settings?dryRun=All", null, null),
                get("get configmap deleted by a dry run", CONFIGMAPS + "/settings"),
                // what a dry run changed is undone, so that it shows once, not in every later answer
                prepare("POST", CONFIGMAPS, JSON, configMap("settings", "app", "web")),
                prepare("DELETE", CONFIGMAPS + "/dry", null, null),
                request("merge patch configmap", "PATCH", CONFIGMAPS + "/settings", MERGE, "{\"data\":{\"mode\":\"two\"}}"),
                request("merge patch deleting a key with null", "PATCH", CONFIGMAPS + "/settings", MERGE,
                        "{\"data\":{\"mode\":null}}"),
                request("strategic merge patch deployment", "PATCH", DEPLOYMENTS + "/web", STRATEGIC,
                        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"env\":[{\"name\":\"A\",\"value\":\"1\"}]}]}}}}"),
                request("server-side apply configmap", "PATCH", CONFIGMAPS + "/applied?fieldManager=sbxdiff", APPLY,
                        configMap("applied", "app", "web")),
                request("update with a stale resourceVersion", "PUT", CONFIGMAPS + "/settings", JSON,
                        configMap("settings", "app", "web").replace("\"name\":\"settings\"",
                                "\"name\":\"settings\",\"resourceVersion\":\"1\"")),
                get("get deployment scale", DEPLOYMENTS + "/web/scale"),
                request("update deployment status through the main resource", "PATCH", DEPLOYMENTS + "/web", MERGE,
                        "{\"status\":{\"readyReplicas\":7}}"),
                field("readyReplicas after that update", DEPLOYMENTS + "/web", "/status/readyReplicas"));
    }

    /** What validation and routing refuse: names, labels, quantities, required fields, ranges, unknown paths. */
    private static List<Step> refusals() {
        return List.of(
                request("create configmap with a bad name and label", "POST", CONFIGMAPS, JSON,
                        configMap("Bad_Name", "team", "has space")),
                request("create deployment with a bad quantity", "POST", DEPLOYMENTS, JSON, deployment("q", "1", "2Gx")),
                request("create deployment with negative replicas", "POST", DEPLOYMENTS, JSON, deployment("r", "-1", "1")),
                request("create deployment without an image", "POST", DEPLOYMENTS, JSON,
                        deployment("n", "1", "1").replace("\"image\":\"busybox:1.36\",", "")),
                request("create deployment with an unknown field, strict", "POST", DEPLOYMENTS
                        + "?fieldValidation=Strict", JSON, deployment("u", "1", "1").replace("\"replicas\"", "\"replicaz\"")),
                request("create configmap whose body names another namespace", "POST", CONFIGMAPS, JSON,
                        configMap("other", "app", "web").replace("\"name\":\"other\"",
                                "\"name\":\"other\",\"namespace\":\"default\"")),
                request("create configmap in a missing namespace", "POST", "/api/v1/namespaces/sbxdiff-missing/configmaps",
                        JSON, configMap("x", "app", "web")),
                request("create with a body that is not JSON", "POST", CONFIGMAPS, JSON, "{not json"),
                get("get a missing configmap", CONFIGMAPS + "/nothing-here"),
                get("get logs of a missing pod", PODS + "/nothing-here/log"),
                get("get an unknown group", "/apis/nothing.example.com/v1"),
                get("get an unknown resource", "/api/v1/namespaces/{ns}/nothings"),
                get("get an unknown top-level path", "/nothing-here"),
                get("list pods with an unsupported field selector", PODS + "?fieldSelector=spec.foo%3Dbar"),
                get("list pods with a malformed label selector", PODS + "?labelSelector=app%20in%20web"));
    }

    private static List<Step> reads() {
        return List.of(
                prepare("POST", CONFIGMAPS, JSON, configMap("extra", "tier", "front")),
                get("list configmaps app in (web)", CONFIGMAPS + "?labelSelector=app%20in%20(web)"),
                get("list configmaps app notin (web)", CONFIGMAPS + "?labelSelector=app%20notin%20(web)"),
                get("list configmaps !app", CONFIGMAPS + "?labelSelector=!app"),
                get("list configmaps metadata.name=extra", CONFIGMAPS + "?fieldSelector=metadata.name%3Dextra"),
                get("list configmaps limit=1", CONFIGMAPS + "?limit=1"),
                get("list configmaps of every namespace, this one's only", "/api/v1/configmaps?fieldSelector="
                        + "metadata.namespace%3D{ns}"),
                get("list secrets", "/api/v1/namespaces/{ns}/secrets"),
                get("discovery /api", "/api"),
                get("discovery /apis/apps/v1", "/apis/apps/v1"),
                get("version", "/version"));
    }

    /** A watch from the list's resourceVersion sees a create, an update and a delete, in order; bookmarks too. */
    private static List<Step> watches() {
        List<Step> changes = List.of(
                prepare("POST", CONFIGMAPS, JSON, configMap("w1", "watch", "me")),
                prepare("PATCH", CONFIGMAPS + "/w1", MERGE, "{\"data\":{\"mode\":\"two\"}}"),
                prepare("DELETE", CONFIGMAPS + "/w1", null, null));
        return List.of(
                watch("watch configmaps watch=me over HTTP", CONFIGMAPS, "labelSelector=watch%3Dme&timeoutSeconds=5",
                        changes),
                prepare("POST", CONFIGMAPS, JSON, configMap("w2", "watch", "me")),
                watchAsIs("watch with initial events and bookmarks", CONFIGMAPS + "?watch=1&labelSelector=watch%3Dme"
                        + "&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan"
                        + "&timeoutSeconds=3", List.of()));
    }

    private static List<Step> credentials() {
        return List.of(
                withToken("list namespaces with a wrong token", "not-a-token", "GET", "/api/v1/namespaces"),
                withToken("list namespaces without credentials", null, "GET", "/api/v1/namespaces"),
                withToken("get version without credentials", null, "GET", "/version"));
    }

    private static String namespace(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}";
    }

    private static String configMap(String name, String label, String value) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\""
                + label + "\":\"" + value + "\"}},\"data\":{\"mode\":\"one\"}}";
    }

    private static String deployment(String name, String replicas, String cpu) {
        return ("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"%1$s\"},\"spec\":{"
                + "\"replicas\":%2$s,\"selector\":{\"matchLabels\":{\"app\":\"%1$s\"}},\"template\":{\"metadata\":{"
                + "\"labels\":{\"app\":\"%1$s\"}},\"spec\":{\"nodeSelector\":{\"kubernetes.io/hostname\":\"sandbox-node-1\"},"
                + "\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.36\",\"resources\":{\"requests\":{"
                + "\"cpu\":\"%3$s\"}}}]}}}}").formatted(name, replicas, cpu);
    }
}
