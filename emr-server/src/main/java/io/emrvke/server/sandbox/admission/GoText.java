package io.emrvke.server.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Values written as the Go API server writes them into messages: strings with {@code %q} (strconv.Quote) and
 * everything else with encoding/json (HTML characters escaped). JSON objects are written in the order their
 * members were put: a caller builds a Go struct's members in field order and sorts a Go map's keys.
 */
final class GoText {
    private static final String HEX = "0123456789abcdef";

    private GoText() {
    }

    /** strconv.Quote. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(c -> quoteRune(out, c));
        return out.append('"').toString();
    }

    private static void quoteRune(StringBuilder out, int c) {
        switch (c) {
            case '"', '\\' -> out.append('\\').appendCodePoint(c);
            case 0x07 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x0b -> out.append("\\v");
            default -> {
                if (isPrint(c)) {
                    out.appendCodePoint(c);
                } else if (c < ' ' || c == 0x7f) {
                    out.append("\\x").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
                } else if (c < 0x10000) {
                    out.append(String.format("\\u%04x", c));
                } else {
                    out.append(String.format("\\U%08x", c));
                }
            }
        }
    }

    /** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrint(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                 Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /** json.Marshal of a value already arranged as Go would lay it out. */
    static String json(JsonNode node) {
        StringBuilder out = new StringBuilder();
        json(out, node);
        return out.toString();
    }

    private static void json(StringBuilder out, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isTextual()) {
            jsonString(out, node.asText());
        } else if (node.isObject()) {
            out.append('{');
            Iterator<String> names = node.fieldNames();
            boolean first = true;
            while (names.hasNext()) {
                String name = names.next();
                out.append(first ? "" : ",");
                jsonString(out, name);
                out.append(':');
                json(out, node.get(name));
                first = false;
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",");
                json(out, node.get(i));
            }
            out.append(']');
        } else {
            out.append(node.asText());
        }
    }

    private static void jsonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"', '\\' -> out.append('\\').append(c);
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < ' ') {
                        out.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The keys of a JSON object in Go's map order (sorted). */
    static List<String> sortedKeys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        if (object != null && object.isObject()) {
            object.fieldNames().forEachRemaining(keys::add);
        }
        keys.sort(null);
        return keys;
    }
}
