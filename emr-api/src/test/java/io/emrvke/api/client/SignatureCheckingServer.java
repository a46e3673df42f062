package io.emrvke.api.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.emrvke.api.signing.Signer;
import io.emrvke.api.signing.SigningRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK HTTP server on 127.0.0.1 that recomputes each request's signature with {@link Signer}
 * from what actually arrived (method, query, the headers named in SignedHeaders, raw body
 * bytes). A mismatch is answered 401 SignatureDoesNotMatch; a verified request is answered by
 * the test's responder.
 */
public final class SignatureCheckingServer implements AutoCloseable {
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)");

    /** One request as the server received it, with the signature it recomputed. */
    public record Received(String method, String rawQuery, List<Map.Entry<String, String>> query,
                    Map<String, String> headers, byte[] body, String accessKey, String region, String service,
                    List<String> signedHeaders, String givenSignature, String expectedSignature) {

        public boolean signatureMatches() {
            return givenSignature != null && givenSignature.equals(expectedSignature);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String queryValue(String key) {
            return query.stream().filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    public record Reply(int status, String body) {
        public static Reply ok(String resultJson) {
            return new Reply(200, "{\"ResponseMetadata\":{\"RequestId\":\"20260101000000ABCDEF0123456789ABCD\","
                    + "\"Action\":\"Test\",\"Version\":\"2023-12-30\",\"Service\":\"emr\",\"Region\":\"cn-beijing\"},"
                    + "\"Result\":" + resultJson + "}");
        }

        public static Reply error(int status, String code, Integer codeN, String message, String requestId) {
            String codeNPart = codeN == null ? "" : "\"CodeN\":" + codeN + ",";
            return new Reply(status, "{\"ResponseMetadata\":{\"RequestId\":\"" + requestId + "\",\"Action\":\"Test\","
                    + "\"Version\":\"2023-12-30\",\"Service\":\"emr\",\"Region\":\"cn-beijing\",\"Error\":{" + codeNPart
                    + "\"Code\":\"" + code + "\",\"Message\":\"" + message + "\"}}}");
        }
    }

    private final HttpServer server;
    private final String secretKey;
    private final Function<Received, Reply> responder;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private SignatureCheckingServer(String secretKey, Function<Received, Reply> responder) throws IOException {
        this.secretKey = secretKey;
        this.responder = responder;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public static SignatureCheckingServer start(String secretKey, Function<Received, Reply> responder) {
        try {
            return new SignatureCheckingServer(secretKey, responder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String endpoint() {
        return "127.0.0.1:" + port();
    }

    public List<Received> received() {
        return received;
    }

    public Received last() {
        return received.get(received.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Received request = verify(exchange);
            received.add(request);
            Reply reply = request.signatureMatches() ? responder.apply(request)
                    : Reply.error(401, "SignatureDoesNotMatch", 100010, "signature mismatch", "20260101000000FFFFFFFFFFFFFFFFFFFF");
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private Received verify(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        String rawQuery = exchange.getRequestURI().getRawQuery();
        List<Map.Entry<String, String>> query = decodeQuery(rawQuery);
        Matcher auth = AUTHORIZATION.matcher(headers.getOrDefault("authorization", ""));
        if (!auth.matches()) {
            return new Received(exchange.getRequestMethod(), rawQuery, query, headers, body, null, null, null,
                    List.of(), null, null);
        }
        List<String> signed = Arrays.asList(auth.group(5).split(";"));
        String expected = Signer.signature(secretKey, headers.get("x-date"), auth.group(3), auth.group(4),
                new SigningRequest(exchange.getRequestMethod(), query, headers, body), signed);
        return new Received(exchange.getRequestMethod(), rawQuery, query, headers, body, auth.group(1),
                auth.group(3), auth.group(4), signed, auth.group(6), expected);
    }

    private static List<Map.Entry<String, String>> decodeQuery(String rawQuery) {
        List<Map.Entry<String, String>> query = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.add(Map.entry(percentDecode(key), percentDecode(value)));
        }
        return query;
    }

    /** Percent-decoding only: a literal '+' stays a plus (RFC 3986, not form encoding). */
    private static String percentDecode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
