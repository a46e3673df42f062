package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The objects every chart renders from sound values pass the checks a real API server makes; a value it would
 * refuse is found in the rendered object at the field it landed in, and the runtime refuses to apply such a
 * release (a clear failure naming the field instead of the server's 422), creating nothing.
 */
class RenderedObjectsAreCheckedAsARealApiServerChecksThemTest {
    private static final String CONTAINER = "template.spec.containers[0]";
    private static final String WORKER = "spec.workerGroupSpecs[0].";

    private MockCluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.emrvke.server.runtime.EveryChartRendersLabelledObjectsTest#charts")
    void everyChartRendersObjectsARealApiServerAcceptsFromSoundValues(String chart, WorkloadKind kind) {
        ReleaseSpec spec = Fixtures.spec(chart, kind, chart + "-4f2a", List.of(
                Fixtures.file("__envs__", ConfigFormat.ENV, Map.of("JAVA_OPTS", "-Xmx1g", "DB_PASSWORD", "pw")),
                Fixtures.file("site.properties", ConfigFormat.PROPERTIES, Map.of("a.b", "1", "api_token", "t")),
                Fixtures.file(chart + "-values.yaml", ConfigFormat.HELM_VALUES, soundValues(kind))));

        RenderedRelease rendered = Fixtures.renderer().render(spec);

        assertThat(ObjectValidation.violations(rendered)).isEmpty();
    }

    static Stream<Arguments> refusedValues() {
        return Stream.of(
                ray("worker_memory", "2Gx", WORKER + CONTAINER + ".resources.limits.memory",
                        "\"2Gx\" is not a Kubernetes quantity"),
                ray("head_cpu", "two", "spec.headGroupSpec." + CONTAINER + ".resources.limits.cpu",
                        "\"two\" is not a Kubernetes quantity"),
                ray("worker_cpu", "-1", WORKER + CONTAINER + ".resources.limits.cpu", "\"-1\" must not be negative"),
                ray("worker_replicas", "-1", WORKER + "replicas", "-1 is not a count"),
                ray("worker_replicas", "3000000000", WORKER + "replicas", "3000000000 is not a count"),
                ray("worker.groupName", "g".repeat(64), WORKER + "groupName", "is 64 characters long; a label value"),
                ray("head.rayStartParams.num-cpus", "2", "spec.headGroupSpec.rayStartParams.num-cpus",
                        "2 must be a string"),
                deployment("replicas", "1.5", "spec.replicas", "1.5 is not a count"),
                deployment("resources.limits.cpu", "two", "spec." + CONTAINER + ".resources.limits.cpu",
                        "\"two\" is not a Kubernetes quantity"),
                deployment("resources.limits.gpu", "1", "spec." + CONTAINER + ".resources.limits",
                        "\"gpu\" is not a container resource"),
                deployment("imagePullPolicy", "Sometimes", "spec." + CONTAINER + ".imagePullPolicy",
                        "\"Sometimes\" is not an image pull policy"),
                Arguments.of("spark-history-server", "args", "--verbose", "spec." + CONTAINER + ".args",
                        "\"--verbose\" must be a list of strings"));
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @MethodSource("refusedValues")
    void aValueTheApiServerRefusesIsFoundAtTheFieldItLandedIn(String chart, String item, String value, String path,
                                                            String problem) {
        WorkloadKind kind = chart.equals("raycluster") ? WorkloadKind.RAY_CLUSTER : WorkloadKind.DEPLOYMENT;
        ReleaseSpec spec = Fixtures.spec(chart, kind, "rel-1", List.of(
                Fixtures.file("values.yaml", ConfigFormat.HELM_VALUES, Map.of(item, value))));

        List<ObjectValidation.Violation> violations = ObjectValidation.violations(Fixtures.renderer().render(spec));

        assertThat(violations).as("violations").isNotEmpty();
        assertThat(violations.get(0).path()).isEqualTo(path);
        assertThat(violations.get(0).problem()).contains(problem);
        assertThat(violations.get(0).object()).isEqualTo(kind.kind() + " rel-1");
    }

    @Test
    void aRequestAboveItsLimitIsRefusedNamingBoth() {
        ReleaseSpec spec = Fixtures.deployment("rel-1", List.of(Fixtures.file("values.yaml", ConfigFormat.HELM_VALUES,
                Map.of("resources.requests.memory", "4Gi", "resources.limits.memory", "2Gi"))));

        List<ObjectValidation.Violation> violations = ObjectValidation.violations(Fixtures.renderer().render(spec));

        assertThat(violations).singleElement().satisfies(v -> assertThat(v.describe()).isEqualTo("Deployment rel-1"
                + " spec." + CONTAINER + ".resources.requests.memory \"4Gi\" is more than its limit \"2Gi\": a request"
                + " must not exceed the limit"));
    }

    @Test
    void envNamesAndSecretKeysAreCheckedWhereTheyLand() {
        String longSecret = "DB_PASSWORD_" + "X".repeat(250);
        ReleaseSpec spec = Fixtures.deployment("rel-1", List.of(Fixtures.file("__envs__", ConfigFormat.ENV,
                new LinkedHashMap<>(Map.of("1ABC", "v", longSecret, "hidden")))));

        List<ObjectValidation.Violation> violations = ObjectValidation.violations(Fixtures.renderer().render(spec));

        assertThat(violations).extracting(ObjectValidation.Violation::path).contains("data",
                "spec." + CONTAINER + ".env[0].name", "spec." + CONTAINER + ".env[1].valueFrom.secretKeyRef.key");
        assertThat(violations).extracting(ObjectValidation.Violation::describe)
                .noneMatch(d -> d.contains("hidden"));
    }

    @Test
    void theRuntimeRefusesToApplyAReleaseTheApiServerWouldRefuseAndCreatesNothing() {
        cluster = new MockCluster(false);
        KubernetesRuntime runtime = cluster.runtime("test");
        ReleaseSpec spec = Fixtures.deployment("shs-1", List.of(Fixtures.file("values.yaml", ConfigFormat.HELM_VALUES,
                Map.of("memory_requirements", "2Gx"))));

        assertThatThrownBy(() -> runtime.apply(spec)).isInstanceOfSatisfying(RuntimeFailure.class, f -> {
            assertThat(f.reason()).isEqualTo(RuntimeFailure.Reason.INVALID_OBJECT);
            assertThat(f.retryable()).isFalse();
            assertThat(f.getMessage()).isEqualTo("instance shs-1 would be refused by Kubernetes: Deployment shs-1"
                    + " spec." + CONTAINER + ".resources.limits.memory \"2Gx\" is not a Kubernetes quantity (a number"
                    + " with an optional suffix, e.g. 512Mi, 2Gi, 1.5, 250m) (and 1 more)");
        });
        assertThat(cluster.get(ObjectKind.CONFIG_MAP, "emr-ns-1", "shs-1-config")).isNull();
        assertThat(cluster.get(ObjectKind.of(WorkloadKind.DEPLOYMENT), "emr-ns-1", "shs-1")).isNull();
        runtime.close();
    }

    /** Values a user may well set, all sound: quantities in every spelling, counts, string params. */
    private static Map<String, String> soundValues(WorkloadKind kind) {
        if (kind == WorkloadKind.RAY_CLUSTER) {
            return Map.of("head_cpu", "500m", "head_memory", "1.5Gi", "worker_cpu", "2", "worker_memory", "4G",
                    "worker_replicas", "3", "head.rayStartParams.dashboard-host", "127.0.0.1");
        }
        return Map.of("cpu_requirements", "0.5", "memory_requirements", "512Mi", "resources.requests.cpu", "250m",
                "controller_threads", "4");
    }

    private static Arguments ray(String item, String value, String path, String problem) {
        return Arguments.of("raycluster", item, value, path, problem);
    }

    private static Arguments deployment(String item, String value, String path, String problem) {
        return Arguments.of("spark-operator", item, value, path, problem);
    }
}
