package io.emrvke.server.sandbox.admission;

import static io.emrvke.server.sandbox.admission.Fields.at;
import static io.emrvke.server.sandbox.admission.Fields.list;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.kubernetes.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the API server refuses before it validates anything, while decoding the JSON into its typed object:
 * resource quantities that do not parse and Secret data that is not base64. It answers 400 BadRequest
 * "&lt;Kind&gt; in version "&lt;v&gt;" cannot be handled as a &lt;Kind&gt;: &lt;first error&gt;".
 */
final class Decoding {
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private Decoding() {
    }

    /** The first decoding error of the object, in document order, or empty. */
    static Optional<String> firstError(String kind, JsonNode object) {
        List<JsonNode> quantities = new ArrayList<>();
        switch (kind) {
            case "Pod" -> podSpecQuantities(at(object, "spec"), quantities);
            case "Deployment", "StatefulSet" -> {
                podSpecQuantities(at(at(at(object, "spec"), "template"), "spec"), quantities);
                for (JsonNode claim : list(at(object, "spec"), "volumeClaimTemplates")) {
                    resourceQuantities(at(at(claim, "spec"), "resources"), quantities);
                }
            }
            case "Secret" -> {
                return base64Error(at(object, "data"));
            }
            default -> {
            }
        }
        for (JsonNode q : quantities) {
            try {
                Quantity.parse(raw(q));
            } catch (Quantity.Malformed e) {
                return Optional.of(e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The quantity a JSON value decodes to; empty for one that does not decode (refused by firstError). */
    static Optional<Quantity> quantity(JsonNode value) {
        return Quantity.ofJson(raw(value));
    }

    /** What Quantity.UnmarshalJSON parses: a string's text, or a number's literal, trimmed. */
    private static String raw(JsonNode value) {
        return value.isNull() ? "0" : value.isTextual() ? value.asText().strip() : value.toString();
    }

    private static void podSpecQuantities(JsonNode spec, List<JsonNode> out) {
        for (JsonNode volume : list(spec, "volumes")) {
            JsonNode sizeLimit = at(at(volume, "emptyDir"), "sizeLimit");
            if (!sizeLimit.isMissingNode()) {
                out.add(sizeLimit);
            }
        }
        for (String kind : List.of("initContainers", "containers")) {
            for (JsonNode container : list(spec, kind)) {
                resourceQuantities(at(container, "resources"), out);
            }
        }
        at(spec, "overhead").forEach(out::add);
    }

    private static void resourceQuantities(JsonNode resources, List<JsonNode> out) {
        at(resources, "limits").forEach(out::add);
        at(resources, "requests").forEach(out::add);
    }

    /** Go's base64.StdEncoding.Decode as encoding/json applies it to a []byte: its first CorruptInputError. */
    private static Optional<String> base64Error(JsonNode data) {
        for (JsonNode value : data) {
            int at = corruptAt(value.asText());
            if (at >= 0) {
                return Optional.of("illegal base64 data at input byte " + at);
            }
        }
        return Optional.empty();
    }

    /** The offset Go's decodeQuantum reports, or -1 when the text decodes (line breaks are skipped). */
    static int corruptAt(String src) {
        int si = 0;
        while (si < src.length()) {
            int j = 0;
            while (j < 4) {
                if (si == src.length()) {
                    return j == 0 ? -1 : si - j;
                }
                char in = src.charAt(si++);
                if (BASE64.indexOf(in) >= 0) {
                    j++;
                } else if (in == '\n' || in == '\r') {
                    continue;
                } else if (in != '=' || j < 2) {
                    return si - 1;
                } else {
                    return padding(src, si, j);
                }
            }
        }
        return -1;
    }

    /** After the first '=' of a quantum's padding: "==" when two characters came, then nothing but breaks. */
    private static int padding(String src, int si, int j) {
        if (j == 2) {
            si = skipBreaks(src, si);
            if (si == src.length()) {
                return src.length();
            }
            if (src.charAt(si) != '=') {
                return si - 1;
            }
            si++;
        }
        si = skipBreaks(src, si);
        return si < src.length() ? si : -1;
    }

    private static int skipBreaks(String src, int si) {
        while (si < src.length() && (src.charAt(si) == '\n' || src.charAt(si) == '\r')) {
            si++;
        }
        return si;
    }
}
