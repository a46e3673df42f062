package io.emrvke.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.Json;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.Role;
import io.emrvke.server.gateway.BadRequestGenerator;
import io.emrvke.server.gateway.ClientLimits;
import io.emrvke.server.gateway.GatewayConfig;
import io.emrvke.server.gateway.NearValidRequests;
import io.emrvke.server.gateway.RawHttp;
import io.emrvke.server.gateway.TestSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every action the real server registers, aimed at on a real cluster with its operations and instances: the
 * gateway's bad-request generator (malformed, mistyped, hostile requests) and near-valid requests (a request
 * the action would accept, changed in one to three places, nested Components, ActionParams, ApplicationConfigs
 * and the JSON inside applicationConfigs included). No request gets a 5xx, and the server keeps answering. An
 * action the server registers without a template here fails the test, so a new action cannot be left out.
 */
class RealServerSurvivesBadRequestsTest {
    private static final String RELEASE = "EMR-VKE-1.8.0";
    private static final int NEAR_VALID_PER_ACTION = 60;

    @Test
    void badAndNearValidRequestsForEveryActionGetNoServerErrorAndTheServerKeepsAnswering() {
        try (RunningServer server = RunningServer.start(c -> c.withSandbox(true, 50).withRateLimit(0, 1)
                .withClientLimits(ClientLimits.DEFAULTS.withAuthFailureLimit(0, 0)))) {
            Credential admin = server.credential(9001, "fuzz", Role.ADMIN);
            Targets targets = Targets.create(EmrClient.builder().endpoint(server.endpoint())
                    .credentials(admin.accessKeyId(), admin.secretKey()).build());
            Map<String, String> templates = templates(targets);
            assertThat(missing(server.plane().actionNames(), templates.keySet()))
                    .as("registered actions without a template in this test").isEmpty();
            TestSigner signer = new TestSigner(admin.accessKeyId(), admin.secretKey(), "cn-beijing", server.endpoint());

            List<BadRequestGenerator.BadRequest> bad = new BadRequestGenerator(signer,
                    GatewayConfig.DEFAULT_MAX_BODY_BYTES, 20261128L).generate(fieldsOf(templates), 2_200);
            List<NearValidRequests.Changed> nearValid = new NearValidRequests(signer, 20261204L)
                    .generate(templates, NEAR_VALID_PER_ACTION);

            List<String> problems = new ArrayList<>();
            int clientErrors = 0;
            for (BadRequestGenerator.BadRequest request : bad) {
                RawHttp.Response r = RawHttp.send("127.0.0.1", server.port(), request.request());
                problems.addAll(serverError(r, request.toString()));
                clientErrors += r.status() >= 400 && r.status() < 500 ? 1 : 0;
            }
            Map<String, Set<String>> answersByAction = new TreeMap<>();
            for (NearValidRequests.Changed request : nearValid) {
                RawHttp.Response r = RawHttp.send("127.0.0.1", server.port(), request.request());
                problems.addAll(serverError(r, request.toString()));
                answersByAction.computeIfAbsent(request.action(), a -> new TreeSet<>())
                        .add(r.status() + " " + r.errorCode());
            }

            assertThat(problems).as("server errors").isEmpty();
            assertThat(bad).hasSizeGreaterThanOrEqualTo(2_000);
            assertThat(clientErrors).isGreaterThan(bad.size() * 8 / 10);
            assertThat(answersByAction.keySet()).containsExactlyInAnyOrderElementsOf(templates.keySet());
            assertThat(answersByAction).as("near-valid requests get past each action's first check")
                    .allSatisfy((action, answers) -> assertThat(answers).as(action).hasSizeGreaterThan(1));
            assertThat(RawHttp.send("127.0.0.1", server.port(), signer.post("GetVirtualCluster",
                    "{\"ClusterId\":\"" + targets.clusterId() + "\"}")).status()).isEqualTo(200);
        }
    }

    /**
     * What the templates aim at: a RUNNING cluster with Ray (its RayCluster instance, its CreateCluster
     * operation), and a second cluster that DeleteVirtualCluster may delete.
     */
    private record Targets(String clusterId, String operationId, String rayCluster, String doomedClusterId) {
        static Targets create(EmrClient client) {
            JsonNode main = client.call("CreateVirtualCluster", "{\"ClusterName\":\"fuzz\",\"ReleaseVersion\":\""
                    + RELEASE + "\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\"},\"Applications\":"
                    + "[{\"ApplicationName\":\"Ray\"}]}").path("Result");
            JsonNode doomed = client.call("CreateVirtualCluster", "{\"ClusterName\":\"doomed\",\"ReleaseVersion\":\""
                    + RELEASE + "\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\"}}").path("Result");
            awaitSuccess(client, main.path("OperationId").asText());
            awaitSuccess(client, doomed.path("OperationId").asText());
            String clusterId = main.path("ClusterId").asText();
            return new Targets(clusterId, main.path("OperationId").asText(), "raycluster-" + clusterId.substring(4, 8),
                    doomed.path("ClusterId").asText());
        }
    }

    /** Per action, a request it would accept; the generators change it. */
    private static Map<String, String> templates(Targets t) {
        String cluster = "\"ClusterId\":\"" + t.clusterId() + "\"";
        String ray = "\"ApplicationName\":\"Ray\",\"ComponentName\":\"RayCluster\"";
        String configs = "[{\"configFileName\":\"__envs__\",\"configItemKey\":\"RAY_FUZZ\",\"configItemValue\":\"1\"},"
                + "{\"configFileName\":\"ray-cluster-values.yaml\",\"configItemKey\":\"worker_replicas\","
                + "\"configItemValue\":\"1\"}]";
        Map<String, String> out = new LinkedHashMap<>();
        out.put("ListReleaseVersions", "{\"ReleaseVersions\":[\"" + RELEASE + "\"]}");
        out.put("CreateVirtualCluster", "{\"ClusterName\":\"fuzzed\",\"ReleaseVersion\":\"" + RELEASE
                + "\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\"},\"ProjectName\":\"default\",\"Applications\":"
                + "[{\"ApplicationName\":\"Hive\",\"ApplicationConfigs\":[{\"ConfigFileName\":\"hive-site.xml\","
                + "\"ConfigItemKey\":\"hive.metastore.port\",\"ConfigItemValue\":\"9083\"},{\"ConfigFileName\":"
                + "\"__envs__\",\"ConfigItemKey\":\"DB_PASSWORD\",\"ConfigItemValue\":\"s3cret\"}]}]}");
        out.put("ListVirtualClusters", "{\"ClusterIds\":[\"" + t.clusterId() + "\"],\"ClusterName\":\"fuzz\","
                + "\"ClusterStates\":[\"RUNNING\"],\"ProjectName\":\"default\",\"MaxResults\":10,\"NextToken\":0}");
        out.put("GetVirtualCluster", "{" + cluster + "}");
        out.put("DeleteVirtualCluster", "{\"ClusterId\":\"" + t.doomedClusterId() + "\"}");
        out.put("DeployApplications", "{" + cluster + ",\"Applications\":[{\"ApplicationName\":\"ZooKeeper\","
                + "\"ApplicationConfigs\":[{\"ConfigFileName\":\"zoo.cfg\",\"ConfigItemKey\":\"tickTime\","
                + "\"ConfigItemValue\":\"2000\"}]}]}");
        out.put("ListApplications", "{" + cluster + ",\"MaxResults\":10,\"NextToken\":0}");
        out.put("UndeployApplications", "{" + cluster + ",\"ApplicationNames\":[\"Kyuubi\"]}");
        out.put("RunApplicationAction", "{" + cluster + ",\"ActionName\":\"restart\",\"ActionScope\":\"COMPONENT\","
                + "\"Components\":[{\"ApplicationName\":\"Ray\",\"ComponentNames\":[\"RayCluster\"]}],"
                + "\"ActionParams\":[{\"Key\":\"releaseName\",\"Value\":\"" + t.rayCluster() + "\"},"
                + "{\"Key\":\"applicationConfigs\",\"Value\":" + jsonString(configs) + "},"
                + "{\"Key\":\"batchSize\",\"Value\":\"1\"},{\"Key\":\"batchIntervalSeconds\",\"Value\":\"0\"},"
                + "{\"Key\":\"failureStrategy\",\"Value\":\"BLOCK\"},{\"Key\":\"timeoutSeconds\",\"Value\":\"60\"},"
                + "{\"Key\":\"dryRun\",\"Value\":\"true\"}],\"Remark\":\"fuzz\"}");
        out.put("GetOperation", "{\"OperationId\":\"" + t.operationId() + "\"}");
        out.put("ListOperations", "{\"ClusterIds\":[\"" + t.clusterId() + "\"],\"OperationStates\":[\"SUCCESS\"],"
                + "\"OperationNames\":[\"CreateCluster\"],\"CreateTimeAfter\":0,\"CreateTimeBefore\":9999999999999,"
                + "\"MaxResults\":10,\"NextToken\":0}");
        out.put("CancelOperation", "{\"OperationId\":\"" + t.operationId() + "\"}");
        out.put("ListComponents", "{" + cluster + ",\"ApplicationNames\":[\"Ray\"]}");
        out.put("ListComponentInstances", "{" + cluster + ",\"ApplicationNames\":[\"Ray\"],\"ComponentNames\":"
                + "[\"RayCluster\"],\"ReleaseNames\":[\"" + t.rayCluster() + "\"],\"InstanceStates\":[\"RUNNING\"],"
                + "\"MaxResults\":10,\"NextToken\":0}");
        out.put("CreateComponentInstance", "{" + cluster + "," + ray + ",\"ReleaseName\":\"fuzz-rc\","
                + "\"ApplicationConfigs\":[{\"ConfigFileName\":\"ray-cluster-values.yaml\",\"ConfigItemKey\":"
                + "\"worker_replicas\",\"ConfigItemValue\":\"1\"}]}");
        out.put("DeleteComponentInstance", "{" + cluster + "," + ray + ",\"ReleaseName\":\"fuzz-rc\"}");
        out.put("ListApplicationConfigs", "{" + cluster + ",\"ApplicationName\":\"Ray\",\"ReleaseName\":\""
                + t.rayCluster() + "\",\"ConfigFileName\":\"__envs__\"}");
        out.put("ListApplicationConfigHistories", "{" + cluster + ",\"ApplicationName\":\"Ray\",\"ReleaseName\":\""
                + t.rayCluster() + "\",\"ConfigFileName\":\"__envs__\",\"MaxResults\":10,\"NextToken\":0}");
        return out;
    }

    /** Per action, the top-level fields of its template and ClientToken: what bad requests aim at. */
    private static Map<String, List<String>> fieldsOf(Map<String, String> templates) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        templates.forEach((action, template) -> {
            Set<String> fields = new LinkedHashSet<>();
            parse(template).fieldNames().forEachRemaining(fields::add);
            fields.add("ClientToken");
            out.put(action, List.copyOf(fields));
        });
        return out;
    }

    private static List<String> missing(List<String> registered, Set<String> covered) {
        return registered.stream().filter(a -> !covered.contains(a)).toList();
    }

    private static List<String> serverError(RawHttp.Response r, String request) {
        return r.status() >= 500 ? List.of(r.status() + " for " + request + ": " + r.errorCode() + " "
                + r.errorMessage()) : List.of();
    }

    private static void awaitSuccess(EmrClient client, String operationId) {
        long deadline = System.currentTimeMillis() + 180_000; // generous: the machine may be shared
        String state;
        do {
            state = client.call("GetOperation", "{\"OperationId\":\"" + operationId + "\"}").path("Result")
                    .path("OperationState").asText();
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("operation " + operationId + " still " + state);
            }
        } while (!Set.of("SUCCESS", "FAILED", "CANCEL").contains(state) && sleep(50));
        assertThat(state).as("setup operation " + operationId).isEqualTo("SUCCESS");
    }

    private static String jsonString(String text) {
        return Json.plain().getNodeFactory().textNode(text).toString();
    }

    private static JsonNode parse(String json) {
        try {
            return Json.plain().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
