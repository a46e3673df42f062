package io.emrvke.server.runtime;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.function.Predicate;

/**
 * A plain CRUD Kubernetes API (fabric8 mock server, no controllers) plus what a test needs to play the
 * controllers: set workload status, create and delete pods.
 */
final class MockCluster implements AutoCloseable {
    final KubernetesMockServer server;
    final KubernetesClient client;

    MockCluster(boolean withRayCrd) {
        this(withRayCrd, request -> false);
    }

    /** A cluster that answers 503 to the requests {@code unavailable} picks (an API server with a bad moment). */
    MockCluster(boolean withRayCrd, Predicate<RecordedRequest> unavailable) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses) {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        return unavailable.test(request) ? new MockResponse().setResponseCode(503)
                                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                                        + "\"reason\":\"ServiceUnavailable\",\"code\":503}")
                                : super.dispatch(request);
                    }
                }, false);
        server.init();
        client = server.createClient();
        if (withRayCrd) {
            createRayCrd(client);
        }
    }

    static void createRayCrd(KubernetesClient client) {
        {
            client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                    .withNewMetadata().withName("rayclusters.ray.io").endMetadata()
                    .withNewSpec().withGroup("ray.io").withScope("Namespaced")
                    .withNewNames().withKind("RayCluster").withPlural("rayclusters").withSingular("raycluster").endNames()
                    .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion()
                    .endSpec().build()).create();
        }
    }

    KubernetesRuntime runtime(String target) {
        return unstartedRuntime(target).start();
    }

    KubernetesRuntime unstartedRuntime(String target) {
        // the client's own retries off: the runtime's Retry is what is under test
        KubernetesClient runtimeClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(server.url("/")).withRequestRetryBackoffLimit(0).build()).build();
        return new KubernetesRuntime(target, runtimeClient, Fixtures.renderer(),
                new Retry(3, Duration.ofMillis(10), Duration.ofMillis(50)), Duration.ofSeconds(10));
    }

    GenericKubernetesResource get(ObjectKind kind, String namespace, String name) {
        return client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name).get();
    }

    /** Plays the Deployment/StatefulSet controller: status says every pod is updated and ready. */
    void markRolledOut(ObjectKind kind, String namespace, String name) {
        GenericKubernetesResource w = get(kind, namespace, name);
        int replicas = ((Number) PodTemplates.spec(w).get("replicas")).intValue();
        setStatus(kind, namespace, name, Map.of("observedGeneration", w.getMetadata().getGeneration(),
                "replicas", replicas, "readyReplicas", replicas, "updatedReplicas", replicas));
    }

    void setStatus(ObjectKind kind, String namespace, String name, Map<String, Object> status) {
        GenericKubernetesResource w = get(kind, namespace, name);
        w.getAdditionalProperties().put("status", new LinkedHashMap<>(status));
        client.genericKubernetesResources(kind.context()).inNamespace(namespace).resource(w).updateStatus();
    }

    /** Plays the kubelet: a pod of the release, ready or stuck waiting with the given reason. */
    Pod pod(String namespace, String release, String name, String group, String waitingReason) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).addToLabels(Labels.INSTANCE, release)
                .endMetadata();
        if (group != null) {
            b.editMetadata().addToLabels("emr-vke.io/ray-group", group).endMetadata();
        }
        b.withNewSpec().addNewContainer().withName("main").withImage("x").endContainer().endSpec();
        if (waitingReason == null) {
            b.withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
        } else {
            b.withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("False").endCondition()
                    .addNewContainerStatus().withName("main").withReady(false).withNewState().withNewWaiting()
                    .withReason(waitingReason).endWaiting().endState().endContainerStatus().endStatus();
        }
        return client.pods().inNamespace(namespace).resource(b.build()).create();
    }

    void deletePods(String namespace, String release) {
        client.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, release).delete();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
