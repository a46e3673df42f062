package io.emrvke.server.gateway;

import io.emrvke.api.signing.Signer;
import io.emrvke.api.signing.SigningRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test-side signing: builds correctly signed raw requests the way real clients do. */
public final class TestSigner {
    /** Which headers a client signs: the official Java SDK signs only x-date; Python-style four. */
    public enum Style { SDK, PYTHON }

    private final String accessKeyId;
    private final String secretKey;
    private final String region;
    private final String host;

    public TestSigner(String accessKeyId, String secretKey, String region, String host) {
        this.accessKeyId = accessKeyId;
        this.secretKey = secretKey;
        this.region = region;
        this.host = host;
    }

    public static List<Map.Entry<String, String>> query(String... kv) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(new SimpleImmutableEntry<>(kv[i], kv[i + 1]));
        }
        return out;
    }

    /** The request target for decoded query parameters, RFC 3986-encoded in the given order. */
    public static String target(List<Map.Entry<String, String>> query) {
        StringBuilder sb = new StringBuilder("/");
        for (Map.Entry<String, String> e : query) {
            sb.append(sb.length() == 1 ? '?' : '&').append(Signer.uriEncode(e.getKey())).append('=')
                    .append(Signer.uriEncode(e.getValue()));
        }
        return sb.toString();
    }

    public RawHttp.Request post(String action, String json) {
        return sign(Style.SDK, Instant.now(), "POST", query("Action", action, "Version", "2023-12-30"),
                json.getBytes(StandardCharsets.UTF_8), "application/json; charset=utf-8");
    }

    public RawHttp.Request get(String action, String... fields) {
        List<Map.Entry<String, String>> q = query("Action", action, "Version", "2023-12-30");
        q.addAll(query(fields));
        return sign(Style.SDK, Instant.now(), "GET", q, new byte[0], null);
    }

    /** A signed request; {@code contentType} null sends none. */
    public RawHttp.Request sign(Style style, Instant at, String method, List<Map.Entry<String, String>> query,
                                byte[] body, String contentType) {
        return sign(style, at, method, target(query), query, body, contentType);
    }

    /** A signed request with an explicit (possibly odd) target whose decoded parameters are {@code query}. */
    public RawHttp.Request sign(Style style, Instant at, String method, String target,
                                List<Map.Entry<String, String>> query, byte[] body, String contentType) {
        String xDate = Signer.xDate(at);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(new SimpleImmutableEntry<>("Host", host));
        if (contentType != null) {
            headers.add(new SimpleImmutableEntry<>("Content-Type", contentType));
        }
        headers.add(new SimpleImmutableEntry<>("X-Date", xDate));
        List<String> signed = List.of("x-date");
        if (style == Style.PYTHON) {
            headers.add(new SimpleImmutableEntry<>("X-Content-Sha256", Signer.sha256Hex(body)));
            signed = List.of("content-type", "host", "x-content-sha256", "x-date");
        }
        Map<String, String> forSigning = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach(h -> forSigning.put(h.getKey(), h.getValue()));
        String auth = Signer.authorization(accessKeyId, secretKey, xDate, region, "emr",
                new SigningRequest(method, query, forSigning, body), signed);
        headers.add(new SimpleImmutableEntry<>("Authorization", auth));
        headers.add(new SimpleImmutableEntry<>("Content-Length", Integer.toString(body.length)));
        headers.add(new SimpleImmutableEntry<>("Connection", "close"));
        return new RawHttp.Request(method, target, headers, body);
    }
}
