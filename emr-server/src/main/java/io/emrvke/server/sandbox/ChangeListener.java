package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/** Told about every successful write, after it happened (in the store's order). Must not block. */
interface ChangeListener {
    void changed(String method, ApiPath path, JsonNode result);
}
