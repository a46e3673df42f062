package io.emrvke.server.gateway;

import static io.emrvke.server.gateway.TestSigner.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.api.signing.Signer;
import io.emrvke.api.signing.SigningRequest;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.Role;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Every authentication error of api.md §4, at the Authenticator, plus the client styles that must pass. */
class AuthenticationErrorsTest {
    private static final String AK = "AKLTexampleAK";
    private static final String SK = "exampleSecretKey";
    private static final Instant NOW = Instant.parse("2024-03-21T08:18:05Z");
    private static final byte[] BODY = "{\"ClusterId\":\"emr-xxx\"}".getBytes(StandardCharsets.UTF_8);
    private static final List<Map.Entry<String, String>> QUERY =
            query("Action", "GetVirtualCluster", "Version", "2023-12-30");
    private static final List<String> PYTHON_HEADERS = List.of("content-type", "host", "x-content-sha256", "x-date");

    private final Authenticator authenticator = new Authenticator(ak -> switch (ak) {
        case AK -> Optional.of(new Credential(AK, SK, 7, 70, "alice", Role.ADMIN, true, 0));
        case "AKLTdisabled" -> Optional.of(new Credential("AKLTdisabled", SK, 7, 71, "dan", Role.ADMIN, false, 0));
        default -> Optional.empty();
    }, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(15));

    /** Headers of a request signed at {@code at} with the given secret over {@code signed}. */
    private static Map<String, String> signed(String secret, Instant at, List<String> signed, String service,
                                              byte[] body) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("Content-Type", "application/json");
        h.put("Host", "127.0.0.1:8080");
        h.put("X-Date", Signer.xDate(at));
        if (signed.contains("x-content-sha256")) {
            h.put("X-Content-Sha256", Signer.sha256Hex(body));
        }
        h.put("Authorization", Signer.authorization(AK, secret, Signer.xDate(at), "cn-beijing", service,
                new SigningRequest("POST", QUERY, h, body), signed));
        return h;
    }

    private static Map<String, String> sdkStyle() {
        return signed(SK, NOW, List.of("x-date"), "emr", BODY);
    }

    private Authenticator.Authenticated verify(Map<String, String> headers, byte[] body) {
        return authenticator.authenticate("POST", QUERY, headers, body);
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.error()).isEqualTo(code);
            assertThat(e.getMessage()).doesNotContain(SK);
        });
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return copy;
    }

    @Test
    void sdkStyleSigningOnlyXDateIsAccepted() {
        Authenticator.Authenticated who = verify(sdkStyle(), BODY);
        assertThat(who.caller().accessKeyId()).isEqualTo(AK);
        assertThat(who.caller().accountId()).isEqualTo(7);
        assertThat(who.region()).isEqualTo("cn-beijing");
    }

    @Test
    void publishedVectorASignatureIsAccepted() {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("X-Date", "20240321T081805Z");
        h.put("Authorization", "HMAC-SHA256 Credential=AKLTexampleAK/20240321/cn-beijing/emr/request, "
                + "SignedHeaders=x-date, Signature=594d14bc4b13ccdf0d6f575f11e691957069d931264b31de6f48522a57915de1");
        assertThat(verify(h, BODY).caller().accessKeyId()).isEqualTo(AK);
    }

    @Test
    void pythonStyleFourSignedHeadersAreAccepted() {
        assertThat(verify(signed(SK, NOW, PYTHON_HEADERS, "emr", BODY), BODY).caller().userName()).isEqualTo("alice");
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        Map<String, String> mixed = new java.util.HashMap<>();
        signed(SK, NOW, PYTHON_HEADERS, "emr", BODY).forEach((k, v) -> mixed.put(
                k.equals("X-Date") ? "x-DATE" : k.equals("Authorization") ? "AUTHORIZATION" : k.toLowerCase(), v));
        assertThat(verify(mixed, BODY).caller().accessKeyId()).isEqualTo(AK);
    }

    @Test
    void hostSignedWithoutTheDefaultPortIsAccepted() {
        Map<String, String> h = signed(SK, NOW, PYTHON_HEADERS, "emr", BODY);
        Map<String, String> signedForPlainHost = with(h, "Host", "emr.example.com");
        Map<String, String> resigned = signed(SK, NOW, PYTHON_HEADERS, "emr", BODY);
        resigned.put("Host", "emr.example.com");
        resigned.put("Authorization", Signer.authorization(AK, SK, Signer.xDate(NOW), "cn-beijing", "emr",
                new SigningRequest("POST", QUERY, signedForPlainHost, BODY), PYTHON_HEADERS));
        // the proxy in front forwarded the Host with the port the client left out
        assertThat(verify(with(resigned, "Host", "emr.example.com:443"), BODY).caller().accessKeyId()).isEqualTo(AK);
        assertRefused(() -> verify(with(resigned, "Host", "emr.example.com:8443"), BODY),
                ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void missingAuthorizationIsMissingAuthenticationToken() {
        assertRefused(() -> verify(with(sdkStyle(), "Authorization", null), BODY), ErrorCode.MISSING_AUTHENTICATION_TOKEN);
    }

    @Test
    void malformedAuthorizationIsInvalidAuthorization() {
        assertRefused(() -> verify(with(sdkStyle(), "Authorization", "Bearer abc"), BODY),
                ErrorCode.INVALID_AUTHORIZATION);
        assertRefused(() -> verify(with(sdkStyle(), "Authorization", "HMAC-SHA256 garbage"), BODY),
                ErrorCode.INVALID_AUTHORIZATION);
        String noSignedHeaders = sdkStyle().get("Authorization").replace("SignedHeaders=x-date, ", "");
        assertRefused(() -> verify(with(sdkStyle(), "Authorization", noSignedHeaders), BODY),
                ErrorCode.INVALID_AUTHORIZATION);
    }

    @Test
    void authorizationWithoutSignatureIsMissingSignature() {
        String auth = sdkStyle().get("Authorization");
        String noSignature = auth.substring(0, auth.indexOf(", Signature="));
        assertRefused(() -> verify(with(sdkStyle(), "Authorization", noSignature), BODY), ErrorCode.MISSING_SIGNATURE);
    }

    @Test
    void malformedCredentialIsInvalidCredential() {
        String auth = sdkStyle().get("Authorization");
        for (String bad : List.of(AK + "/20240321/cn-beijing/emr", AK + "/2024-03-21/cn-beijing/emr/request",
                AK + "/20240321/cn-beijing/emr/req", "/20240321/cn-beijing/emr/request", AK + "/20241399/x/emr/request")) {
            String broken = auth.replace(AK + "/20240321/cn-beijing/emr/request", bad);
            assertRefused(() -> verify(with(sdkStyle(), "Authorization", broken), BODY), ErrorCode.INVALID_CREDENTIAL);
        }
    }

    @Test
    void wrongServiceIsServiceNotFound() {
        assertRefused(() -> verify(signed(SK, NOW, List.of("x-date"), "ecs", BODY), BODY), ErrorCode.SERVICE_NOT_FOUND);
    }

    @Test
    void unknownKeyIsInvalidAccessKey() {
        String auth = sdkStyle().get("Authorization").replace("Credential=" + AK, "Credential=AKLTnobody");
        assertRefused(() -> verify(with(sdkStyle(), "Authorization", auth), BODY), ErrorCode.INVALID_ACCESS_KEY);
    }

    @Test
    void disabledKeyIsInvalidAccessKey() {
        String auth = sdkStyle().get("Authorization").replace("Credential=" + AK, "Credential=AKLTdisabled");
        assertRefused(() -> verify(with(sdkStyle(), "Authorization", auth), BODY), ErrorCode.INVALID_ACCESS_KEY);
    }

    @Test
    void wrongSecretIsSignatureDoesNotMatchWithoutEchoingTheExpectedSignature() {
        Map<String, String> h = signed("not-the-secret", NOW, List.of("x-date"), "emr", BODY);
        String expected = sdkStyle().get("Authorization").replaceAll(".*Signature=", "");
        assertThatThrownBy(() -> verify(h, BODY)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.error()).isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
            assertThat(e.getMessage()).doesNotContain(expected).doesNotContain(SK);
        });
    }

    @Test
    void tamperedBodyIsSignatureDoesNotMatch() {
        byte[] tampered = "{\"ClusterId\":\"emr-yyy\"}".getBytes(StandardCharsets.UTF_8);
        assertRefused(() -> verify(sdkStyle(), tampered), ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void tamperedQueryIsSignatureDoesNotMatch() {
        assertRefused(() -> authenticator.authenticate("POST", query("Action", "DeleteVirtualCluster",
                "Version", "2023-12-30"), sdkStyle(), BODY), ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void wrongXContentSha256IsSignatureDoesNotMatch() {
        Map<String, String> h = with(sdkStyle(), "X-Content-Sha256", Signer.EMPTY_BODY_SHA256);
        assertRefused(() -> verify(h, BODY), ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void missingXDateIsMissingRequestInfo() {
        assertRefused(() -> verify(with(sdkStyle(), "X-Date", null), BODY), ErrorCode.MISSING_REQUEST_INFO);
    }

    @Test
    void unparseableXDateIsInvalidTimestamp() {
        assertRefused(() -> verify(with(sdkStyle(), "X-Date", "2024-03-21T08:18:05Z"), BODY),
                ErrorCode.INVALID_TIMESTAMP);
        assertRefused(() -> verify(with(sdkStyle(), "X-Date", "20240399T081805Z"), BODY),
                ErrorCode.INVALID_TIMESTAMP);
    }

    @Test
    void xDateMoreThanFifteenMinutesOldIsInvalidTimestamp() {
        Instant old = NOW.minus(Duration.ofMinutes(15)).minusSeconds(1);
        assertRefused(() -> verify(signed(SK, old, List.of("x-date"), "emr", BODY), BODY), ErrorCode.INVALID_TIMESTAMP);
        Instant edge = NOW.minus(Duration.ofMinutes(15));
        assertThat(verify(signed(SK, edge, List.of("x-date"), "emr", BODY), BODY)).isNotNull();
    }

    @Test
    void xDateTooFarAheadIsInvalidTimestamp() {
        Instant ahead = NOW.plus(Duration.ofMinutes(16));
        assertThatThrownBy(() -> verify(signed(SK, ahead, List.of("x-date"), "emr", BODY), BODY))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
                    assertThat(e.getMessage()).contains("ahead");
                });
    }

    @Test
    void xDateNotOnTheScopeDateIsInvalidTimestamp() {
        Map<String, String> h = sdkStyle();
        String otherDay = h.get("Authorization").replace("/20240321/", "/20240320/");
        assertRefused(() -> verify(with(h, "Authorization", otherDay), BODY), ErrorCode.INVALID_TIMESTAMP);
    }

    @Test
    void claimReadsKeyAndRegionWithoutVerifying() {
        Authenticator.Claim claim = Authenticator.claim(sdkStyle().get("Authorization"));
        assertThat(claim).isEqualTo(new Authenticator.Claim(AK, "cn-beijing"));
        assertThat(Authenticator.claim("garbage")).isEqualTo(Authenticator.Claim.NONE);
    }

    @Test
    void overHttpEveryRefusalIsAnEnvelopeWithTheDocumentedStatus() {
        try (GatewayHarness gw = new GatewayHarness()) {
            RawHttp.Request ok = gw.admin().post("Echo", "{}");
            assertThat(gw.send(ok).status()).isEqualTo(200);
            assertThat(gw.send(ok.without("Authorization")).errorCode()).isEqualTo("MissingAuthenticationToken");
            assertThat(gw.send(ok.without("Authorization")).status()).isEqualTo(401);
            assertThat(gw.send(ok.without("X-Date")).status()).isEqualTo(400);
            RawHttp.Response tampered = gw.send(ok.withBody("{\"A\":1}".getBytes(StandardCharsets.UTF_8)));
            assertThat(tampered.status()).isEqualTo(401);
            assertThat(tampered.errorCode()).isEqualTo("SignatureDoesNotMatch");
            RawHttp.Response python = gw.send(gw.admin().sign(TestSigner.Style.PYTHON, Instant.now(), "POST",
                    query("Action", "Echo", "Version", "2023-12-30"), "{}".getBytes(StandardCharsets.UTF_8),
                    "application/json"));
            assertThat(python.status()).as(python.toString()).isEqualTo(200);
        }
    }
}
