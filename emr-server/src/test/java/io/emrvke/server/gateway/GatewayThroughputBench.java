package io.emrvke.server.gateway;

import io.emrvke.api.signing.Signer;
import io.emrvke.api.signing.SigningRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a unit test (no timed assertions): signed GetOperation requests from 32 keep-alive clients
 * for a few seconds, printing requests/s. Run: java -cp test-classes:classes:deps ...GatewayThroughputBench
 */
public final class GatewayThroughputBench {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("emr-vke.access");
        access.setLevel(ch.qos.logback.classic.Level.WARN);
        try (GatewayHarness gw = new GatewayHarness()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            byte[] body = "{\"OperationId\":\"op-1\"}".getBytes(StandardCharsets.UTF_8);
            AtomicLong ok = new AtomicLong();
            AtomicLong bad = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            ExecutorService pool = Executors.newFixedThreadPool(32);
            for (int t = 0; t < 32; t++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        String xDate = Signer.xDate(Instant.now());
                        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                        h.put("X-Date", xDate);
                        String auth = Signer.authorization(GatewayHarness.ADMIN_AK, GatewayHarness.ADMIN_SK, xDate,
                                "cn-beijing", "emr", new SigningRequest("POST",
                                        TestSigner.query("Action", "GetOperation", "Version", "2023-12-30"), h, body),
                                List.of("x-date"));
                        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port()
                                        + "/?Action=GetOperation&Version=2023-12-30"))
                                .header("X-Date", xDate).header("Authorization", auth)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                        try {
                            HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                            (r.statusCode() == 200 ? ok : bad).incrementAndGet();
                        } catch (Exception e) {
                            bad.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            pool.shutdown();
            pool.awaitTermination(seconds + 30L, java.util.concurrent.TimeUnit.SECONDS);
            System.out.printf("ok=%d bad=%d rate=%.0f req/s%n", ok.get(), bad.get(), ok.get() / (double) seconds);
        }
    }
}
