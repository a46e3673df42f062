package io.emrvke.server.gateway;

import io.emrvke.api.ApiException;

/** Sorts what a request threw into the answers of docs/api.md#errors. */
final class Failures {
    private static final int MAX_DEPTH = 32;

    private Failures() {
    }

    /** The ApiException the failure is or wraps (a transaction callback may wrap it), else null. */
    static ApiException apiException(Throwable t) {
        Throwable c = t;
        for (int i = 0; c != null && i < MAX_DEPTH; i++, c = c.getCause()) {
            if (c instanceof ApiException api) {
                return api;
            }
        }
        return null;
    }
}
