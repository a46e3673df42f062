package io.emrvke.api.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.Json;
import io.emrvke.api.signing.Signer;
import io.emrvke.api.signing.SigningRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A client for the EMR on VKE OpenAPI: {@code POST /?Action=..&Version=..} with a JSON body,
 * signed as docs/api.md#signing describes. Immutable and thread-safe; build one and reuse it (it
 * holds one {@link HttpClient}). Calls are never retried behind the caller's back.
 */
public final class EmrClient {
    public static final String DEFAULT_ENDPOINT = "127.0.0.1:8080";
    public static final String DEFAULT_REGION = "cn-beijing";
    public static final String DEFAULT_VERSION = "2023-12-30";
    public static final String SERVICE = "emr";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private static final String CONTENT_TYPE = "application/json";
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    private final URI endpoint;
    private final String hostHeader;
    private final String accessKey;
    private final String secretKey;
    private final String region;
    private final String version;
    private final SignedHeaders signedHeaders;
    private final Duration requestTimeout;
    private final Clock clock;
    private final HttpClient http;

    private EmrClient(Builder b) {
        this.endpoint = parseEndpoint(b.endpoint);
        this.hostHeader = hostHeader(endpoint);
        this.accessKey = required(b.accessKey, "accessKey");
        this.secretKey = required(b.secretKey, "secretKey");
        this.region = required(b.region, "region");
        this.version = required(b.version, "version");
        this.signedHeaders = Objects.requireNonNull(b.signedHeaders, "signedHeaders");
        this.requestTimeout = Objects.requireNonNull(b.requestTimeout, "requestTimeout");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        // HTTP/1.1 only: no h2c upgrade attempt, so every request is one plain exchange.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Objects.requireNonNull(b.connectTimeout, "connectTimeout"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Calls {@code action} with an empty body ({@code {}}). */
    public JsonNode call(String action) {
        return interpret(callRaw(action, EMPTY_OBJECT));
    }

    /** Calls {@code action} with {@code body} serialised as JSON; returns the whole response envelope. */
    public JsonNode call(String action, JsonNode body) {
        return interpret(callRaw(action, serialise(body)));
    }

    /** Calls {@code action} with {@code body} serialised as JSON (keys as given); returns the whole envelope. */
    public JsonNode call(String action, Map<String, ?> body) {
        return interpret(callRaw(action, serialise(body)));
    }

    /** Calls {@code action} with {@code jsonBody} sent byte for byte (null = {@code {}}); returns the whole envelope. */
    public JsonNode call(String action, String jsonBody) {
        return interpret(callRaw(action, jsonBody));
    }

    /** Sends {@code jsonBody} verbatim (null = {@code {}}) and returns the reply as received, whatever its status. */
    public RawResponse callRaw(String action, String jsonBody) {
        return callRaw(action, jsonBody == null ? EMPTY_OBJECT : jsonBody.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code body} verbatim and returns the reply as received, whatever its status. */
    public RawResponse callRaw(String action, byte[] body) {
        required(action, "action");
        byte[] bytes = body == null ? EMPTY_OBJECT : body;
        HttpRequest request = signedRequest(action, bytes);
        HttpResponse<byte[]> response = send(request);
        return new RawResponse(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8),
                response.headers().firstValue("X-Request-Id").orElse(null));
    }

    /** The endpoint as a URL with path {@code /}, e.g. {@code http://127.0.0.1:8080/}. */
    public URI endpoint() {
        return endpoint;
    }

    public String region() {
        return region;
    }

    public String version() {
        return version;
    }

    public String accessKey() {
        return accessKey;
    }

    public SignedHeaders signedHeaders() {
        return signedHeaders;
    }

    @Override
    public String toString() {
        return "EmrClient[" + endpoint + ", region=" + region + ", version=" + version + ", accessKey=" + accessKey + "]";
    }

    private HttpRequest signedRequest(String action, byte[] body) {
        String xDate = Signer.xDate(clock.instant());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put("Host", hostHeader);
        headers.put("X-Date", xDate);
        if (signedHeaders.sendsContentSha256()) {
            headers.put("X-Content-Sha256", Signer.sha256Hex(body));
        }
        List<Map.Entry<String, String>> query = List.of(Map.entry("Action", action), Map.entry("Version", version));
        String authorization = Signer.authorization(accessKey, secretKey, xDate, region, SERVICE,
                new SigningRequest("POST", query, headers, body), signedHeaders.names());

        HttpRequest.Builder request = HttpRequest.newBuilder(requestUri(action))
                .timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", authorization);
        // Host is written by the HTTP client itself (same value as hostHeader); it may not be set here.
        headers.forEach((name, value) -> {
            if (!name.equals("Host")) {
                request.header(name, value);
            }
        });
        return request.build();
    }

    private URI requestUri(String action) {
        return URI.create(endpoint + "?Action=" + Signer.uriEncode(action) + "&Version=" + Signer.uriEncode(version));
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new EmrClientException("no answer from EMR endpoint " + endpoint + " within "
                    + requestTimeout.toMillis() + " ms (" + describe(e) + ")", e);
        } catch (IOException e) {
            throw new EmrClientException("cannot reach EMR endpoint " + endpoint + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmrClientException("interrupted while calling EMR endpoint " + endpoint, e);
        }
    }

    /** The envelope on success; {@link EmrApiException} for an error envelope; {@link EmrClientException} otherwise. */
    private JsonNode interpret(RawResponse raw) {
        JsonNode envelope = parseEnvelope(raw);
        JsonNode metadata = envelope.path("ResponseMetadata");
        JsonNode error = metadata.path("Error");
        if (error.isObject()) {
            throw apiException(raw, metadata, error);
        }
        if (!raw.isSuccess()) {
            throw new EmrClientException("HTTP " + raw.status() + " from EMR endpoint " + endpoint
                    + " without an error envelope: " + abbreviate(raw.body()));
        }
        return envelope;
    }

    private JsonNode parseEnvelope(RawResponse raw) {
        try {
            JsonNode node = Json.plain().readTree(raw.body());
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // fall through: not the API's envelope
        }
        throw new EmrClientException("HTTP " + raw.status() + " from EMR endpoint " + endpoint
                + " is not a JSON envelope: " + abbreviate(raw.body()));
    }

    private static EmrApiException apiException(RawResponse raw, JsonNode metadata, JsonNode error) {
        JsonNode codeN = error.path("CodeN");
        String requestId = metadata.path("RequestId").isTextual() ? metadata.path("RequestId").asText()
                : raw.requestIdHeader();
        return new EmrApiException(raw.status(),
                error.path("Code").asText(null),
                codeN.canConvertToInt() ? Integer.valueOf(codeN.asInt()) : null,
                error.path("Message").asText(null),
                requestId,
                raw.body());
    }

    private static byte[] serialise(Object body) {
        if (body == null) {
            return EMPTY_OBJECT;
        }
        try {
            return Json.wire().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Accepts {@code host:port}, {@code host} (port 80) or a full {@code http://} / {@code https://}
     * URL whose path is empty or {@code /}: the API lives at {@code /} only (docs/api.md#requests).
     */
    static URI parseEndpoint(String endpoint) {
        String given = required(endpoint, "endpoint").trim();
        String withScheme = given.contains("://") ? given : "http://" + given;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint '" + given + "' is not host:port or an http(s) URL: "
                    + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("endpoint '" + given + "' must use http or https, not '" + scheme + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("endpoint '" + given + "' has no host; expected host:port or an http(s) URL");
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("endpoint '" + given
                    + "' must be just scheme, host and port: the API is served at '/' only");
        }
        try {
            return new URI(scheme, null, uri.getHost(), uri.getPort(), "/", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint '" + given + "' is not a valid URL: " + e.getMessage(), e);
        }
    }

    /** The Host header java.net.http writes: the port is left out when it is the scheme's default. */
    static String hostHeader(URI endpoint) {
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || port == (endpoint.getScheme().equals("https") ? 443 : 80);
        return defaultPort ? endpoint.getHost() : endpoint.getHost() + ":" + port;
    }

    /** The cause chain in one line, without repeats; the JDK's bare ConnectException gets a plain meaning. */
    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        String previous = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            boolean silent = t.getMessage() == null || t.getMessage().isBlank();
            if (name.equals(previous) && silent) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(name);
            if (!silent) {
                sb.append(" ").append(t.getMessage());
            } else if (t instanceof java.net.ConnectException) {
                sb.append(" (connection refused or host unreachable)");
            }
            previous = name;
        }
        return sb.toString();
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.isEmpty() ? "(empty body)" : oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required and must not be blank");
        }
        return value;
    }

    /** Settings for an {@link EmrClient}; accessKey and secretKey are required, the rest have defaults. */
    public static final class Builder {
        private String endpoint = DEFAULT_ENDPOINT;
        private String accessKey;
        private String secretKey;
        private String region = DEFAULT_REGION;
        private String version = DEFAULT_VERSION;
        private SignedHeaders signedHeaders = SignedHeaders.CONTENT_TYPE_HOST_SHA256_DATE;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** {@code host:port} (plain HTTP) or a full {@code http://} / {@code https://} URL; default {@value EmrClient#DEFAULT_ENDPOINT}. */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder credentials(String accessKey, String secretKey) {
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            return this;
        }

        public Builder accessKey(String accessKey) {
            this.accessKey = accessKey;
            return this;
        }

        public Builder secretKey(String secretKey) {
            this.secretKey = secretKey;
            return this;
        }

        /** Region of the credential scope; default {@value EmrClient#DEFAULT_REGION}. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** The {@code Version} query parameter; default {@value EmrClient#DEFAULT_VERSION}. */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** Which headers to sign; default {@link SignedHeaders#CONTENT_TYPE_HOST_SHA256_DATE}. */
        public Builder signedHeaders(SignedHeaders signedHeaders) {
            this.signedHeaders = signedHeaders;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Time allowed for one whole request/response; default 60 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Where X-Date comes from; tests use a fixed clock to send stale or future dates. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is missing or malformed */
        public EmrClient build() {
            return new EmrClient(this);
        }
    }
}
