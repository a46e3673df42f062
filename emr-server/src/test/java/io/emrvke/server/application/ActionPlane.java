package io.emrvke.server.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.volcengine.ApiClient;
import com.volcengine.ApiException;
import com.volcengine.ContentType;
import com.volcengine.HttpMethod;
import com.volcengine.UniversalApi;
import com.volcengine.UniversalRequest;
import com.volcengine.sign.Credentials;
import io.emrvke.api.Json;
import io.emrvke.server.RunningServer;
import io.emrvke.server.ServerConfig;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.Role;
import io.emrvke.server.gateway.FreshSignatures;
import io.emrvke.server.runtime.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A whole server in-process (sandbox pods ready after 150 ms) driven through the official
 * Volcengine Java SDK (UniversalApi, POST + JSON), with helpers for RunApplicationAction tests:
 * clusters created through the API, instances added, actions run, pods inspected.
 */
final class ActionPlane implements AutoCloseable {
    static final String RELEASE = "EMR-VKE-1.8.0";

    final RunningServer server;
    final Credential admin;
    final UniversalApi sdk;
    final KubernetesClient kube;

    private ActionPlane(RunningServer server) {
        this.server = server;
        this.admin = server.credential(1, "root", Role.ADMIN);
        this.sdk = sdk(admin);
        this.kube = new KubernetesClientBuilder().withConfig(new ConfigBuilder(server.plane().sandbox().orElseThrow().clientConfig())
                .withRequestTimeout(10_000).build()).build();
        // these tests run many instances side by side, more than three 4-CPU nodes hold
        io.emrvke.server.sandbox.SandboxNodes.resize(kube, "64", "256Gi");
    }

    static ActionPlane start() {
        return start(c -> c);
    }

    /** With the server's config adjusted by {@code tweak} after the sandbox is set (e.g. a catalog directory). */
    static ActionPlane start(UnaryOperator<ServerConfig> tweak) {
        return new ActionPlane(RunningServer.start(c -> tweak.apply(c.withSandbox(true, 150))));
    }

    UniversalApi sdk(Credential c) {
        return new UniversalApi(new ApiClient()
                .setCredentials(Credentials.getCredentials(c.accessKeyId(), c.secretKey()))
                .setRegion("cn-beijing")
                .setEndpoint(server.endpoint())
                .setDisableSSL(true));
    }

    // --- calls -------------------------------------------------------------------------------

    /** The Result of a successful call. */
    JsonNode call(String action, Map<String, Object> body) {
        try {
            Map<String, Object> reply = send(action, body);
            return Json.plain().valueToTree(reply).path("Result");
        } catch (ApiException e) {
            throw new AssertionError(action + " " + body + " failed: " + e.getCode() + " " + e.getResponseBody(), e);
        }
    }

    /** The Error of a refused call ({@code Code}, {@code Message}, plus {@code HttpStatus}); fails when it succeeds. */
    JsonNode error(String action, Map<String, Object> body) {
        try {
            send(action, body);
        } catch (ApiException e) {
            try {
                var error = (com.fasterxml.jackson.databind.node.ObjectNode) Json.plain().readTree(e.getResponseBody())
                        .path("ResponseMetadata").path("Error");
                error.put("HttpStatus", e.getCode());
                return error;
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
        }
        throw new AssertionError(action + " " + body + " succeeded but an error was expected");
    }

    /** The SDK's answer to a POST, sent as a new request (see {@link FreshSignatures}). */
    private Map<String, Object> send(String action, Map<String, Object> body) throws ApiException {
        ApiException[] refused = new ApiException[1];
        Map<String, Object> reply = FreshSignatures.send(action, body, () -> {
            try {
                return sdk.doCall(new UniversalRequest("emr", action, "2023-12-30", HttpMethod.POST,
                        ContentType.ApplicationJSON), body);
            } catch (ApiException e) {
                refused[0] = e;
                return null;
            }
        });
        if (refused[0] != null) {
            throw refused[0];
        }
        return reply;
    }

    /** The body of a RunApplicationAction request. */
    static Map<String, Object> action(String clusterId, String actionName, String scope, String application,
                                      List<String> components, Map<String, String> params) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ClusterId", clusterId);
        body.put("ActionName", actionName);
        body.put("ActionScope", scope);
        body.put("Components", List.of(Map.of("ApplicationName", application, "ComponentNames", components)));
        List<Map<String, String>> list = new ArrayList<>();
        params.forEach((k, v) -> list.add(Map.of("Key", k, "Value", v)));
        if (!list.isEmpty()) {
            body.put("ActionParams", list);
        }
        return body;
    }

    /** applicationConfigs as the JSON string the public API takes. */
    static String configs(String... fileKeyValue) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < fileKeyValue.length; i += 3) {
            sb.append(i == 0 ? "" : ",").append("{\"configFileName\":\"").append(fileKeyValue[i])
                    .append("\",\"configItemKey\":\"").append(fileKeyValue[i + 1])
                    .append("\",\"configItemValue\":\"").append(fileKeyValue[i + 2]).append("\"}");
        }
        return sb.append("]").toString();
    }

    /** Runs the action and waits for its operation to end; returns the final GetOperation Result. */
    JsonNode runAndAwait(Map<String, Object> body) {
        return awaitOperation(call("RunApplicationAction", body).path("OperationId").asText());
    }

    JsonNode operation(String operationId) {
        return call("GetOperation", Map.of("OperationId", operationId));
    }

    JsonNode awaitOperation(String operationId) {
        return OperationWaits.awaitEnd(operationId, Duration.ofSeconds(90), this::operation);
    }

    // --- setup -------------------------------------------------------------------------------

    /** Creates a RUNNING cluster with the applications deployed (catalog defaults); returns its id. */
    String runningCluster(String name, String... applications) {
        List<Map<String, Object>> apps = new ArrayList<>();
        for (String a : applications) {
            apps.add(Map.of("ApplicationName", a));
        }
        JsonNode created = call("CreateVirtualCluster", Map.of("ClusterName", name, "ReleaseVersion", RELEASE,
                "VkeCluster", Map.of("VkeClusterId", "sandbox"), "Applications", apps));
        OperationWaits.requireSuccess("CreateCluster", awaitOperation(created.path("OperationId").asText()));
        return created.path("ClusterId").asText();
    }

    /** Adds a RUNNING RayCluster instance. */
    void addRayCluster(String clusterId, String releaseName) {
        JsonNode r = call("CreateComponentInstance", Map.of("ClusterId", clusterId, "ApplicationName", "Ray",
                "ComponentName", "RayCluster", "ReleaseName", releaseName));
        OperationWaits.requireSuccess("CreateComponentInstance", awaitOperation(r.path("OperationId").asText()));
    }

    static String suffix(String clusterId) {
        return clusterId.substring(4, 8);
    }

    String namespace(String clusterId) {
        return server.plane().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT namespace FROM clusters WHERE cluster_id = :id").bind("id", clusterId).mapTo(String.class).one());
    }

    // --- observation -------------------------------------------------------------------------

    /** ListComponentInstances items by release name. */
    Map<String, JsonNode> instances(String clusterId) {
        Map<String, JsonNode> out = new TreeMap<>();
        call("ListComponentInstances", Map.of("ClusterId", clusterId, "MaxResults", 100)).path("Items")
                .forEach(i -> out.put(i.path("ReleaseName").asText(), i));
        return out;
    }

    List<Pod> pods(String clusterId, String releaseName) {
        return kube.pods().inNamespace(namespace(clusterId)).withLabel(Labels.INSTANCE, releaseName).list().getItems();
    }

    /** Pod UIDs of the instance, sorted. */
    List<String> podUids(String clusterId, String releaseName) {
        return pods(clusterId, releaseName).stream().map(p -> p.getMetadata().getUid()).sorted().toList();
    }

    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            sleep(50);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static List<String> steps(JsonNode op) {
        List<String> out = new ArrayList<>();
        op.path("Steps").forEach(s -> out.add(s.path("Action").asText() + " " + s.path("ReleaseName").asText() + " "
                + s.path("StepState").asText()));
        return out;
    }

    @Override
    public void close() {
        kube.close();
        server.close();
    }
}
