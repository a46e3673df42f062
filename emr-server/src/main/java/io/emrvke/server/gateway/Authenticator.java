package io.emrvke.server.gateway;

import io.emrvke.api.ErrorCode;
import io.emrvke.api.signing.Signer;
import io.emrvke.api.signing.SigningRequest;
import io.emrvke.server.account.Caller;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.CredentialLookup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Verifies the HMAC-SHA256 signature of one request (docs/api.md#signing) and says who sent it.
 * Pure: no HTTP, no I/O except the credential lookup, so every error of docs/api.md#errors is unit-testable.
 * Messages name what is wrong but never contain a secret or the signature the server expected.
 */
public final class Authenticator {
    public static final String SERVICE = "emr";
    private static final String PREFIX = Signer.ALGORITHM + " ";
    private static final Pattern X_DATE_SHAPE = Pattern.compile("\\d{8}T\\d{6}Z");
    private static final Pattern SHORT_DATE = Pattern.compile("\\d{8}");
    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]{1,64}");
    private static final DateTimeFormatter X_DATE_STRICT =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter SHORT_DATE_STRICT =
            DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);
    private static final int MAX_SIGNED_HEADERS = 32;
    private static final int SIGNING_KEY_CACHE_LIMIT = 10_000;

    /**
     * Who sent a verified request, the region of its credential scope, and what makes the request
     * unique: its signature (lower-case hex) and the X-Date it was signed at.
     */
    public record Authenticated(Caller caller, String region, String signature, Instant signedAt) {
    }

    /**
     * What an Authorization header claims before it is verified, for logs and the Region of error
     * envelopes; either part is null when the header does not say it legibly.
     */
    public record Claim(String accessKeyId, String region) {
        public static final Claim NONE = new Claim(null, null);
    }

    private record ParsedAuthorization(String accessKeyId, String shortDate, String region, String service,
                                       List<String> signedHeaders, String signature) {
    }

    private record CachedKey(String secret, byte[] key) {
    }

    private final CredentialLookup credentials;
    private final Clock clock;
    private final Duration clockSkew;
    private final Duration negativeClockSkew;
    // Deriving the signing key costs four HMACs; it changes only with the day, region and secret.
    private final Map<String, CachedKey> signingKeys = new ConcurrentHashMap<>();

    public Authenticator(CredentialLookup credentials, Clock clock, Duration clockSkew) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        this.negativeClockSkew = clockSkew.negated();
    }

    /**
     * Verifies a request.
     *
     * @param method the HTTP method as received
     * @param query the decoded query parameters in arrival order
     * @param headers the request headers (names in any case; the first value of each)
     * @param body the raw body bytes as received
     * @throws io.emrvke.api.ApiException with the code of docs/api.md#errors when the request is not authentic
     */
    public Authenticated authenticate(String method, List<Map.Entry<String, String>> query,
                                      Map<String, String> headers, byte[] body) {
        Map<String, String> h = caseInsensitive(headers);
        ParsedAuthorization auth = parseAuthorization(h.get("authorization"));
        String xDate = checkTimestamp(h.get("x-date"), auth.shortDate());
        Credential credential = findCredential(auth.accessKeyId());
        String bodyHash = Signer.sha256Hex(body == null ? new byte[0] : body);
        checkContentHash(h.get("x-content-sha256"), bodyHash);
        SigningRequest request = new SigningRequest(method, query, h, body);
        checkSignature(credential, auth, xDate, request, bodyHash);
        return new Authenticated(credential.caller(), auth.region(), auth.signature(), parseXDate(xDate));
    }

    /**
     * Everything {@link #authenticate} checks before it needs the body: the Authorization header is
     * well-formed, X-Date is within the clock skew and on the scope date, and the access key exists
     * and is enabled. The gateway runs it before reading a body, so a request that cannot be
     * authentic is refused without waiting for its body.
     *
     * @throws io.emrvke.api.ApiException with the code {@link #authenticate} would answer
     */
    public void precheck(Map<String, String> headers) {
        Map<String, String> h = caseInsensitive(headers);
        ParsedAuthorization auth = parseAuthorization(h.get("authorization"));
        checkTimestamp(h.get("x-date"), auth.shortDate());
        findCredential(auth.accessKeyId());
    }

    /** What the Authorization header claims, without verifying anything; never throws. */
    public static Claim claim(String authorization) {
        if (authorization == null || !authorization.startsWith(PREFIX)) {
            return Claim.NONE;
        }
        for (String part : authorization.substring(PREFIX.length()).split(",")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "Credential=", 0, 11)) {
                String[] scope = p.substring(11).split("/", -1);
                String ak = scope[0].isEmpty() ? null : Params.clip(scope[0]);
                String region = scope.length > 2 && REGION.matcher(scope[2]).matches() ? scope[2] : null;
                return new Claim(ak, region);
            }
        }
        return Claim.NONE;
    }

    private ParsedAuthorization parseAuthorization(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ErrorCode.MISSING_AUTHENTICATION_TOKEN.exception(
                    "The request has no Authorization header; sign it with HMAC-SHA256.");
        }
        if (!authorization.startsWith(PREFIX)) {
            throw malformed("it must start with '" + PREFIX + "'");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        int index = 0;
        for (String raw : authorization.substring(PREFIX.length()).split(",", -1)) {
            index++;
            String part = raw.trim();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw malformed("part " + index + " '" + Params.clip(part) + "' is not name=value");
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "credential" -> credential = once(credential, "Credential", value);
                case "signedheaders" -> signedHeaders = once(signedHeaders, "SignedHeaders", value);
                case "signature" -> signature = once(signature, "Signature", value);
                default -> throw malformed("part '" + Params.clip(name) + "' is unknown; expected Credential, "
                        + "SignedHeaders and Signature");
            }
        }
        if (signature == null || signature.isEmpty()) {
            throw ErrorCode.MISSING_SIGNATURE.exception("The Authorization header has no Signature.");
        }
        String[] scope = parseCredential(credential);
        if (!SERVICE.equals(scope[3])) {
            throw ErrorCode.SERVICE_NOT_FOUND.exception("Service '" + Params.clip(scope[3])
                    + "' of the credential scope is not served here; sign for service 'emr'.");
        }
        return new ParsedAuthorization(scope[0], scope[1], scope[2], scope[3], parseSignedHeaders(signedHeaders),
                signature.toLowerCase(Locale.ROOT));
    }

    private static String once(String previous, String name, String value) {
        if (previous != null) {
            throw malformed("it names " + name + " twice");
        }
        return value;
    }

    private static String[] parseCredential(String credential) {
        String expected = "Credential must be AccessKeyId/yyyyMMdd/region/service/request";
        if (credential == null || credential.isEmpty()) {
            throw ErrorCode.INVALID_CREDENTIAL.exception("The Authorization header has no Credential; " + expected + ".");
        }
        String[] scope = credential.split("/", -1);
        String got = ", got '" + Params.clip(credential) + "'.";
        if (scope.length != 5 || scope[0].isBlank() || scope[3].isEmpty() || !"request".equals(scope[4])) {
            throw ErrorCode.INVALID_CREDENTIAL.exception(expected + got);
        }
        if (!SHORT_DATE.matcher(scope[1]).matches() || !validDay(scope[1])) {
            throw ErrorCode.INVALID_CREDENTIAL.exception("The date of the " + expected + " is not a yyyyMMdd day" + got);
        }
        if (!REGION.matcher(scope[2]).matches()) {
            throw ErrorCode.INVALID_CREDENTIAL.exception("The region of the " + expected
                    + " must be letters, digits, '-' or '_'" + got);
        }
        return scope;
    }

    private static boolean validDay(String shortDate) {
        try {
            LocalDate.parse(shortDate, SHORT_DATE_STRICT);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static List<String> parseSignedHeaders(String signedHeaders) {
        if (signedHeaders == null || signedHeaders.isEmpty()) {
            throw malformed("it has no SignedHeaders (at least x-date must be signed)");
        }
        String[] names = signedHeaders.split(";", -1);
        if (names.length > MAX_SIGNED_HEADERS) {
            throw malformed("SignedHeaders lists more than " + MAX_SIGNED_HEADERS + " headers");
        }
        List<String> out = new ArrayList<>(names.length);
        for (String n : names) {
            String name = n.trim().toLowerCase(Locale.ROOT);
            if (!HEADER_NAME.matcher(name).matches()) {
                throw malformed("SignedHeaders entry '" + Params.clip(n) + "' is not a header name");
            }
            if (out.contains(name)) {
                throw malformed("SignedHeaders names '" + name + "' twice");
            }
            out.add(name);
        }
        if (!out.contains("x-date")) {
            throw malformed("SignedHeaders must include x-date");
        }
        return out;
    }

    private static io.emrvke.api.ApiException malformed(String problem) {
        return ErrorCode.INVALID_AUTHORIZATION.exception("The Authorization header is malformed: " + problem
                + ". Expected 'HMAC-SHA256 Credential=AK/yyyyMMdd/region/emr/request, SignedHeaders=h1;h2, "
                + "Signature=hex'.");
    }

    private String checkTimestamp(String xDate, String scopeDate) {
        if (xDate == null || xDate.isBlank()) {
            throw ErrorCode.MISSING_REQUEST_INFO.exception("The request has no X-Date header.");
        }
        String value = xDate.trim();
        Instant at = parseXDate(value);
        Instant now = clock.instant();
        Duration off = Duration.between(now, at);
        // two comparisons: Duration.abs() goes through BigDecimal, on every request
        if (off.compareTo(clockSkew) > 0 || off.compareTo(negativeClockSkew) < 0) {
            throw ErrorCode.INVALID_TIMESTAMP.exception("X-Date " + value + " is " + describe(off)
                    + " the server time " + Signer.xDate(now) + "; it must be within " + clockSkew.toMinutes()
                    + " minutes of it.");
        }
        if (!value.startsWith(scopeDate)) {
            throw ErrorCode.INVALID_TIMESTAMP.exception("X-Date " + value + " is not on the credential scope date "
                    + scopeDate + ".");
        }
        return value;
    }

    private static Instant parseXDate(String value) {
        if (X_DATE_SHAPE.matcher(value).matches()) {
            try {
                return LocalDateTime.parse(value, X_DATE_STRICT).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // fall through to the common message
            }
        }
        throw ErrorCode.INVALID_TIMESTAMP.exception("X-Date '" + Params.clip(value)
                + "' is not a UTC time of the form yyyyMMdd'T'HHmmss'Z' (e.g. 20240321T081805Z).");
    }

    private static String describe(Duration off) {
        long seconds = Math.abs(off.getSeconds());
        String amount = seconds >= 120 ? (seconds / 60) + " minutes" : seconds + " seconds";
        return amount + (off.isNegative() ? " behind" : " ahead of");
    }

    private Credential findCredential(String accessKeyId) {
        Optional<Credential> found = credentials.find(accessKeyId);
        if (found.isEmpty() || !found.get().enabled()) {
            throw ErrorCode.INVALID_ACCESS_KEY.exception("The access key '" + Params.clip(accessKeyId)
                    + "' does not exist or is disabled.");
        }
        return found.get();
    }

    private static void checkContentHash(String declared, String bodyHash) {
        if (declared != null && !declared.trim().equalsIgnoreCase(bodyHash)) {
            throw ErrorCode.SIGNATURE_DOES_NOT_MATCH.exception(
                    "X-Content-Sha256 is not the SHA-256 of the request body; the body was changed or hashed wrongly.");
        }
    }

    private void checkSignature(Credential credential, ParsedAuthorization auth, String xDate,
                                SigningRequest request, String bodyHash) {
        byte[] key = signingKey(credential, auth);
        String scope = Signer.credentialScope(auth.shortDate(), auth.region(), auth.service());
        if (matches(key, xDate, scope, request, auth, bodyHash)) {
            return;
        }
        SigningRequest withoutPort = hostWithoutDefaultPort(request, auth.signedHeaders());
        if (withoutPort != null && matches(key, xDate, scope, withoutPort, auth, bodyHash)) {
            return;
        }
        throw ErrorCode.SIGNATURE_DOES_NOT_MATCH.exception("The request signature does not match. Check the "
                + "secret key and that the signature covers the method, the query, the signed headers ("
                + String.join(";", auth.signedHeaders()) + ") and the body.");
    }

    private static boolean matches(byte[] key, String xDate, String scope, SigningRequest request,
                                   ParsedAuthorization auth, String bodyHash) {
        String canonical = Signer.canonicalRequest(request, auth.signedHeaders(), bodyHash);
        String expected = Signer.signatureOf(key, Signer.stringToSign(xDate, scope, canonical));
        return Signer.sameSignature(expected, auth.signature());
    }

    /** Clients that sign {@code host} may have signed it without the scheme's default port. */
    private static SigningRequest hostWithoutDefaultPort(SigningRequest request, List<String> signedHeaders) {
        if (!signedHeaders.contains("host")) {
            return null;
        }
        String host = request.headers().get("host");
        if (host == null || !(host.endsWith(":80") || host.endsWith(":443"))) {
            return null;
        }
        TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(request.headers());
        headers.put("host", host.substring(0, host.lastIndexOf(':')));
        return new SigningRequest(request.method(), request.query(), headers, request.body());
    }

    private byte[] signingKey(Credential credential, ParsedAuthorization auth) {
        String cacheKey = credential.accessKeyId() + '/' + auth.shortDate() + '/' + auth.region();
        CachedKey cached = signingKeys.get(cacheKey);
        if (cached != null && cached.secret().equals(credential.secretKey())) {
            return cached.key();
        }
        byte[] key = Signer.signingKey(credential.secretKey(), auth.shortDate(), auth.region(), auth.service());
        if (signingKeys.size() >= SIGNING_KEY_CACHE_LIMIT) {
            signingKeys.clear();
        }
        signingKeys.put(cacheKey, new CachedKey(credential.secretKey(), key));
        return key;
    }

    private static Map<String, String> caseInsensitive(Map<String, String> headers) {
        if (headers instanceof TreeMap<String, String> t && t.comparator() == String.CASE_INSENSITIVE_ORDER) {
            return t;
        }
        TreeMap<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach(out::putIfAbsent);
        return out;
    }
}
