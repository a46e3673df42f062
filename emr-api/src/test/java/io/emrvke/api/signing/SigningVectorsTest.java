package io.emrvke.api.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every published vector of spec/signing.md, computed with {@link Signer}. */
class SigningVectorsTest {
    private static final String DEMO_SK = "WkRZeE1EQmxPVGhsWWpWak5HVmtNbUUxTXpZeU9UVXlOMlE1TmpZeVlqTQ==";
    private static final String EMR_SK = "exampleSecretKey";
    private static final byte[] EMR_BODY = "{\"ClusterId\":\"emr-xxx\"}".getBytes(StandardCharsets.UTF_8);
    private static final List<Map.Entry<String, String>> EMR_QUERY =
            query("Action", "GetVirtualCluster", "Version", "2023-12-30");
    private static final String EMR_DATE = "20240321T081805Z";

    private static List<Map.Entry<String, String>> query(String... kv) {
        List<Map.Entry<String, String>> out = new java.util.ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(new SimpleImmutableEntry<>(kv[i], kv[i + 1]));
        }
        return out;
    }

    private static Map<String, String> headers(String... kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return out;
    }

    @Test
    void v1ListUsersMatchesCanonicalHashSigningKeyAndSignature() {
        SigningRequest request = new SigningRequest("GET",
                query("Action", "ListUsers", "Version", "2018-01-01", "Limit", "10", "Offset", "0"),
                headers("Host", "iam.volcengineapi.com", "X-Date", "20240619T071306Z"), new byte[0]);
        List<String> signed = List.of("host", "x-date");

        String canonical = Signer.canonicalRequest(request, signed);
        assertThat(Signer.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("5ed5bca3905e1fcbf789abb56a17c2d819674a3bcfa468ae476bd1ea80d135cb");
        assertThat(HexFormat.of().formatHex(Signer.signingKey(DEMO_SK, "20240619", "cn-beijing", "iam")))
                .isEqualTo("abee62e533a58934c49954459a3c3237d2fccea517c9a7c8a2651d8ea7779826");
        assertThat(Signer.signature(DEMO_SK, "20240619T071306Z", "cn-beijing", "iam", request, signed))
                .isEqualTo("e31c4558bcfe08a286001f59cedbf0791ffd0b2362f10e55ee2627467bcdde93");
    }

    @Test
    void v2ListBillWithBodyMatches() {
        SigningRequest request = new SigningRequest("POST", query("Action", "ListBill", "Version", "2022-01-01"),
                headers("Host", "billing.volcengineapi.com", "X-Date", "20250329T180937Z"),
                "{\"Limit\":10,\"BillPeriod\":\"2023-08\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(Signer.signature(DEMO_SK, "20250329T180937Z", "cn-beijing", "billing", request,
                List.of("host", "x-date")))
                .isEqualTo("5e8480ceea12d0000a23c054151c50dd02c1a7dec835004057d19f13d53a7658");
    }

    @Test
    void v3QueryBalanceAcctMatches() {
        SigningRequest request = new SigningRequest("GET",
                query("Action", "QueryBalanceAcct", "Version", "2022-01-01"),
                headers("Host", "billing.volcengineapi.com", "X-Date", "20250329T180937Z"), new byte[0]);
        assertThat(Signer.signature(DEMO_SK, "20250329T180937Z", "cn-beijing", "billing", request,
                List.of("host", "x-date")))
                .isEqualTo("1eda9e7e6b1728151a8e8791fdaf67cfbd28bd5c80d0fce2eb208746cf483105");
    }

    @Test
    void emrBodyHashAndSigningKeyMatch() {
        assertThat(Signer.sha256Hex(EMR_BODY))
                .isEqualTo("5996a44833cc9bc56f211ed9cefd8a6c7c26fced5052d64583912849a751172b");
        assertThat(HexFormat.of().formatHex(Signer.signingKey(EMR_SK, "20240321", "cn-beijing", "emr")))
                .isEqualTo("515f5fa3795ac832e88fbed116302aa1909665ef28426e68660d2b9b3af10348");
    }

    @Test
    void vectorASdkStyleHasTheExactCanonicalRequestAndSignature() {
        SigningRequest request = new SigningRequest("POST", EMR_QUERY, headers("X-Date", EMR_DATE), EMR_BODY);
        List<String> signed = List.of("x-date");

        assertThat(Signer.canonicalRequest(request, signed)).isEqualTo("""
                POST
                /
                Action=GetVirtualCluster&Version=2023-12-30
                x-date:20240321T081805Z

                x-date
                5996a44833cc9bc56f211ed9cefd8a6c7c26fced5052d64583912849a751172b""");
        assertThat(Signer.signature(EMR_SK, EMR_DATE, "cn-beijing", "emr", request, signed))
                .isEqualTo("594d14bc4b13ccdf0d6f575f11e691957069d931264b31de6f48522a57915de1");
        assertThat(Signer.authorization("AKLTexampleAK", EMR_SK, EMR_DATE, "cn-beijing", "emr", request, signed))
                .isEqualTo("HMAC-SHA256 Credential=AKLTexampleAK/20240321/cn-beijing/emr/request, "
                        + "SignedHeaders=x-date, Signature=594d14bc4b13ccdf0d6f575f11e691957069d931264b31de6f48522a57915de1");
    }

    @Test
    void vectorBPythonStyleFourHeadersMatches() {
        SigningRequest request = new SigningRequest("POST", EMR_QUERY, headers(
                "Content-Type", "application/json",
                "Host", "127.0.0.1:8080",
                "X-Content-Sha256", "5996a44833cc9bc56f211ed9cefd8a6c7c26fced5052d64583912849a751172b",
                "X-Date", EMR_DATE), EMR_BODY);
        assertThat(Signer.signature(EMR_SK, EMR_DATE, "cn-beijing", "emr", request,
                List.of("content-type", "host", "x-content-sha256", "x-date")))
                .isEqualTo("c373909c02e3d1cbfd539ff599e5561a4e04dad49f2738772ec06910d64d7581");
    }

    @Test
    void headerNamesAreLookedUpCaseInsensitively() {
        SigningRequest lower = new SigningRequest("POST", EMR_QUERY, headers("x-date", EMR_DATE), EMR_BODY);
        SigningRequest upper = new SigningRequest("POST", EMR_QUERY, headers("X-DATE", EMR_DATE), EMR_BODY);
        assertThat(Signer.signature(EMR_SK, EMR_DATE, "cn-beijing", "emr", upper, List.of("x-date")))
                .isEqualTo(Signer.signature(EMR_SK, EMR_DATE, "cn-beijing", "emr", lower, List.of("x-date")))
                .isEqualTo("594d14bc4b13ccdf0d6f575f11e691957069d931264b31de6f48522a57915de1");
    }

    @Test
    void queryValuesAreRfc3986EncodedAndSorted() {
        assertThat(Signer.canonicalQuery(query("b", "x y+z", "a", "é~", "a", "1")))
                .isEqualTo("a=%C3%A9~&a=1&b=x%20y%2Bz"); // sorted by encoded text: % before 1
    }

    @Test
    void sameSignatureComparesWholeValues() {
        assertThat(Signer.sameSignature("abc", "abc")).isTrue();
        assertThat(Signer.sameSignature("abc", "abd")).isFalse();
        assertThat(Signer.sameSignature("abc", "abcd")).isFalse();
    }
}
