package io.emrvke.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.emrvke.api.ErrorCode;
import io.emrvke.api.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** The response envelope of docs/api.md#responses: ResponseMetadata, then Result (success) or Error (failure). */
final class Envelope {
    static final String SERVICE = "emr";

    /** What every envelope repeats about its request. */
    record Metadata(String requestId, String action, String version, String region) {
    }

    private Envelope() {
    }

    static byte[] success(Metadata meta, Object result) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>(4);
        body.put("ResponseMetadata", metadata(meta));
        body.put("Result", result == null ? Map.of() : result);
        return Json.wire().writeValueAsBytes(body);
    }

    static byte[] error(Metadata meta, ErrorCode code, String message) {
        Map<String, Object> error = new LinkedHashMap<>(4);
        if (code.codeN() != null) {
            error.put("CodeN", code.codeN());
        }
        error.put("Code", code.code());
        error.put("Message", message);
        Map<String, Object> metadata = metadata(meta);
        metadata.put("Error", error);
        try {
            return Json.wire().writeValueAsBytes(Map.of("ResponseMetadata", metadata));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings and numbers always serialise", e);
        }
    }

    private static Map<String, Object> metadata(Metadata meta) {
        Map<String, Object> m = new LinkedHashMap<>(8);
        m.put("RequestId", meta.requestId());
        m.put("Action", meta.action() == null ? "" : meta.action());
        m.put("Version", meta.version() == null ? "" : meta.version());
        m.put("Service", SERVICE);
        m.put("Region", meta.region());
        return m;
    }
}
