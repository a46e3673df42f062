package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request to a resource path, from HTTP or from the sandbox's own controllers ({@code internal}: no
 * authentication, and lists keep each item's kind as the controllers read them).
 */
record ApiRequest(String method, ResourcePath path, Map<String, List<String>> query, String contentType,
                  String accept, String body, boolean internal) {

    static ApiRequest of(String method, String rawPath, String contentType, String accept, String body,
                         boolean internal) {
        int q = rawPath.indexOf('?');
        return new ApiRequest(method.toUpperCase(Locale.ROOT), ResourcePath.parse(rawPath),
                parseQuery(q < 0 ? "" : rawPath.substring(q + 1)), contentType == null ? "" : contentType.toLowerCase(
                Locale.ROOT), accept == null ? "" : accept, body, internal);
    }

    static Map<String, List<String>> parseQuery(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** The first value of a query parameter, or null. */
    String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    boolean flag(String name) {
        String v = param(name);
        return v != null && (v.equals("true") || v.equals("1"));
    }

    /** {@code dryRun=All}: validate and answer as if stored, store nothing. Any other value is a 400. */
    boolean dryRun() {
        List<String> values = query.getOrDefault("dryRun", List.of());
        for (String v : values) {
            if (!v.equals("All")) {
                throw ApiError.badRequest("Invalid dry run value: Unsupported value: \"" + v
                        + "\": supported values: \"All\"");
            }
        }
        return !values.isEmpty();
    }

    boolean protobuf() {
        return contentType.contains("protobuf");
    }

    /** The JSON body; a 400 worded as the API server words an unreadable body, 415 for protobuf. */
    JsonNode json(String expectedKind) {
        if (protobuf()) {
            throw ApiError.unsupportedMediaType("the sandbox accepts JSON bodies only, not " + contentType);
        }
        try {
            JsonNode node = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
            if (node == null) {
                throw ApiError.badRequest("the object provided is unrecognized (must be of type " + expectedKind
                        + "): the request body is empty");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ApiError.badRequest("the object provided is unrecognized (must be of type " + expectedKind
                    + "): couldn't get version/kind; json parse error: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("the request body could not be read: " + e.getMessage());
        }
    }

    boolean wantsTable() {
        return accept.contains("as=Table");
    }

    String mediaType() {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }
}
