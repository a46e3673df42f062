package io.emrvke.server.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.api.Json;
import io.emrvke.api.client.EmrApiException;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.ControlPlane;
import io.emrvke.server.ServerConfig;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.NewCredential;
import io.emrvke.server.account.Role;
import io.emrvke.server.gateway.FreshSignatures;
import io.emrvke.server.store.StoreBackend;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * An in-process control plane (sandbox pods ready after 150 ms) on a test store, with an admin
 * client of account 1 and helpers to call actions and wait for operations.
 */
final class LifecyclePlane implements AutoCloseable {
    static final String RELEASE = "EMR-VKE-1.8.0";

    final StoreBackend backend;
    final ControlPlane plane;
    final EmrClient admin;
    private KubernetesClient kube;

    private LifecyclePlane(StoreBackend backend, ControlPlane plane, EmrClient admin) {
        this.backend = backend;
        this.plane = plane;
        this.admin = admin;
    }

    static LifecyclePlane start(StoreBackend backend) {
        ControlPlane plane = startPlane(backend);
        Credential root = plane.credentials().create(NewCredential.generated(1, "root", Role.ADMIN));
        return new LifecyclePlane(backend, plane, client(plane, root));
    }

    static ControlPlane startPlane(StoreBackend backend) {
        try {
            return ControlPlane.start(ServerConfig.defaults(backend.dataDir()).withPort(0).withSandbox(true, 150)
                    .withDatabaseUrl(backend.jdbcUrl()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EmrClient client(ControlPlane plane, Credential c) {
        return EmrClient.builder().endpoint("127.0.0.1:" + plane.port()).credentials(c.accessKeyId(), c.secretKey())
                .build();
    }

    EmrClient newClient(long accountId, String user, Role role) {
        return client(plane, plane.credentials().create(NewCredential.generated(accountId, user, role)));
    }

    /** The Result of a successful call by the admin. */
    JsonNode call(String action, String json) {
        return call(admin, action, json);
    }

    static JsonNode call(EmrClient client, String action, String json) {
        return FreshSignatures.send(action, json, () -> client.call(action, json)).path("Result");
    }

    /** The error a call by the admin answers with; fails when it succeeds. */
    EmrApiException error(String action, String json) {
        return error(admin, action, json);
    }

    static EmrApiException error(EmrClient client, String action, String json) {
        try {
            JsonNode ok = FreshSignatures.send(action, json, () -> client.call(action, json));
            throw new AssertionError(action + " " + json + " succeeded: " + ok);
        } catch (EmrApiException e) {
            return e;
        }
    }

    /** {"ClusterName":..,"ReleaseVersion":..,"VkeCluster":{"VkeClusterId":"sandbox"},"Applications":[..]}. */
    static String createBody(String name, String applicationsJson) {
        return "{\"ClusterName\":\"" + name + "\",\"ReleaseVersion\":\"" + RELEASE
                + "\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\"},\"Applications\":" + applicationsJson + "}";
    }

    static String apps(String... names) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"ApplicationName\":\"").append(names[i]).append("\"}");
        }
        return sb.append("]").toString();
    }

    /** One Applications element with one config item: {"ApplicationName":..,"ApplicationConfigs":[{..}]}. */
    static String appWithConfig(String name, String file, String key, String value) {
        return "{\"ApplicationName\":\"" + name + "\",\"ApplicationConfigs\":[{\"ConfigFileName\":\"" + file
                + "\",\"ConfigItemKey\":\"" + key + "\",\"ConfigItemValue\":\"" + value + "\"}]}";
    }

    /** Creates a cluster, waits for its CreateCluster operation to succeed, returns the ClusterId. */
    String runningCluster(String name, String applicationsJson) {
        JsonNode r = call("CreateVirtualCluster", createBody(name, applicationsJson));
        OperationWaits.requireSuccess("CreateCluster", awaitOperation(r.path("OperationId").asText()));
        return r.path("ClusterId").asText();
    }

    /** Polls GetOperation until the operation ended; returns its last GetOperation Result. */
    JsonNode awaitOperation(String operationId) {
        return OperationWaits.awaitEnd(operationId, Duration.ofSeconds(60),
                id -> call("GetOperation", "{\"OperationId\":\"" + id + "\"}"));
    }

    JsonNode cluster(String clusterId) {
        return call("GetVirtualCluster", "{\"ClusterId\":\"" + clusterId + "\"}");
    }

    JsonNode applications(String clusterId) {
        return call("ListApplications", "{\"ClusterId\":\"" + clusterId + "\",\"MaxResults\":100}");
    }

    /** ApplicationState by ApplicationName, sorted by name. */
    Map<String, String> applicationStates(String clusterId) {
        Map<String, String> out = new TreeMap<>();
        applications(clusterId).path("Items").forEach(a -> out.put(a.path("ApplicationName").asText(),
                a.path("ApplicationState").asText()));
        return out;
    }

    synchronized KubernetesClient kube() {
        if (kube == null) {
            Config config = plane.sandbox().orElseThrow().clientConfig();
            kube = new KubernetesClientBuilder().withConfig(config).build();
        }
        return kube;
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.plain().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void eventually(String what, BooleanSupplier condition) {
        ActionPlane.eventually(what, condition);
    }

    static void sleep(long millis) {
        ActionPlane.sleep(millis);
    }

    @Override
    public void close() {
        if (kube != null) {
            kube.close();
        }
        // the backend is closed by JUnit (it is the test's AutoCloseable argument)
        plane.close();
    }
}
