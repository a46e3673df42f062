package io.emrvke.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrApiException;
import io.emrvke.api.client.EmrClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Concurrent CreateVirtualCluster requests that each give Ray {@code items} __envs__ config items of
 * {@code valueChars} characters; each caller waits for its CreateCluster operation to end. Prints what each
 * answer took, how the operations ended and, given the server's GC log, its heap. Used by
 * bench/config-limit-bench.sh and by the test that keeps four such requests within a gigabyte of heap.
 *
 * <pre>
 * java -cp ... io.emrvke.bench.ConfigItemLoad --endpoint 127.0.0.1:8080 --concurrency 4 --items 500 \
 *      --value-chars 1000 [--rounds 1] [--gc-log serve-gc.log]
 * </pre>
 * Credentials come from VOLCENGINE_ACCESS_KEY / VOLCENGINE_SECRET_KEY.
 */
public final class ConfigItemLoad {
    private static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILED", "CANCEL", "SKIP");
    /** A GC log line's heap change, e.g. {@code 245M->31M(1024M)}. */
    private static final Pattern HEAP_CHANGE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    /** One caller's request: its answer (OperationId, or the error code) after how long, and how it ended. */
    public record Call(String answer, long answerMillis, String operationState, long operationMillis) {
    }

    /**
     * Heap figures of a GC log (MiB): the most in use before a collection, and the most still in use right after
     * one (young collections leave old garbage behind, so this bounds the live set from above).
     */
    public record Heap(long peakUsedMib, long maxAfterGcMib, int collections) {
    }

    private ConfigItemLoad() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        EmrClient client = EmrClient.builder().endpoint(args.getOrDefault("endpoint", "127.0.0.1:8080"))
                .credentials(System.getenv("VOLCENGINE_ACCESS_KEY"), System.getenv("VOLCENGINE_SECRET_KEY"))
                .requestTimeout(Duration.ofMinutes(10)).build();
        int concurrency = Integer.parseInt(args.getOrDefault("concurrency", "4"));
        int items = Integer.parseInt(args.getOrDefault("items", "500"));
        int valueChars = Integer.parseInt(args.getOrDefault("value-chars", "1000"));
        System.out.printf("%d concurrent CreateVirtualCluster, each with %d items of %d characters (%d bytes)%n",
                concurrency, items, valueChars, createBody("bench", items, valueChars).length());
        for (int round = 1; round <= Integer.parseInt(args.getOrDefault("rounds", "1")); round++) {
            long start = System.nanoTime();
            List<Call> calls = run(client, concurrency, items, valueChars);
            calls.forEach(c -> System.out.printf("  %s after %d ms; operation %s after %d ms%n", c.answer(),
                    c.answerMillis(), c.operationState(), c.operationMillis()));
            System.out.printf("round %d done in %d ms%n", round, (System.nanoTime() - start) / 1_000_000);
        }
        if (args.containsKey("gc-log")) {
            Heap heap = heap(Path.of(args.get("gc-log")));
            System.out.printf("server heap: peak in use %d MiB, most in use after a GC %d MiB (%d collections)%n",
                    heap.peakUsedMib(), heap.maxAfterGcMib(), heap.collections());
        }
    }

    /** {@code concurrency} callers at once, each sending one request and waiting for its operation. */
    public static List<Call> run(EmrClient client, int concurrency, int items, int valueChars)
            throws InterruptedException {
        ExecutorService callers = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Call>> futures = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                String body = createBody("load-" + i, items, valueChars);
                futures.add(callers.submit(() -> createAndAwait(client, body)));
            }
            List<Call> calls = new ArrayList<>();
            for (Future<Call> f : futures) {
                try {
                    calls.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    calls.add(new Call("failed: " + e.getCause(), -1, "none", -1));
                }
            }
            return calls;
        } finally {
            callers.shutdownNow();
        }
    }

    /** A CreateVirtualCluster body giving Ray {@code items} __envs__ items (keys K_0.., values of valueChars). */
    public static String createBody(String clusterName, int items, int valueChars) {
        StringBuilder sb = new StringBuilder("{\"ClusterName\":\"").append(clusterName)
                .append("\",\"ReleaseVersion\":\"EMR-VKE-1.8.0\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\"},")
                .append("\"Applications\":[{\"ApplicationName\":\"Ray\",\"ApplicationConfigs\":[");
        String filler = "x".repeat(Math.max(0, valueChars - 6));
        for (int i = 0; i < items; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"ConfigFileName\":\"__envs__\",\"ConfigItemKey\":\"K_").append(i)
                    .append("\",\"ConfigItemValue\":\"").append(String.format("%06d", i)).append(filler)
                    .append("\"}");
        }
        return sb.append("]}]}").toString();
    }

    /** The heap figures of a HotSpot {@code -Xlog:gc} file. */
    public static Heap heap(Path gcLog) {
        long peak = 0;
        long after = 0;
        int collections = 0;
        try {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = HEAP_CHANGE.matcher(line);
                if (m.find()) {
                    peak = Math.max(peak, mib(m.group(1), m.group(2)));
                    after = Math.max(after, mib(m.group(3), m.group(4)));
                    collections++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Heap(peak, after, collections);
    }

    private static Call createAndAwait(EmrClient client, String body) throws InterruptedException {
        long start = System.nanoTime();
        String operationId;
        try {
            operationId = client.call("CreateVirtualCluster", body).path("Result").path("OperationId").asText();
        } catch (EmrApiException e) {
            return new Call(e.httpStatus() + " " + e.code(), millisSince(start), "none", -1);
        }
        long answered = millisSince(start);
        while (true) {
            JsonNode op = client.call("GetOperation", "{\"OperationId\":\"" + operationId + "\"}").path("Result");
            String state = op.path("OperationState").asText();
            if (TERMINAL.contains(state)) {
                return new Call(operationId, answered, state, millisSince(start));
            }
            Thread.sleep(200);
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static long mib(String amount, String unit) {
        long n = Long.parseLong(amount);
        return switch (unit) {
            case "K" -> n / 1024;
            case "G" -> n * 1024;
            default -> n;
        };
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            out.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        return out;
    }
}
