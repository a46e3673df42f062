package io.emrvke.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** What the API benches share: waiting for operations, percentiles, and what the machine was doing. */
final class BenchOperations {
    static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILED", "CANCEL", "SKIP");
    private static final long TIMEOUT_MILLIS = 600_000;

    private BenchOperations() {
    }

    /** GetOperation every {@code pollMillis} until the operation is in a terminal state (10 minutes at most). */
    static JsonNode awaitEnd(EmrClient client, String operationId, long pollMillis) {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (true) {
            JsonNode op = client.call("GetOperation", Map.of("OperationId", operationId)).path("Result");
            if (TERMINAL.contains(op.path("OperationState").asText())) {
                return op;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("operation never ended: " + op);
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static JsonNode requireSuccess(JsonNode op) {
        if (!"SUCCESS".equals(op.path("OperationState").asText())) {
            throw new IllegalStateException("operation did not succeed: " + op);
        }
        return op;
    }

    /** Nearest rank: the smallest value with at least {@code p} % of the values at or below it. */
    static long percentile(long[] sorted, int p) {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }

    /** The 1, 5 and 15 minute load averages (the machine's cores are shared with other work). */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** CPU time of this JVM (the bench, and with it the server and the sandbox when they run in-process). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
