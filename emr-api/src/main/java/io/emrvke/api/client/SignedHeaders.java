package io.emrvke.api.client;

import java.util.List;

/** Which request headers the client covers with its signature (docs/api.md#signing). */
public enum SignedHeaders {
    /** {@code content-type;host;x-content-sha256;x-date}, with an {@code X-Content-Sha256} header, as Python-SDK-style clients do. */
    CONTENT_TYPE_HOST_SHA256_DATE(List.of("content-type", "host", "x-content-sha256", "x-date")),
    /** {@code x-date} only and no {@code X-Content-Sha256} header, as the official Java SDK does. */
    X_DATE_ONLY(List.of("x-date"));

    private final List<String> names;

    SignedHeaders(List<String> names) {
        this.names = names;
    }

    /** Lower-case header names, sorted, as they appear in {@code SignedHeaders=}. */
    public List<String> names() {
        return names;
    }

    boolean sendsContentSha256() {
        return names.contains("x-content-sha256");
    }
}
