package io.emrvke.server.sandbox.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object of refused-objects.yaml is sent to a real API server (creates as server-side dry runs; an update
 * stores its old object first, then dry-runs the new one) and the answer is compared with two things: the
 * answer recorded in api-server-answers.yaml (so the unit test's table is what a real server says) and what
 * {@link Admission} answers for the same object. Every answer is written to
 * {@code target/admission/api-server-answers.yaml}; after a change to the cases, review that file and copy it
 * to src/test/resources/admission. Runs against the admin kubeconfig in EMR_VKE_REALK8S_KUBECONFIG (e2e/realk8s);
 * without it the test is skipped, or fails under CI=true.
 */
@Tag("realk8s")
class AdmissionAgreesWithARealApiServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> COLLECTIONS = Map.ofEntries(
            Map.entry("Deployment", "/apis/apps/v1/namespaces/{ns}/deployments"),
            Map.entry("StatefulSet", "/apis/apps/v1/namespaces/{ns}/statefulsets"),
            Map.entry("Pod", "/api/v1/namespaces/{ns}/pods"),
            Map.entry("ConfigMap", "/api/v1/namespaces/{ns}/configmaps"),
            Map.entry("Secret", "/api/v1/namespaces/{ns}/secrets"),
            Map.entry("Service", "/api/v1/namespaces/{ns}/services"),
            Map.entry("ServiceAccount", "/api/v1/namespaces/{ns}/serviceaccounts"),
            Map.entry("Namespace", "/api/v1/namespaces"),
            Map.entry("Role", "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles"),
            Map.entry("RoleBinding", "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings"),
            Map.entry("RayCluster", "/apis/ray.io/v1/namespaces/{ns}/rayclusters"));
    private static final Map<String, RefusedObjects.Answer> CAPTURED = new LinkedHashMap<>();
    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void connect() throws Exception {
        String kubeconfig = System.getenv("EMR_VKE_REALK8S_KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isBlank()) {
            String reason = "EMR_VKE_REALK8S_KUBECONFIG is not set: no real API server to compare with (start one"
                    + " with e2e/realk8s/cluster up)";
            if ("true".equals(System.getenv("CI"))) {
                fail(reason + ", under CI=true");
            }
            Assumptions.abort(reason);
        }
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Path.of(kubeconfig)))).build();
        namespace = "admission-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                .build()).create();
        // pods are admitted only once the namespace's default service account exists
        client.serviceAccounts().inNamespace(namespace).withName("default").waitUntilCondition(sa -> sa != null,
                60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void writeAnswersAndCleanUp() throws Exception {
        Path out = Path.of("target", "admission", "api-server-answers.yaml");
        Files.createDirectories(out.getParent());
        Map<String, RefusedObjects.Answer> ordered = new LinkedHashMap<>();
        RefusedObjects.cases().forEach(c -> {
            if (CAPTURED.containsKey(c.name())) {
                ordered.put(c.name(), CAPTURED.get(c.name()));
            }
        });
        Files.writeString(out, RefusedObjects.yaml(ordered));
        if (client != null) {
            client.namespaces().withName(namespace).delete();
            client.close();
        }
    }

    static Stream<RefusedObjects.Case> cases() {
        return RefusedObjects.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theSandboxRefusesAsTheApiServerDoes(RefusedObjects.Case c) throws Exception {
        String kind = c.object().get("kind").asText();
        String ns = kind.equals("Namespace") ? null : namespace;
        ObjectNode sent = c.asValidated(ns, null);
        JsonNode stored = null;
        JsonNode answer;
        if (c.old() == null) {
            answer = send("POST", collection(kind), sent, ns, true);
        } else {
            send("POST", collection(kind), c.old().deepCopy(), ns, false);
            String path = collection(kind) + "/" + name(c.object());
            do { // a controller may write the stored object (its status) between the read and the update
                stored = send("GET", path, null, ns, false);
                answer = send("PUT", path, withVersionOf(sent.deepCopy(), stored), ns, true);
            } while (answer.path("code").asInt() == 409);
        }
        int code = answer.path("code").asInt();
        assertThat(code).as("the API server refuses it (%s)", answer).isIn(400, 422);

        String generated = c.generatedName() == null ? null : answer.path("details").path("name").asText();
        RefusedObjects.Answer real = normalised(answer, generated, c.generatedName());
        CAPTURED.put(c.name(), real);
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(RefusedObjects.answers().get(c.name()))
                .as("the recorded answer (after review, copy target/admission/api-server-answers.yaml)")
                .isEqualTo(real);
        ObjectNode validated = c.asValidated(ns, generated);
        if (code == 400) {
            soft.assertThat(Admission.decodeError(validated)).as("decoding").contains(answer.get("message").asText());
        } else {
            soft.assertThat(Admission.check(validated, stored)).as("causes").isEqualTo(causes(answer));
            soft.assertThat(Admission.refusal(validated, stored)).as("Status").contains((ObjectNode) answer);
        }
        soft.assertAll();
    }

    private static JsonNode send(String method, String path, ObjectNode object, String ns, boolean dryRun)
            throws Exception {
        if (ns != null && object != null) {
            object.with("metadata").put("namespace", ns);
        }
        String url = client.getMasterUrl().toString().replaceAll("/$", "")
                + path.replace("{ns}", ns == null ? "" : ns) + (dryRun ? "?dryRun=All" : "");
        HttpRequest.Builder request = client.getHttpClient().newHttpRequestBuilder().uri(url);
        String body = object == null ? null : JSON.writeValueAsString(object);
        request = switch (method) {
            case "POST" -> request.post("application/json", body);
            case "PUT" -> request.put("application/json", body);
            default -> request;
        };
        HttpResponse<String> response = client.getHttpClient().sendAsync(request.build(), String.class)
                .get(30, TimeUnit.SECONDS);
        return JSON.readTree(response.body());
    }

    private static ObjectNode withVersionOf(ObjectNode object, JsonNode stored) {
        object.with("metadata").put("resourceVersion", stored.path("metadata").path("resourceVersion").asText());
        return object;
    }

    /** The answer with the generated name replaced by the one the recorded answers use. */
    private static RefusedObjects.Answer normalised(JsonNode status, String generated, String recordedName) {
        String message = status.get("message").asText();
        if (status.get("code").asInt() == 400) {
            return new RefusedObjects.Answer(message, null, List.of());
        }
        List<Cause> causes = new ArrayList<>();
        for (Cause c : causes(status)) {
            causes.add(new Cause(c.reason(), c.field(), rename(c.message(), generated, recordedName)));
        }
        return new RefusedObjects.Answer(null, rename(message, generated, recordedName), causes);
    }

    private static String rename(String text, String generated, String recordedName) {
        return generated == null ? text : text.replace(generated, recordedName);
    }

    private static List<Cause> causes(JsonNode status) {
        List<Cause> out = new ArrayList<>();
        status.path("details").path("causes").forEach(c -> out.add(new Cause(c.path("reason").asText(),
                c.path("field").asText(), c.path("message").asText())));
        return out;
    }

    private static String collection(String kind) {
        return COLLECTIONS.get(kind);
    }

    private static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }
}
