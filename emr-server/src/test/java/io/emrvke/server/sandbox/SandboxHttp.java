package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Raw HTTPS to a sandbox's API, trusting its certificate, with its token or another (or none). */
final class SandboxHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private final Sandbox sandbox;
    private final String token;
    private final HttpClient http;

    record Answer(int code, String body, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + code + "): " + body, e);
            }
        }
    }

    SandboxHttp(Sandbox sandbox, String token) {
        this.sandbox = sandbox;
        this.token = token;
        this.http = HttpClient.newBuilder().sslContext(trusting(sandbox.certificateAuthority()))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** With the token from the kubeconfig the sandbox writes. */
    static SandboxHttp withItsToken(Sandbox sandbox) {
        return new SandboxHttp(sandbox, sandbox.clientConfig().getAutoOAuthToken());
    }

    static SSLContext trusting(String pem) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("sandbox", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.url() + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    Answer get(String path) {
        return send(request(path).GET().build());
    }

    Answer send(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build());
    }

    Answer post(String path, String body) {
        return send("POST", path, "application/json", body);
    }

    Answer put(String path, String body) {
        return send("PUT", path, "application/json", body);
    }

    Answer patch(String path, String contentType, String body) {
        return send("PATCH", path, contentType, body);
    }

    Answer delete(String path) {
        return send("DELETE", path, null, null);
    }

    private Answer send(HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A chunked watch: each line is one event, handed over as JSON as it arrives. */
    Stream stream(String path) {
        try {
            HttpResponse<InputStream> r = http.send(request(path).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            return new Stream(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A watch over a WebSocket: its text messages, one event each. */
    Stream webSocket(String path) {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        java.net.http.WebSocket.Builder b = http.newWebSocketBuilder();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        java.net.http.WebSocket socket = b.buildAsync(URI.create(sandbox.url().replace("https://", "wss://") + path),
                new java.net.http.WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws,
                                                                          CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            messages.add(partial.toString());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int status,
                                                                           String reason) {
                        closed.set(true);
                        return null;
                    }
                }).join();
        return new Stream(messages, closed, () -> socket.abort());
    }

    static final class Stream implements AutoCloseable {
        final int code;
        private final Runnable closer;
        private final BlockingQueue<String> lines;
        private final java.util.concurrent.atomic.AtomicBoolean ended;

        private Stream(BlockingQueue<String> lines, java.util.concurrent.atomic.AtomicBoolean ended, Runnable closer) {
            this.code = 101;
            this.lines = lines;
            this.ended = ended;
            this.closer = closer;
        }

        Stream(int code, InputStream body) {
            this.code = code;
            this.lines = new LinkedBlockingQueue<>();
            this.ended = new java.util.concurrent.atomic.AtomicBoolean();
            this.closer = () -> {
                try {
                    body.close();
                } catch (IOException e) {
                    // already closed
                }
            };
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // closed by the test
                } finally {
                    ended.set(true);
                }
            }, "watch-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** The next event, or null when none came within the timeout. */
        JsonNode next(Duration timeout) throws Exception {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return line == null ? null : JSON.readTree(line);
        }

        /** Events until {@code count} arrived or the timeout passed. */
        List<JsonNode> take(int count, Duration timeout) throws Exception {
            List<JsonNode> got = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (got.size() < count && System.nanoTime() < deadline) {
                JsonNode e = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (e != null) {
                    got.add(e);
                }
            }
            return got;
        }

        /** Whether the server ended the stream within the timeout. */
        boolean endsWithin(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ended.get() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return ended.get() && lines.isEmpty();
        }

        @Override
        public void close() {
            closer.run();
        }
    }
}
