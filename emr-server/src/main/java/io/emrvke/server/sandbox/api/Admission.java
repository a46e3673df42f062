package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Validation before an object is stored: every create, update, patch and status write (dry runs too)
 * passes the object as it would be stored, and the stored one for updates ({@code old} null on create).
 * Any cause makes the write a 422 Invalid naming them. Must be a pure function: it runs inside the
 * store's write lock.
 */
@FunctionalInterface
public interface Admission {
    Admission NONE = (obj, old) -> List.of();

    List<Cause> check(JsonNode obj, JsonNode old);
}
