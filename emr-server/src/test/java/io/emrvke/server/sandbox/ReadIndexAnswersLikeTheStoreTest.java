package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controllers read from the store's in-memory index; after every kind of write (create, PUT, JSON,
 * merge and strategic patches, scale, status, delete, namespace deletion, restart from the state file)
 * each get and label-selector list must find exactly what the store itself answers, in the same order.
 */
class ReadIndexAnswersLikeTheStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PLURALS = Map.of("Pod", "pods", "Deployment", "deployments",
            "StatefulSet", "statefulsets", "RayCluster", "rayclusters", "ConfigMap", "configmaps",
            "Namespace", "namespaces", "Node", "nodes", "Service", "services");

    @TempDir
    Path dataDir;

    @Test
    void everyGetAndListFromTheIndexMatchesTheStoreAfterEveryKindOfWriteAndARestart() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.persistent(dataDir, 0, POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            var deployments = client.apps().deployments().inNamespace("default");
            deployments.resource(deployment("web", 2, List.of())).create();
            client.genericKubernetesResources(RayClusterSuspendAndResumeTest.RAY).inNamespace("default")
                    .resource(RayClusterSuspendAndResumeTest.rayCluster("ray", 1)).create();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("other").endMetadata()
                    .build()).create();
            client.apps().deployments().inNamespace("other").resource(deployment("gone", 1, List.of())).create();
            var configMaps = client.configMaps().inNamespace("default");
            configMaps.resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                    .addToLabels("tier", "a").endMetadata().addToData("k", "v").build()).create();
            eventually(Duration.ofSeconds(10), "web rolled out", () -> RolloutRestartReplacesEveryPodTest
                    .rolledOut(deployments.withName("web").get(), 2));

            deployments.withName("web").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"labels\":{\"team\":\"data\"}}}");
            deployments.withName("web").scale(3);
            configMaps.withName("settings").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                    "{\"metadata\":{\"labels\":{\"tier\":\"b\"}}}");
            configMaps.withName("settings").patch(PatchContext.of(PatchType.JSON),
                    "[{\"op\":\"add\",\"path\":\"/data/j\",\"value\":\"w\"}]");
            configMaps.withName("settings").edit(c -> {
                c.getData().put("edited", "yes");
                return c;
            });
            Deployment web = deployments.withName("web").get();
            web.getStatus().setObservedGeneration(99L);
            deployments.resource(web).updateStatus();
            client.pods().inNamespace("default").resource(podsOf(client, "default", "web").get(0)).delete();
            client.namespaces().withName("other").delete();
            eventually(Duration.ofSeconds(15), "web at 3 ready, namespace other emptied", () ->
                    RolloutRestartReplacesEveryPodTest.rolledOut(deployments.withName("web").get(), 3)
                            && client.apps().deployments().inNamespace("other").list().getItems().isEmpty()
                            && client.pods().inNamespace("other").list().getItems().isEmpty());
            ConfigMap settings = configMaps.withName("settings").get();
            assertThat(settings.getData()).containsEntry("j", "w").containsEntry("edited", "yes");

            assertIndexAnswersLikeTheStore(sandbox.crudStore());
            assertFoundObjectsAreCopies(sandbox.crudStore());
        }

        try (Sandbox sandbox = Sandbox.start(SandboxConfig.persistent(dataDir, 0, POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            assertIndexAnswersLikeTheStore(sandbox.crudStore());
            eventually(Duration.ofSeconds(15), "web ready again after the restart", () -> RolloutRestartReplacesEveryPodTest
                    .rolledOut(client.apps().deployments().inNamespace("default").withName("web").get(), 3));
            assertIndexAnswersLikeTheStore(sandbox.crudStore());
        }
    }

    /** Compares while the controllers may still be writing: a difference must go away once they are done. */
    private static void assertIndexAnswersLikeTheStore(IndexedCrudStore crud) throws InterruptedException {
        List<String> differences = List.of();
        for (int attempt = 0; attempt < 20; attempt++) {
            differences = differences(crud);
            if (differences.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the index answers differently from the store:\n" + String.join("\n", differences));
    }

    private static List<String> differences(IndexedCrudStore crud) {
        List<String> differences = new ArrayList<>();
        Set<String> paths = pathsToAsk(crud);
        assertThat(paths).hasSizeGreaterThan(30);
        for (String path : paths) {
            List<JsonNode> found = crud.find(path);
            assertThat(found).as("the index answers " + path).isNotNull();
            List<JsonNode> expected = storeAnswer(crud, path);
            if (!found.equals(expected)) {
                differences.add(path + ": index " + found + " store " + expected);
            }
        }
        return differences;
    }

    /** For every stored object of a known kind: its own path, its collection and each of its labels as selector. */
    private static Set<String> pathsToAsk(IndexedCrudStore crud) {
        List<String> stored;
        synchronized (crud.getMap()) {
            stored = new ArrayList<>(crud.getMap().values());
        }
        Set<String> paths = new LinkedHashSet<>();
        for (String text : stored) {
            JsonNode obj = parse(text);
            String plural = PLURALS.get(obj.path("kind").asText());
            if (plural == null) {
                continue;
            }
            String apiVersion = obj.path("apiVersion").asText();
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            String namespace = obj.path("metadata").path("namespace").asText(null);
            String collection = ApiPath.collection(group, version, namespace, plural);
            paths.add(collection + "/" + Pods.name(obj));
            paths.add(collection + "/no-such-object");
            paths.add(collection);
            paths.add(ApiPath.collection(group, version, null, plural));
            obj.path("metadata").path("labels").fields().forEachRemaining(l -> paths.add(collection + "?labelSelector="
                    + URLEncoder.encode(l.getKey() + "=" + l.getValue().asText(), StandardCharsets.UTF_8)));
        }
        paths.add(Pods.collection("default") + "?labelSelector=" + URLEncoder.encode("app=web,team=none",
                StandardCharsets.UTF_8));
        return paths;
    }

    private static List<JsonNode> storeAnswer(IndexedCrudStore crud, String path) {
        MockResponse r = crud.handleGet(path);
        if (r.code() != 200) {
            return List.of();
        }
        JsonNode body = parse(SandboxDispatcher.bodyOf(r));
        if (!body.has("items")) {
            return List.of(body);
        }
        List<JsonNode> items = new ArrayList<>();
        body.path("items").forEach(items::add);
        return items;
    }

    private static void assertFoundObjectsAreCopies(IndexedCrudStore crud) {
        String path = DeploymentController.path("default", "web");
        ((ObjectNode) crud.find(path).get(0).path("metadata")).put("name", "changed by a caller");
        assertThat(crud.find(path).get(0).path("metadata").path("name").asText()).isEqualTo("web");
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
