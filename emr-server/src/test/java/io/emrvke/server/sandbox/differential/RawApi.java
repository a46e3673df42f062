package io.emrvke.server.sandbox.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Plain HTTP requests to a Kubernetes API as its kubeconfig says (server, CA, bearer token): the status
 * code and body exactly as the server sent them, which a client library would turn into exceptions. Watches
 * are read as the newline-delimited JSON stream of plain HTTP (not WebSocket), as kubectl reads them.
 */
final class RawApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: the status code and the body (parsed when it is JSON, else a text node). */
    record Answer(int status, JsonNode body) {
    }

    private final HttpClient http;
    private final String server;
    private final String token;

    private RawApi(HttpClient http, String server, String token) {
        this.http = http;
        this.server = server.replaceAll("/+$", "");
        this.token = token;
    }

    /** From the kubeconfig's current context; a client-certificate user is not supported (no target here uses one). */
    static RawApi fromKubeconfig(Path kubeconfig) {
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            if (config.getClientCertData() != null || config.getClientCertFile() != null) {
                throw new IllegalArgumentException(kubeconfig + ": client certificates are not supported here");
            }
            // HTTP/1.1: the JDK client's HTTP/2 gets GOAWAY from kube-apiserver; status and bodies are the same
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .version(HttpClient.Version.HTTP_1_1);
            if (config.getMasterUrl().startsWith("https")) {
                builder.sslContext(trusting(config));
            }
            // fabric8 keeps a kubeconfig user's token as the "auto" token
            String token = config.getOauthToken() != null ? config.getOauthToken() : config.getAutoOAuthToken();
            return new RawApi(builder.build(), config.getMasterUrl(), token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same server with another bearer token (null: none), to see how it answers a bad credential. */
    RawApi withToken(String otherToken) {
        return new RawApi(http, server, otherToken);
    }

    Answer send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = request(path, Duration.ofSeconds(20)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), parse(response.body()));
        } catch (IOException e) {
            return new Answer(-1, JSON.getNodeFactory().textNode("no answer: " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * GETs {@code path} (a watch) and collects its events while {@code during} runs, then for at most
     * {@code linger} more or until the server ends the stream. The status comes first, then the events.
     */
    WatchResult watch(String path, Duration linger, Runnable during) {
        HttpRequest request = request(path, linger.plusSeconds(20)).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            List<JsonNode> events = new ArrayList<>();
            Thread reader = new Thread(() -> readLines(response.body(), events), "raw-watch");
            reader.setDaemon(true);
            reader.start();
            during.run();
            reader.join(linger.toMillis());
            response.body().close();
            synchronized (events) {
                return new WatchResult(response.statusCode(), List.copyOf(events));
            }
        } catch (IOException e) {
            return new WatchResult(-1, List.of(JSON.getNodeFactory().textNode("no answer: " + e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record WatchResult(int status, List<JsonNode> events) {
    }

    private static void readLines(InputStream body, List<JsonNode> events) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    synchronized (events) {
                        events.add(parse(line));
                    }
                }
            }
        } catch (IOException e) {
            // closed by the caller once it has waited long enough
        }
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server + path)).timeout(timeout)
                .header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private static SSLContext trusting(Config config) {
        try (InputStream pem = caCertificate(config)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                trust.setCertificateEntry("ca-" + n++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the kubeconfig's CA", e);
        }
    }

    private static InputStream caCertificate(Config config) throws IOException {
        if (config.getCaCertData() != null) {
            return new ByteArrayInputStream(Base64.getDecoder().decode(config.getCaCertData().trim()));
        }
        if (config.getCaCertFile() != null) {
            return Files.newInputStream(Path.of(config.getCaCertFile()));
        }
        throw new IllegalArgumentException("an https server without a CA in the kubeconfig");
    }
}
