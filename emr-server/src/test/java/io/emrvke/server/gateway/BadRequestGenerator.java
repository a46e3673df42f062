package io.emrvke.server.gateway;

import static io.emrvke.server.gateway.TestSigner.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates malformed, mistyped and hostile requests for the API endpoint, most of them correctly
 * signed so that they get past authentication into parameter parsing. Reusable against any
 * server: give it a signer for a valid admin key, the action names and the field names to aim at.
 *
 * <p>Each request says what any correct server must answer: {@link Expect#CLIENT_ERROR} (a 4xx
 * error envelope, e.g. broken JSON or bad signatures) or {@link Expect#NOT_SERVER_ERROR} (a
 * mistyped field value may happen to be acceptable to an action, so only "never 5xx, always a
 * well-formed envelope" holds).
 */
public final class BadRequestGenerator {

    public enum Expect { CLIENT_ERROR, NOT_SERVER_ERROR }

    public enum Kind {
        RANDOM_BYTES, TRUNCATED_JSON, WRONG_TYPES, WRONG_TYPES_GET_FORM, HUGE_BODY, ODD_ENCODING,
        ODD_CONTENT_TYPE, MISSING_OR_DUPLICATED_HEADERS, GARBAGE_AUTHORIZATION, GARBAGE_QUERY
    }

    public record BadRequest(Kind kind, String description, Expect expect, RawHttp.Request request) {
        @Override
        public String toString() {
            return kind + " (" + description + "): " + request.method() + " " + request.target();
        }
    }

    private static final String VERSION = "2023-12-30";
    private static final String SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$'()*+,;=:@/?";
    private static final List<String> ODD_VALUES = oddValues();

    private final TestSigner signer;
    private final int maxBodyBytes;
    private final Random random;

    /**
     * @param signer signs as a valid, enabled admin key of the server under test
     * @param maxBodyBytes the server's body limit (huge bodies are made just over it)
     * @param seed makes the sequence reproducible
     */
    public BadRequestGenerator(TestSigner signer, int maxBodyBytes, long seed) {
        this.signer = signer;
        this.maxBodyBytes = maxBodyBytes;
        this.random = new Random(seed);
    }

    /** {@code count} requests spread over every kind, aimed at the given actions and fields. */
    public List<BadRequest> generate(List<String> actions, List<String> fields, int count) {
        return generate(count, round -> pick(actions), action -> fields);
    }

    /**
     * {@code count} requests spread over every kind and every action of {@code fieldsByAction}, each action in
     * turn getting a round of every kind, aimed at that action's own fields.
     */
    public List<BadRequest> generate(Map<String, List<String>> fieldsByAction, int count) {
        List<String> actions = List.copyOf(fieldsByAction.keySet());
        return generate(count, round -> actions.get(round % actions.size()), fieldsByAction::get);
    }

    private List<BadRequest> generate(int count, java.util.function.IntFunction<String> actionOfRound,
                                      java.util.function.Function<String, List<String>> fieldsOf) {
        List<BadRequest> out = new ArrayList<>(count);
        Kind[] kinds = Kind.values();
        for (int i = 0; out.size() < count; i++) {
            Kind kind = kinds[i % kinds.length];
            if (kind == Kind.HUGE_BODY && i % (kinds.length * 8) != Kind.HUGE_BODY.ordinal()) {
                kind = Kind.WRONG_TYPES; // huge bodies are slow to send: one in eight rounds
            }
            String action = actionOfRound.apply(i / kinds.length);
            out.add(make(kind, action, fieldsOf.apply(action)));
        }
        return out;
    }

    private BadRequest make(Kind kind, String action, List<String> fields) {
        return switch (kind) {
            case RANDOM_BYTES -> randomBytes(action);
            case TRUNCATED_JSON -> truncatedJson(action, fields);
            case WRONG_TYPES -> wrongTypes(action, fields);
            case WRONG_TYPES_GET_FORM -> wrongTypesGetForm(action, fields);
            case HUGE_BODY -> hugeBody(action, fields);
            case ODD_ENCODING -> oddEncoding(action, fields);
            case ODD_CONTENT_TYPE -> oddContentType(action, fields);
            case MISSING_OR_DUPLICATED_HEADERS -> headers(action, fields);
            case GARBAGE_AUTHORIZATION -> garbageAuthorization(action, fields);
            case GARBAGE_QUERY -> garbageQuery(action, fields);
        };
    }

    // ---- bodies ----------------------------------------------------------------------------

    private BadRequest randomBytes(String action) {
        byte[] body = new byte[1 + random.nextInt(2000)];
        random.nextBytes(body);
        // never a JSON object, never blank: the first byte is no '{', whitespace or BOM
        String firsts = "!#%&()*-0123456789[\"\\]^_`|~abcxyz";
        body[0] = (byte) firsts.charAt(random.nextInt(firsts.length()));
        return new BadRequest(Kind.RANDOM_BYTES, body.length + " random bytes", Expect.CLIENT_ERROR,
                post(action, body, "application/json"));
    }

    private BadRequest truncatedJson(String action, List<String> fields) {
        String json = objectWith(fields, 1 + random.nextInt(Math.max(1, fields.size())));
        int cut = 1 + random.nextInt(json.length() - 1);
        return new BadRequest(Kind.TRUNCATED_JSON, "cut at " + cut + " of " + json.length(), Expect.CLIENT_ERROR,
                post(action, json.substring(0, cut).getBytes(StandardCharsets.UTF_8), "application/json"));
    }

    private BadRequest wrongTypes(String action, List<String> fields) {
        String json = objectWith(fields, 1 + random.nextInt(3));
        return new BadRequest(Kind.WRONG_TYPES, clip(json), Expect.NOT_SERVER_ERROR,
                post(action, json.getBytes(StandardCharsets.UTF_8), "application/json; charset=utf-8"));
    }

    private BadRequest wrongTypesGetForm(String action, List<String> fields) {
        List<Map.Entry<String, String>> q = query("Action", action, "Version", VERSION);
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String f = pick(fields);
            String key = switch (random.nextInt(8)) {
                case 0 -> f + ".1";
                case 1 -> f + ".1." + pick(fields);
                case 2 -> f + ".0";
                case 3 -> f + "..x";
                case 4 -> f + "." + (2 + random.nextInt(99999));
                case 5 -> f + ".1.2.3";
                case 6 -> f + "." + pick(fields);
                default -> f;
            };
            q.add(Map.entry(key, formValue()));
        }
        return new BadRequest(Kind.WRONG_TYPES_GET_FORM, clip(q.toString()), Expect.NOT_SERVER_ERROR,
                signer.sign(TestSigner.Style.SDK, Instant.now(), "GET", q, new byte[0], null));
    }

    private BadRequest hugeBody(String action, List<String> fields) {
        int size = maxBodyBytes + 1 + random.nextInt(maxBodyBytes);
        byte[] body = new byte[size];
        byte[] start = ("{\"" + pick(fields) + "\":\"").getBytes(StandardCharsets.UTF_8);
        java.util.Arrays.fill(body, (byte) 'a');
        System.arraycopy(start, 0, body, 0, start.length);
        RawHttp.Request signed = post(action, body, "application/json");
        return switch (random.nextInt(3)) {
            case 0 -> new BadRequest(Kind.HUGE_BODY, size + " bytes, declared", Expect.CLIENT_ERROR, signed);
            case 1 -> new BadRequest(Kind.HUGE_BODY, size + " bytes, chunked", Expect.CLIENT_ERROR, signed.chunked());
            default -> new BadRequest(Kind.HUGE_BODY, "declares " + size + " bytes, sends 100", Expect.CLIENT_ERROR,
                    new RawHttp.Request(signed.method(), signed.target(), signed.headers(),
                            java.util.Arrays.copyOf(body, 100)));
        };
    }

    private BadRequest oddEncoding(String action, List<String> fields) {
        String json = "{\"" + pick(fields) + "\":\"caf\u00e9 \u65e5\u672c\"}";
        byte[] body;
        String what;
        switch (random.nextInt(7)) {
            case 0 -> {
                what = "UTF-16BE with BOM";
                body = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, json.getBytes(StandardCharsets.UTF_16BE));
            }
            case 1 -> {
                what = "UTF-16LE with BOM";
                body = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, json.getBytes(StandardCharsets.UTF_16LE));
            }
            case 2 -> {
                what = "UTF-16LE without BOM";
                body = json.getBytes(StandardCharsets.UTF_16LE);
            }
            case 3 -> {
                what = "Latin-1 bytes";
                body = json.getBytes(StandardCharsets.ISO_8859_1);
            }
            case 4 -> {
                what = "overlong UTF-8";
                body = concat(("{\"" + pick(fields) + "\":\"").getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xC0, (byte) 0xAF, '"', '}'});
            }
            case 5 -> {
                what = "UTF-8 encoded surrogate";
                body = concat(("{\"" + pick(fields) + "\":\"").getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'});
            }
            default -> {
                what = "truncated multi-byte sequence";
                body = concat(("{\"" + pick(fields) + "\":\"").getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xE6, (byte) 0x97, '"', '}'});
            }
        }
        return new BadRequest(Kind.ODD_ENCODING, what, Expect.CLIENT_ERROR,
                post(action, body, pick(List.of("application/json", "application/json; charset=utf-16",
                        "application/json; charset=utf-8"))));
    }

    private BadRequest oddContentType(String action, List<String> fields) {
        String type = pick(List.of("text/plain", "application/xml", "garbage", "application/json; charset=latin-1",
                "multipart/form-data; boundary=xyz", "application/x-www-form-urlencoded", "*/*",
                "application/json;;;", "application/octet-stream"));
        String body = random.nextBoolean() ? objectWith(fields, 1) : pick(fields) + "=" + formValue();
        return new BadRequest(Kind.ODD_CONTENT_TYPE, type + ": " + clip(body), Expect.NOT_SERVER_ERROR,
                post(action, body.getBytes(StandardCharsets.UTF_8), type));
    }

    // ---- headers and authentication --------------------------------------------------------

    private BadRequest headers(String action, List<String> fields) {
        RawHttp.Request ok = post(action, objectWith(fields, 1).getBytes(StandardCharsets.UTF_8), "application/json");
        String oldDate = io.emrvke.api.signing.Signer.xDate(Instant.now().minusSeconds(3600));
        return switch (random.nextInt(7)) {
            case 0 -> new BadRequest(Kind.MISSING_OR_DUPLICATED_HEADERS, "no Authorization", Expect.CLIENT_ERROR,
                    ok.without("Authorization"));
            case 1 -> new BadRequest(Kind.MISSING_OR_DUPLICATED_HEADERS, "no X-Date", Expect.CLIENT_ERROR,
                    ok.without("X-Date"));
            case 2 -> new BadRequest(Kind.MISSING_OR_DUPLICATED_HEADERS, "stale X-Date first of two",
                    Expect.CLIENT_ERROR, reorderedFirst(ok, "X-Date", oldDate));
            case 3 -> new BadRequest(Kind.MISSING_OR_DUPLICATED_HEADERS, "garbage Authorization first of two",
                    Expect.CLIENT_ERROR, reorderedFirst(ok, "Authorization", "HMAC-SHA256 " + garbage(40)));
            case 4 -> new BadRequest(Kind.MISSING_OR_DUPLICATED_HEADERS, "Content-Type twice", Expect.NOT_SERVER_ERROR,
                    ok.with("Content-Type", "text/plain"));
            case 5 -> new BadRequest(Kind.MISSING_OR_DUPLICATED_HEADERS, "X-Date twice, same value",
                    Expect.NOT_SERVER_ERROR, ok.with("X-Date", ok.header("X-Date")));
            default -> new BadRequest(Kind.MISSING_OR_DUPLICATED_HEADERS, "empty X-Date", Expect.CLIENT_ERROR,
                    ok.replacing("X-Date", ""));
        };
    }

    private static RawHttp.Request reorderedFirst(RawHttp.Request ok, String name, String firstValue) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry(name, firstValue));
        headers.addAll(ok.headers());
        return new RawHttp.Request(ok.method(), ok.target(), headers, ok.body());
    }

    private BadRequest garbageAuthorization(String action, List<String> fields) {
        RawHttp.Request ok = post(action, objectWith(fields, 1).getBytes(StandardCharsets.UTF_8), "application/json");
        String good = ok.header("Authorization");
        String bad = switch (random.nextInt(10)) {
            case 0 -> garbage(1 + random.nextInt(300));
            case 1 -> "HMAC-SHA256 " + garbage(1 + random.nextInt(300));
            case 2 -> "HMAC-SHA256";
            case 3 -> good.replaceAll("Signature=[0-9a-f]+", java.util.regex.Matcher.quoteReplacement("Signature=" + garbage(64)));
            case 4 -> good.replaceAll("Credential=[^,]+", java.util.regex.Matcher.quoteReplacement("Credential=" + garbage(20)));
            case 5 -> good.replace("/emr/", "/" + pick(List.of("ecs", "iam", "EMR", "")) + "/");
            case 6 -> good.replace("/cn-beijing/", "/cn-shanghai/");
            case 7 -> good.replace("SignedHeaders=x-date", "SignedHeaders=" + pick(List.of("host", "", ";;", "X Date",
                    "x-date;x-date", "a;b;c")));
            case 8 -> good.replace(", ", ",,, ").replace("HMAC-SHA256", "hmac-sha256");
            default -> good.substring(0, random.nextInt(good.length()));
        };
        return new BadRequest(Kind.GARBAGE_AUTHORIZATION, clip(bad), Expect.CLIENT_ERROR,
                ok.replacing("Authorization", bad));
    }

    // ---- query strings ---------------------------------------------------------------------

    private BadRequest garbageQuery(String action, List<String> fields) {
        byte[] body = objectWith(fields, 1).getBytes(StandardCharsets.UTF_8);
        String base = "Action=" + action + "&Version=" + VERSION;
        return switch (random.nextInt(9)) {
            case 0 -> rawTarget("/?" + base + "&" + pick(fields) + "=%" + pick(List.of("zz", "", "4", "G1", "%")),
                    body, "bad escape");
            case 1 -> rawTarget("/?" + base + "&" + pick(fields) + "=%FF%FE%C3", body, "escapes that are not UTF-8");
            case 2 -> rawTarget("/?Action=%C3%28&Version=" + VERSION, body, "Action not UTF-8");
            case 3 -> signedQuery(query("Version", VERSION), body, "no Action");
            case 4 -> signedQuery(query("Action", action), body, "no Version");
            case 5 -> signedQuery(query("Action", action, "Version", VERSION, "Action", action), body, "Action twice");
            case 6 -> signedQuery(query("Action", action + garbage(3), "Version", VERSION), body, "unknown Action");
            case 7 -> signedQuery(query("Action", action, "Version", pick(List.of("2020-01-01", "", "latest"))),
                    body, "wrong Version");
            default -> rawTarget("/?" + base + "&=" + garbage(5) + "&" + garbage(10), body, "empty parameter name");
        };
    }

    private BadRequest rawTarget(String target, byte[] body, String what) {
        RawHttp.Request ok = post("Unused", body, "application/json");
        return new BadRequest(Kind.GARBAGE_QUERY, what + ": " + target, Expect.CLIENT_ERROR,
                new RawHttp.Request("POST", target.replace(" ", "%20"), ok.headers(), body));
    }

    private BadRequest signedQuery(List<Map.Entry<String, String>> q, byte[] body, String what) {
        return new BadRequest(Kind.GARBAGE_QUERY, what, Expect.CLIENT_ERROR,
                signer.sign(TestSigner.Style.PYTHON, Instant.now(), "POST", q, body, "application/json"));
    }

    // ---- helpers ---------------------------------------------------------------------------

    private RawHttp.Request post(String action, byte[] body, String contentType) {
        TestSigner.Style style = random.nextBoolean() ? TestSigner.Style.SDK : TestSigner.Style.PYTHON;
        return signer.sign(style, Instant.now(), "POST", query("Action", action, "Version", VERSION), body, contentType);
    }

    /** A JSON object giving {@code n} distinct fields (fewer if there are not that many) odd values. */
    private String objectWith(List<String> fields, int n) {
        List<String> names = new ArrayList<>(fields.isEmpty() ? List.of("Field") : fields);
        java.util.Collections.shuffle(names, random);
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < Math.min(n, names.size()); i++) {
            sb.append(i > 0 ? "," : "").append('"').append(names.get(i)).append("\":").append(pick(ODD_VALUES));
        }
        return sb.append('}').toString();
    }

    private String formValue() {
        return pick(List.of("", "x", "5", "-1", "0", "1.5", "true", "nope", "99999999999999999999", "\u0000",
                "caf\u00e9", "a,b", "[1]", "{}", "null", " ", "x".repeat(500)));
    }

    private String garbage(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(SAFE.charAt(random.nextInt(SAFE.length())));
        }
        return sb.toString();
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** JSON texts of values no field expects: wrong types, edge numbers, odd strings, deep nesting. */
    public static List<String> oddValues() {
        List<String> v = new ArrayList<>(List.of("null", "true", "false", "0", "-1", "1.5", "-0.0", "1e999",
                "123456789012345678901234567890", "\"\"", "\"  \"", "\"x\"", "\"5\"", "\"-7\"", "\"99999999999\"",
                "\"true\"", "\"\\u0000\\u0001\"", "\"caf\u00e9\"", "\"\\ud834\\udd1e\"", "\"\\ud834\"",
                "[]", "[null]", "[1,2]", "[\"a\",1]", "[[]]", "[{}]", "[{\"Key\":1}]", "[{\"Key\":\"k\",\"Value\":[]}]",
                "{}", "{\"Id\":1}", "{\"Id\":\"\"}", "{\"\":\"\"}", "{\"Id\":\"ok\"}", "\"FAST\"", "\"fast\"",
                "\"" + "y".repeat(3000) + "\""));
        v.add("[".repeat(1200) + "]".repeat(1200));
        v.add("{\"a\":".repeat(700) + "1" + "}".repeat(700));
        return v;
    }
}
