package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiErrorsAreRetriedOrReportedTest {
    private static final String CONFIG_MAP = "/api/v1/namespaces/emr-ns-1/configmaps/shs-1-config";
    private final MockCluster cluster = new MockCluster(false);
    private final KubernetesRuntime runtime = cluster.runtime("test");

    @AfterEach
    void close() {
        runtime.close();
        cluster.close();
    }

    @Test
    void transientServerErrorsAreRetriedUntilTheCallSucceeds() {
        cluster.server.expect().get().withPath(CONFIG_MAP).andReturn(503, status(503, "etcd leader changed")).times(2);

        ApplyResult result = runtime.apply(Fixtures.deployment("shs-1", List.of()));

        assertThat(result.created()).contains("ConfigMap/shs-1-config", "Deployment/shs-1");
    }

    @Test
    void transientErrorsThatNeverStopFailWithTheApisMessage() {
        cluster.server.expect().get().withPath(CONFIG_MAP).andReturn(503, status(503, "etcd leader changed")).always();

        assertThatThrownBy(() -> runtime.apply(Fixtures.deployment("shs-1", List.of())))
                .isInstanceOfSatisfying(RuntimeFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(RuntimeFailure.Reason.API_UNAVAILABLE);
                    assertThat(f.retryable()).isTrue();
                })
                .hasMessageContaining("get ConfigMap shs-1-config: still failing after 3 attempts: etcd leader changed");
    }

    @Test
    void aPermanentRejectionFailsAtOnceWithTheApisMessage() {
        cluster.server.expect().get().withPath(CONFIG_MAP)
                .andReturn(403, status(403, "configmaps \"shs-1-config\" is forbidden: User \"emr\" cannot get")).once();

        assertThatThrownBy(() -> runtime.apply(Fixtures.deployment("shs-1", List.of())))
                .isInstanceOfSatisfying(RuntimeFailure.class, f -> assertThat(f.reason()).isEqualTo(RuntimeFailure.Reason.API_REJECTED))
                .hasMessageContaining("is forbidden: User \"emr\" cannot get");
    }

    private static io.fabric8.kubernetes.api.model.Status status(int code, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withMessage(message).build();
    }
}
