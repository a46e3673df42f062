package io.emrvke.server.operation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm's Go library takes SIGTERM for itself when it loads (at the first chart render); the server
 * must still stop gracefully on SIGTERM after that: the engine stops, the exit code says SIGTERM,
 * and the access log written by its background thread is complete up to the last request.
 */
class SigtermAfterAChartRenderStopsGracefullyTest {
    @TempDir
    Path tmp;
    private ServerProcess server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sigtermAfterARenderRunsTheGracefulStop() {
        server = ServerProcess.start("sigterm", tmp.resolve("logs"), List.of("--data-dir", tmp.resolve("data").toString(),
                "--sandbox-pod-ready-ms", "100", "--rate-limit", "0"));
        EmrClient client = server.client();
        String operationId = client.call("CreateVirtualCluster", "{\"ClusterName\":\"sigterm\",\"ReleaseVersion\":"
                + "\"EMR-VKE-1.8.0\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\"},\"Applications\":"
                + "[{\"ApplicationName\":\"Spark\"}]}").path("Result").path("OperationId").asText();
        JsonNode last = awaitSuccess(client, operationId);
        String lastRequestId = last.path("ResponseMetadata").path("RequestId").asText();

        int exit = server.terminate(30);

        assertThat(exit).as("exit code after SIGTERM").isEqualTo(128 + 15);
        String log = server.logText();
        assertThat(log).contains("Operation engine").contains("stopped");
        assertThat(log).as("the last request's access-log line was written before exit")
                .contains("requestId=" + lastRequestId);
    }

    private static JsonNode awaitSuccess(EmrClient client, String operationId) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonNode answer = client.call("GetOperation", "{\"OperationId\":\"" + operationId + "\"}");
            String state = answer.path("Result").path("OperationState").asText();
            if (state.equals("SUCCESS")) {
                return answer;
            }
            if (List.of("FAILED", "CANCEL", "SKIP").contains(state) || System.currentTimeMillis() > deadline) {
                throw new AssertionError("CreateCluster did not succeed: " + answer);
            }
            ServerProcess.sleep(200);
        }
    }
}
