package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.api.client.EmrApiException;
import io.emrvke.server.api.ClusterLifecycleActions;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

class RepeatedOrTooManyNodePoolsAreRefusedTest {

    @StoreTest
    void aRepeatedPoolOrAListOverTheLimitIsInvalidAndCreatesNothing(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            EmrApiException repeated = lp.error("CreateVirtualCluster", body("\"gpu\",\"spot\",\"gpu\""));
            assertThat(repeated.code()).isEqualTo("InvalidParameter");
            assertThat(repeated.apiMessage()).contains("VkeCluster.VkeNodePoolIds.3")
                    .contains("VkeCluster.VkeNodePoolIds.1");

            int tooMany = ClusterLifecycleActions.MAX_NODE_POOLS + 1;
            String pools = IntStream.rangeClosed(1, tooMany).mapToObj(i -> "\"pool-" + i + "\"")
                    .collect(Collectors.joining(","));
            EmrApiException overLimit = lp.error("CreateVirtualCluster", body(pools));
            assertThat(overLimit.code()).isEqualTo("InvalidParameter");
            assertThat(overLimit.apiMessage()).contains("VkeCluster.VkeNodePoolIds")
                    .contains(String.valueOf(tooMany)).contains("at most " + ClusterLifecycleActions.MAX_NODE_POOLS);

            assertThat(lp.call("ListVirtualClusters", "{}").path("TotalCount").asLong()).isZero();
        }
    }

    private static String body(String poolsJson) {
        return "{\"ClusterName\":\"pools\",\"ReleaseVersion\":\"" + LifecyclePlane.RELEASE + "\",\"VkeCluster\":{"
                + "\"VkeClusterId\":\"sandbox\",\"VkeNodePoolIds\":[" + poolsJson + "]}}";
    }
}
