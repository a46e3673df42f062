package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Told about every stored change (never about dry runs or no-op writes), in the store's order, while the
 * store's write lock is held: it must not block. {@code path} is the request's path (for cascaded
 * deletions, the deleted object's own path); {@code object} is the object as stored, or as it was when
 * deleted.
 */
@FunctionalInterface
public interface WriteListener {
    WriteListener NONE = (method, path, object) -> { };

    void changed(String method, String path, JsonNode object);
}
