package io.emrvke.server.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.emrvke.api.client.EmrApiException;
import io.emrvke.bench.ConfigItemLoad;
import io.emrvke.server.catalog.ConfigItems;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process with a 1 GB heap (-Xmx1g; an OutOfMemoryError ends it) takes four concurrent
 * CreateVirtualCluster requests at the config item limit, 500 Ray __envs__ items of 1,000 characters each (the
 * per-instance size limit allows no more), answers all four and deploys all four clusters; its GC log shows the
 * heap it used. One item over the limit is refused with 400 naming the limit. Before the limits, four requests
 * of 10,000 items grew a server's heap to 6.1 GB.
 */
class FourRequestsAtTheConfigItemLimitFitInAGigabyteOfHeapTest {
    private static final int VALUE_CHARS = 1_000;

    @TempDir
    Path tmp;

    @Test
    void fourConcurrentCreatesAtTheItemLimitAreAnsweredAndDeployedWithinAGigabyteOfHeap() throws Exception {
        Path gcLog = tmp.resolve("gc.log");
        try (ServerProcess server = ServerProcess.start("heap", tmp.resolve("logs"), List.of("-Xmx1g",
                        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
                        "-Xlog:gc:file=" + gcLog),
                List.of("--data-dir", tmp.resolve("data").toString(), "--sandbox-pod-ready-ms", "100",
                        "--rate-limit", "0"))) {
            List<ConfigItemLoad.Call> calls = ConfigItemLoad.run(server.client(), 4,
                    ConfigItems.MAX_ITEMS_PER_REQUEST, VALUE_CHARS);
            EmrApiException over = catchThrowableOfType(EmrApiException.class, () -> server.client().call(
                    "CreateVirtualCluster", ConfigItemLoad.createBody("over", ConfigItems.MAX_ITEMS_PER_REQUEST + 1,
                            VALUE_CHARS)));
            ConfigItemLoad.Heap heap = ConfigItemLoad.heap(gcLog);
            System.out.println("4 requests at the item limit: " + calls + "; heap " + heap);

            assertThat(calls).extracting(ConfigItemLoad.Call::answer).allMatch(a -> a.startsWith("op-"));
            assertThat(calls).extracting(ConfigItemLoad.Call::operationState).containsOnly("SUCCESS");
            assertThat(over.httpStatus()).isEqualTo(400);
            assertThat(over.code()).isEqualTo("InvalidParameter");
            assertThat(over.apiMessage()).contains("501 config items", "at most 500 config items");
            assertThat(server.isAlive()).as("no OutOfMemoryError ended it").isTrue();
            assertThat(server.logText()).doesNotContain("OutOfMemoryError");
            assertThat(heap.collections()).as("the GC log was read").isPositive();
            assertThat(heap.peakUsedMib()).isLessThan(1024);
        }
    }
}
