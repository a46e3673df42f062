package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Validation before an object is stored: every create, update, patch and status write (dry runs too)
 * passes the object as it would be stored, and the stored one for updates ({@code old} null on create).
 * Any cause makes the write a 422 Invalid naming them; a validator that words the whole answer itself
 * (a 400 for what does not decode, its own 422 message) gives it as {@link #refusal}. Must be a pure
 * function: it runs inside the store's write lock.
 */
@FunctionalInterface
public interface Admission {
    Admission NONE = (obj, old) -> List.of();

    List<Cause> check(JsonNode obj, JsonNode old);

    /** The Status to answer instead of storing (its code, reason, message and details), or empty. */
    default Optional<ObjectNode> refusal(JsonNode obj, JsonNode old) {
        return Optional.empty();
    }

    /** A validator that answers whole Status bodies, such as the API server's own validation. */
    static Admission answering(BiFunction<JsonNode, JsonNode, Optional<ObjectNode>> refusal) {
        return new Admission() {
            @Override
            public List<Cause> check(JsonNode obj, JsonNode old) {
                return List.of();
            }

            @Override
            public Optional<ObjectNode> refusal(JsonNode obj, JsonNode old) {
                return refusal.apply(obj, old);
            }
        };
    }
}
