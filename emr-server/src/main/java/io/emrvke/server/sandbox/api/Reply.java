package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;

/** An answer: a JSON body, or text (logs, health), with its status code. */
public record Reply(int code, JsonNode body, String text) {
    static Reply json(int code, JsonNode body) {
        return new Reply(code, body, null);
    }

    static Reply text(int code, String text) {
        return new Reply(code, null, text);
    }

    static Reply of(ApiError e) {
        return new Reply(e.code(), e.status(), null);
    }

    public boolean ok() {
        return code >= 200 && code < 300;
    }
}
