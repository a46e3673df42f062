package io.emrvke.server.gateway;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.api.ErrorCode;
import io.emrvke.api.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request's fields as one JSON object: the GET form of the query string, or a POST body
 * (JSON in UTF-8 whatever the Content-Type says, or a url-encoded form). A POST with an empty
 * body reads the query form instead, which is {@code {}} when the query has only Action/Version.
 */
final class RequestParams {
    private static final ObjectReader JSON = Json.wire().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private RequestParams() {
    }

    static ObjectNode read(String method, String contentType, List<Map.Entry<String, String>> query, byte[] body) {
        if ("GET".equals(method) || isBlank(body)) {
            return FormParams.toJson(formFields(query));
        }
        String mime = mimeType(contentType);
        if (mime.equals("application/x-www-form-urlencoded")) {
            return FormParams.toJson(formFields(QueryString.parseForm(QueryString.utf8(body, "The form body"))));
        }
        if (mime.startsWith("multipart/")) {
            throw ErrorCode.INVALID_PARAMETER.exception("Content-Type " + Params.clip(mime)
                    + " is not accepted; send a JSON object as application/json.");
        }
        return json(body);
    }

    /** Every query parameter but Action, Version and the X-* signing parameters. */
    static List<Map.Entry<String, String>> formFields(List<Map.Entry<String, String>> entries) {
        return entries.stream()
                .filter(e -> !e.getKey().equals("Action") && !e.getKey().equals("Version")
                        && !e.getKey().regionMatches(true, 0, "X-", 0, 2))
                .toList();
    }

    static ObjectNode json(byte[] body) {
        int start = 0;
        if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) {
            start = 3; // a UTF-8 byte order mark is harmless
        } else if (body.length >= 2 && ((body[0] & 0xff) == 0xFE && (body[1] & 0xff) == 0xFF
                || (body[0] & 0xff) == 0xFF && (body[1] & 0xff) == 0xFE)) {
            throw ErrorCode.INVALID_PARAMETER.exception(
                    "The request body starts with a UTF-16 byte order mark; send JSON encoded as UTF-8.");
        }
        byte[] bytes = start == 0 ? body : java.util.Arrays.copyOfRange(body, start, body.length);
        String text = QueryString.utf8(bytes, "The request body");
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw ErrorCode.INVALID_PARAMETER.exception("The request body is not valid JSON: "
                    + problem(e) + where(e.getLocation()) + ".");
        }
        if (node == null || node.isMissingNode()) {
            return Json.wire().createObjectNode();
        }
        if (!node.isObject()) {
            throw ErrorCode.INVALID_PARAMETER.exception("The request body must be a JSON object, got "
                    + (node.isArray() ? "an array" : node.isNull() ? "null" : "a " + node.getNodeType().name()
                    .toLowerCase(Locale.ROOT)) + ".");
        }
        return (ObjectNode) node;
    }

    private static String problem(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "unreadable";
        }
        String clean = m.replaceAll("[\\p{Cntrl}]", " ").trim();
        return clean.length() <= 200 ? clean : clean.substring(0, 197) + "...";
    }

    private static String where(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return "";
        }
        return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static String mimeType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
