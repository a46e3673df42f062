package io.emrvke.server.gateway;

import io.emrvke.api.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code k=v&k=v} strings. Query strings are decoded RFC 3986 style: {@code %XX} only,
 * {@code +} stays {@code +} (signers encode spaces as {@code %20}, and the signature covers the
 * decoded values). Form bodies ({@code application/x-www-form-urlencoded}) also read {@code +} as a
 * space, as HTML forms and Python's urlencode write it. Bad escapes and invalid UTF-8 are
 * InvalidParameter.
 */
final class QueryString {
    private QueryString() {
    }

    static List<Map.Entry<String, String>> parseQuery(String raw) {
        return parse(raw, false, "query string");
    }

    static List<Map.Entry<String, String>> parseForm(String raw) {
        return parse(raw, true, "form body");
    }

    private static List<Map.Entry<String, String>> parse(String raw, boolean plusIsSpace, String where) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        int n = 0;
        for (String pair : raw.split("&", -1)) {
            n++;
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), plusIsSpace, where, n);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), plusIsSpace, where, n);
            if (key.isEmpty()) {
                throw ErrorCode.INVALID_PARAMETER.exception("Parameter " + n + " of the " + where
                        + " has an empty name.");
            }
            out.add(new SimpleImmutableEntry<>(key, value));
        }
        return out;
    }

    static String decode(String s, boolean plusIsSpace, String where, int index) {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0) && isAscii(s)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    String bad = s.substring(i, Math.min(s.length(), i + 3));
                    throw ErrorCode.INVALID_PARAMETER.exception("Parameter " + index + " of the " + where
                            + " has a bad escape '" + Params.clip(bad) + "'; use %XX with two hex digits.");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    utf8 = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return utf8(bytes.toByteArray(), "Parameter " + index + " of the " + where);
    }

    /** Strict UTF-8 decoding; malformed input is InvalidParameter naming where and the byte offset. */
    static String utf8(byte[] bytes, String what) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw ErrorCode.INVALID_PARAMETER.exception(what + " is not valid UTF-8 (bad byte at offset "
                    + in.position() + ").");
        }
        return out.flip().toString();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
