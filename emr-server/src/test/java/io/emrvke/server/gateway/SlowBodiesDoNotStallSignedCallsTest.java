package io.emrvke.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.RunningServer;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue 8, scaled up, against a real server: 200 connections, each from an address of
 * its own, declare a 100,000-byte body and send it one byte every 2 s, and come back whenever the
 * server drops them; half send no Authorization, half a real access key with a wrong signature (so
 * that their bodies are read). Meanwhile a client makes signed calls: their p99 stays under 1 s (a
 * generous bound: they take milliseconds), and once the slow connections are gone the server
 * answers as before.
 */
class SlowBodiesDoNotStallSignedCallsTest {
    private static final int SLOW_CONNECTIONS = 200;
    private static final int DECLARED_BODY = 100_000;
    private static final int BYTE_EVERY_MS = 2_000;
    /** Longer than the body grace (5 s): slow bodies are cut off and come back during the calls. */
    private static final long CALLS_FOR_MS = 12_000;
    private static final long P99_BOUND_MS = 1_000;

    @Test
    void signedCallsStayFastWhileTwoHundredSlowBodiesAreHeldAndTheServerAnswersNormallyAfter() throws Exception {
        try (RunningServer server = RunningServer.start(c -> c.withSandbox(false, 0))) {
            Credential admin = server.credential(1, "root", Role.ADMIN);
            TestSigner signer = new TestSigner(admin.accessKeyId(), admin.secretKey(), "cn-beijing", server.endpoint());
            try (SlowClients slow = new SlowClients(server.port(), signer)) {
                slow.awaitConnected();
                List<Long> latencies = signedCalls(server.port(), signer, CALLS_FOR_MS);
                System.out.printf("signed calls during the attack: %d, p50 %d ms, p99 %d ms, max %d ms%n",
                        latencies.size(), percentile(latencies, 50), percentile(latencies, 99),
                        percentile(latencies, 100));
                assertThat(percentile(latencies, 99)).as("p99 of signed calls in ms during the attack")
                        .isLessThan(P99_BOUND_MS);
                assertThat(latencies).hasSizeGreaterThan(100);

                assertThat(slow.connects.get()).as("slow connections opened").isGreaterThanOrEqualTo(SLOW_CONNECTIONS);
                assertThat(slow.longestBadSignatureHoldMs.get())
                        .as("a body with a real key is read (not refused) until it falls below the minimum rate")
                        .isGreaterThanOrEqualTo(4_000);
                assertThat(slow.answers).as("what the slow connections were answered").contains("401", "408");
            }
            RawHttp.Response after = RawHttp.send("127.0.0.1", server.port(), signer.post("ListVirtualClusters", "{}"));
            assertThat(after.status()).as(after.toString()).isEqualTo(200);
        }
    }

    /** Signed calls, one after the other, each on a new connection; the latency of each (all must be 200). */
    private static List<Long> signedCalls(int port, TestSigner signer, long forMillis) throws InterruptedException {
        List<Long> latencies = new ArrayList<>();
        long end = System.currentTimeMillis() + forMillis;
        while (System.currentTimeMillis() < end) {
            long start = System.nanoTime();
            RawHttp.Response r = RawHttp.send("127.0.0.1", port,
                    signer.post("ListVirtualClusters", "{\"MaxResults\":" + (1 + latencies.size() % 100) + "}"));
            latencies.add((System.nanoTime() - start) / 1_000_000);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            Thread.sleep(20);
        }
        return latencies;
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** 200 threads, each keeping one slow-body connection open from its own loopback address. */
    private static final class SlowClients implements AutoCloseable {
        final AtomicInteger connects = new AtomicInteger();
        final AtomicLong longestBadSignatureHoldMs = new AtomicLong();
        final List<String> answers = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch connected = new CountDownLatch(SLOW_CONNECTIONS);
        private final List<Thread> threads = new ArrayList<>();
        private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        private final int port;
        private final TestSigner signer;
        private volatile boolean stopped;

        SlowClients(int port, TestSigner signer) {
            this.port = port;
            this.signer = signer;
            for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                int n = i;
                Thread t = new Thread(() -> holdOpen(n), "slow-body-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        void awaitConnected() throws InterruptedException {
            assertThat(connected.await(30, TimeUnit.SECONDS)).as("all slow connections opened").isTrue();
        }

        private void holdOpen(int n) {
            boolean realKey = n % 2 == 1;
            InetSocketAddress local = new InetSocketAddress("127.0." + (1 + n / 250) + "." + (1 + n % 250), 0);
            while (!stopped) {
                long opened = System.currentTimeMillis();
                try (Socket socket = new Socket()) {
                    sockets.add(socket);
                    socket.bind(local);
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    connects.incrementAndGet();
                    connected.countDown();
                    String answer = trickle(socket, realKey ? badSignatureHead() : unsignedHead());
                    if (answer != null) {
                        answers.add(answer);
                    }
                    if (realKey) {
                        longestBadSignatureHoldMs.accumulateAndGet(System.currentTimeMillis() - opened, Math::max);
                    }
                } catch (IOException dropped) {
                    // the server closed it: come back, as an attacker would
                }
                pause(BYTE_EVERY_MS);
            }
        }

        /** Sends the head and a byte every 2 s until the server answers or closes; the answer's status. */
        private String trickle(Socket socket, byte[] head) throws IOException {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head);
            out.write('{');
            out.flush();
            socket.setSoTimeout(BYTE_EVERY_MS);
            while (!stopped) {
                try {
                    int b = in.read();
                    if (b < 0) {
                        return null;
                    }
                    byte[] rest = in.readNBytes(11);
                    return new String(rest, StandardCharsets.ISO_8859_1).substring(8, 11);
                } catch (SocketTimeoutException quiet) {
                    out.write(' ');
                    out.flush();
                }
            }
            return null;
        }

        private byte[] unsignedHead() {
            return ("POST /?Action=ListVirtualClusters&Version=2023-12-30 HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + DECLARED_BODY + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }

        /** A real access key and a fresh X-Date (so the head passes every check), but not its signature. */
        private byte[] badSignatureHead() {
            RawHttp.Request signed = signer.post("ListVirtualClusters", "{}");
            String forged = signed.header("Authorization")
                    .replaceAll("Signature=[0-9a-f]+", "Signature=" + "0".repeat(64));
            StringBuilder head = new StringBuilder("POST " + signed.target() + " HTTP/1.1\r\n");
            for (Map.Entry<String, String> h : signed.replacing("Authorization", forged)
                    .replacing("Content-Length", Integer.toString(DECLARED_BODY)).without("Connection").headers()) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        private void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            synchronized (sockets) {
                for (Socket s : sockets) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            }
            for (Thread t : threads) {
                t.interrupt();
                t.join(5_000);
            }
        }
    }
}
