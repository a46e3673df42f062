package io.emrvke.bench;

import io.emrvke.api.signing.Signer;
import io.emrvke.api.signing.SigningRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load generator for the API: N clients, each on its own keep-alive connection,
 * send signed POSTs of one action (or an unsigned GET of a path, the floor) for a duration, and
 * the run prints throughput and latency percentiles. Not a test; see bench/api-load.sh.
 *
 * <pre>
 * java -cp ... io.emrvke.bench.LoadGenerator --endpoint 127.0.0.1:8080 --action GetVirtualCluster \
 *      --body '{"ClusterId":"emr-..."}' --concurrency 32 --seconds 20 --warmup 5
 * java -cp ... io.emrvke.bench.LoadGenerator --endpoint 127.0.0.1:8080 --get /healthz ...
 * </pre>
 * Credentials come from VOLCENGINE_ACCESS_KEY / VOLCENGINE_SECRET_KEY.
 */
public final class LoadGenerator {
    private final String host;
    private final int port;
    private final String action;
    private final byte[] body;
    private final String getPath;
    private final String accessKey;
    private final String secretKey;
    private final String region;

    private LoadGenerator(Map<String, String> args) {
        String endpoint = args.getOrDefault("endpoint", "127.0.0.1:8080");
        this.host = endpoint.substring(0, endpoint.lastIndexOf(':'));
        this.port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        this.action = args.getOrDefault("action", "ListReleaseVersions");
        this.body = args.getOrDefault("body", "{}").getBytes(StandardCharsets.UTF_8);
        this.getPath = args.get("get");
        this.accessKey = System.getenv("VOLCENGINE_ACCESS_KEY");
        this.secretKey = System.getenv("VOLCENGINE_SECRET_KEY");
        this.region = System.getenv().getOrDefault("VOLCENGINE_REGION", "cn-beijing");
        if (getPath == null && (accessKey == null || secretKey == null)) {
            throw new IllegalArgumentException("set VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY for signed calls");
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        int concurrency = Integer.parseInt(args.getOrDefault("concurrency", "32"));
        int seconds = Integer.parseInt(args.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(args.getOrDefault("warmup", "5"));
        LoadGenerator gen = new LoadGenerator(args);
        if (warmup > 0) {
            gen.run(concurrency, warmup);
        }
        Result r = gen.run(concurrency, seconds);
        String what = gen.getPath != null ? "GET " + gen.getPath + " (unsigned)" : "signed " + gen.action;
        System.out.printf("%s, %d clients, %d s: %d ok, %d errors, %.0f req/s, p50 %.2f ms, p90 %.2f ms, "
                        + "p99 %.2f ms, max %.2f ms%n", what, concurrency, seconds, r.ok, r.errors,
                r.ok / (double) seconds, r.percentile(50), r.percentile(90), r.percentile(99), r.percentile(100));
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + argv[i]);
            }
            out.put(argv[i].substring(2), argv[i + 1]);
        }
        return out;
    }

    private Result run(int concurrency, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[concurrency];
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int c = 0; c < concurrency; c++) {
            long[] mine = new long[4_000_000 / concurrency];
            latencies.add(mine);
            int index = c;
            Thread t = new Thread(() -> {
                try {
                    counts[index] = clientLoop(deadline, mine, errors);
                } finally {
                    done.countDown();
                }
            }, "load-" + c);
            t.start();
        }
        done.await();
        long total = Arrays.stream(counts).asLongStream().sum();
        long[] all = new long[(int) total];
        int at = 0;
        for (int c = 0; c < concurrency; c++) {
            System.arraycopy(latencies.get(c), 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return new Result(total, errors.get(), all);
    }

    /** One client: a keep-alive connection, reopened after any error; returns how many succeeded. */
    private int clientLoop(long deadline, long[] latencies, AtomicLong errors) {
        int n = 0;
        while (System.nanoTime() < deadline && n < latencies.length) {
            try (Socket socket = new Socket(host, port)) {
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                while (System.nanoTime() < deadline && n < latencies.length) {
                    long start = System.nanoTime();
                    out.write(request());
                    out.flush();
                    int status = readResponse(in);
                    long took = System.nanoTime() - start;
                    if (status == 200) {
                        latencies[n++] = took;
                    } else {
                        errors.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                errors.incrementAndGet();
            }
        }
        return n;
    }

    private byte[] request() {
        StringBuilder head = new StringBuilder(512);
        if (getPath != null) {
            head.append("GET ").append(getPath).append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port)
                    .append("\r\n\r\n");
            return head.toString().getBytes(StandardCharsets.US_ASCII);
        }
        String xDate = Signer.xDate(Instant.now());
        List<Map.Entry<String, String>> query = List.of(new AbstractMap.SimpleEntry<>("Action", action),
                new AbstractMap.SimpleEntry<>("Version", "2023-12-30"));
        String auth = Signer.authorization(accessKey, secretKey, xDate, region, "emr",
                new SigningRequest("POST", query, Map.of("x-date", xDate), body), List.of("x-date"));
        head.append("POST /?Action=").append(action).append("&Version=2023-12-30 HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("X-Date: ").append(xDate).append("\r\n")
                .append("Authorization: ").append(auth).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** Reads one HTTP/1.1 response (Content-Length or chunked) and returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null || statusLine.length() < 12) {
            throw new IOException("connection closed");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            String lower = line.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            long size;
            while ((size = Long.parseLong(readLine(in).trim().split(";")[0], 16)) > 0) {
                skip(in, size);
                readLine(in);
            }
            readLine(in);
        } else if (length > 0) {
            skip(in, length);
        }
        return status;
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("truncated body");
                }
                s = 1;
            }
            n -= s;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private record Result(long ok, long errors, long[] sortedNanos) {
        double percentile(int p) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p / 100.0 * sortedNanos.length) - 1);
            return sortedNanos[Math.max(0, i)] / 1e6;
        }
    }
}
