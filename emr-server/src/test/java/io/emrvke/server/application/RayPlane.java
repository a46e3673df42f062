package io.emrvke.server.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrApiException;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.ControlPlane;
import io.emrvke.server.ServerConfig;
import io.emrvke.server.account.Credential;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.gateway.FreshSignatures;
import io.emrvke.server.runtime.ClusterRuntime;
import io.emrvke.server.runtime.Labels;
import io.emrvke.server.runtime.TargetRegistry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A whole control plane (gateway, engine, sandbox) on temporary dirs with one RUNNING virtual
 * cluster that has Ray deployed: the KubeRay operator and one default RayCluster instance, both
 * RUNNING in the sandbox, made by CreateVirtualCluster through the API.
 */
final class RayPlane implements AutoCloseable {
    static final String RELEASE = "EMR-VKE-1.8.0";
    static final ResourceDefinitionContext RAY_CLUSTERS = new ResourceDefinitionContext.Builder()
            .withGroup("ray.io").withVersion("v1").withKind("RayCluster").withPlural("rayclusters").withNamespaced(true)
            .build();

    final ControlPlane plane;
    final EmrClient client;
    final Credential credential;
    final KubernetesClient kube;
    String clusterId;
    String namespace;
    String defaultRayCluster;
    String operator;
    private final Path dir;

    private RayPlane(Path dir, ControlPlane plane) {
        this.dir = dir;
        this.plane = plane;
        this.credential = plane.newRootCredential().orElseThrow();
        this.client = EmrClient.builder().endpoint("127.0.0.1:" + plane.port())
                .credentials(credential.accessKeyId(), credential.secretKey()).build();
        this.kube = new KubernetesClientBuilder().withConfig(new ConfigBuilder(plane.sandbox().orElseThrow().clientConfig())
                .withRequestTimeout(10_000).build()).build();
    }

    static RayPlane start() throws IOException {
        return start(null);
    }

    /** {@code databaseUrl} null: H2 in the temporary data dir. */
    static RayPlane start(String databaseUrl) throws IOException {
        Path dir = Files.createTempDirectory("emr-vke-instances-");
        ServerConfig config = ServerConfig.defaults(dir).withPort(0).withSandbox(true, 150);
        if (databaseUrl != null) {
            config = config.withDatabaseUrl(databaseUrl);
        }
        RayPlane ray = new RayPlane(dir, ControlPlane.start(config));
        try {
            ray.deployRay();
            return ray;
        } catch (RuntimeException e) {
            ray.close();
            throw e;
        }
    }

    /** CreateVirtualCluster with Ray, through the API, until its CreateCluster operation succeeded. */
    private void deployRay() {
        JsonNode created = call("CreateVirtualCluster", Map.of("ClusterName", "ray-test", "ReleaseVersion", RELEASE,
                "VkeCluster", Map.of("VkeClusterId", TargetRegistry.SANDBOX),
                "Applications", List.of(Map.of("ApplicationName", "Ray"))));
        OperationWaits.requireSuccess("CreateVirtualCluster", awaitOperation(created.path("OperationId").asText()));
        clusterId = created.path("ClusterId").asText();
        namespace = new ClusterRepository(plane.database().jdbi()).get(credential.accountId(), clusterId)
                .orElseThrow().namespace();
        for (InstanceRow row : new InstanceRepository(plane.database().jdbi()).list(clusterId)) {
            if (row.componentName().equals("RayCluster")) {
                defaultRayCluster = row.releaseName();
            } else {
                operator = row.releaseName();
            }
        }
    }

    ClusterRuntime runtime() {
        return plane.targets().get(TargetRegistry.SANDBOX);
    }

    JsonNode call(String action, Map<String, ?> body) {
        return FreshSignatures.send(action, body, () -> client.call(action, body)).path("Result");
    }

    EmrApiException error(String action, Map<String, ?> body) {
        try {
            FreshSignatures.send(action, body, () -> client.call(action, body));
        } catch (EmrApiException e) {
            return e;
        }
        throw new AssertionError(action + " succeeded but an error was expected: " + body);
    }

    /** GetOperation until it ends; returns its final Result. */
    JsonNode awaitOperation(String operationId) {
        return OperationWaits.awaitEnd(operationId, Duration.ofSeconds(60),
                id -> call("GetOperation", Map.of("OperationId", id)));
    }

    /** Kubernetes objects of the namespace labelled with the release (our labels), as Kind/name. */
    List<String> objectsOf(String releaseName) {
        Map<String, String> labels = Map.of(Labels.INSTANCE, releaseName, Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        List<String> out = new ArrayList<>();
        add(out, kube.genericKubernetesResources(RAY_CLUSTERS).inNamespace(namespace)
                .withLabels(labels).list().getItems());
        add(out, kube.configMaps().inNamespace(namespace).withLabels(labels).list().getItems());
        add(out, kube.secrets().inNamespace(namespace).withLabels(labels).list().getItems());
        add(out, kube.services().inNamespace(namespace).withLabels(labels).list().getItems());
        add(out, kube.apps().deployments().inNamespace(namespace).withLabels(labels).list().getItems());
        return out;
    }

    int podsOf(String releaseName) {
        return kube.pods().inNamespace(namespace).withLabel(Labels.INSTANCE, releaseName).list().getItems().size();
    }

    private static void add(List<String> out, List<? extends HasMetadata> objects) {
        objects.forEach(o -> out.add(o.getKind() + "/" + o.getMetadata().getName()));
    }

    static void eventually(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        kube.close();
        plane.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp dir: best effort
        }
    }
}
