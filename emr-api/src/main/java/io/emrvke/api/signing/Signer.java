package io.emrvke.api.signing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Volcengine HMAC-SHA256 request signature (docs/api.md#signing), shared by the server, which
 * verifies, and our own client, which signs.
 */
public final class Signer {
    public static final String ALGORITHM = "HMAC-SHA256";
    public static final String EMPTY_BODY_SHA256 =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public static final DateTimeFormatter X_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final HexFormat HEX = HexFormat.of();

    private Signer() {
    }

    public static String xDate(Instant instant) {
        return X_DATE.format(instant);
    }

    /** The canonical request of docs/api.md#signing, step 2, over exactly the given signed header names. */
    public static String canonicalRequest(SigningRequest request, List<String> signedHeaders) {
        return canonicalRequest(request, signedHeaders, sha256Hex(request.body()));
    }

    /**
     * The canonical request, given the body's hex SHA-256 already computed (a verifier hashes the
     * body once for both the X-Content-Sha256 check and the signature).
     */
    public static String canonicalRequest(SigningRequest request, List<String> signedHeaders, String bodySha256Hex) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(request.method().toUpperCase(Locale.ROOT)).append('\n');
        sb.append("/\n");
        sb.append(canonicalQuery(request.query())).append('\n');
        for (String name : signedHeaders) {
            String value = header(request.headers(), name);
            sb.append(name).append(':').append(value == null ? "" : value.trim()).append('\n');
        }
        sb.append('\n');
        sb.append(String.join(";", signedHeaders)).append('\n');
        sb.append(bodySha256Hex);
        return sb.toString();
    }

    /** Query parameters RFC 3986-encoded, sorted by key (then value), joined with '&'. */
    public static String canonicalQuery(List<Map.Entry<String, String>> query) {
        List<String[]> encoded = new ArrayList<>(query.size());
        for (Map.Entry<String, String> e : query) {
            encoded.add(new String[] {uriEncode(e.getKey()), uriEncode(e.getValue() == null ? "" : e.getValue())});
        }
        encoded.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : encoded) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    public static String credentialScope(String shortDate, String region, String service) {
        return shortDate + "/" + region + "/" + service + "/request";
    }

    public static String stringToSign(String xDate, String credentialScope, String canonicalRequest) {
        return ALGORITHM + "\n" + xDate + "\n" + credentialScope + "\n"
                + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] signingKey(String secretKey, String shortDate, String region, String service) {
        byte[] kDate = hmac(secretKey.getBytes(StandardCharsets.UTF_8), shortDate);
        byte[] kRegion = hmac(kDate, region);
        byte[] kService = hmac(kRegion, service);
        return hmac(kService, "request");
    }

    /** The hex signature of a request, given the signed header names (lower case, sorted). */
    public static String signature(String secretKey, String xDate, String region, String service,
                                   SigningRequest request, List<String> signedHeaders) {
        String shortDate = xDate.substring(0, 8);
        String scope = credentialScope(shortDate, region, service);
        String toSign = stringToSign(xDate, scope, canonicalRequest(request, signedHeaders));
        return HEX.formatHex(hmac(signingKey(secretKey, shortDate, region, service), toSign));
    }

    /** The hex signature of a string to sign under an already derived signing key. */
    public static String signatureOf(byte[] signingKey, String stringToSign) {
        return HEX.formatHex(hmac(signingKey, stringToSign));
    }

    /** The Authorization header value for a request signed over {@code signedHeaders}. */
    public static String authorization(String accessKey, String secretKey, String xDate, String region,
                                       String service, SigningRequest request, List<String> signedHeaders) {
        String scope = credentialScope(xDate.substring(0, 8), region, service);
        return ALGORITHM + " Credential=" + accessKey + "/" + scope
                + ", SignedHeaders=" + String.join(";", signedHeaders)
                + ", Signature=" + signature(secretKey, xDate, region, service, request, signedHeaders);
    }

    /** Compares two signatures in time independent of where they first differ. */
    public static boolean sameSignature(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** RFC 3986 percent-encoding: unreserved characters kept, every other UTF-8 byte as %XX. */
    public static String uriEncode(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static String header(Map<String, String> headers, String lowerName) {
        String direct = headers.get(lowerName);
        if (direct != null) {
            return direct;
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(lowerName)) {
                return e.getValue();
            }
        }
        return null;
    }
}
