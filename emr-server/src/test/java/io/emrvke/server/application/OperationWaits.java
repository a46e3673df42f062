package io.emrvke.server.application;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/** Waiting for an operation through the API, as every plane of these tests does. */
final class OperationWaits {
    private static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILED", "CANCEL", "SKIP");

    private OperationWaits() {
    }

    /** Polls {@code getOperation} (the GetOperation Result of an id) until the operation ended; its last Result. */
    static JsonNode awaitEnd(String operationId, Duration timeout, Function<String, JsonNode> getOperation) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode op = getOperation.apply(operationId);
            if (TERMINAL.contains(op.path("OperationState").asText())) {
                return op;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("operation never ended within " + timeout + ": " + op);
            }
            ActionPlane.sleep(50);
        }
    }

    /** The operation's final Result when it succeeded; an AssertionError naming {@code what} otherwise. */
    static JsonNode requireSuccess(String what, JsonNode operation) {
        if (!"SUCCESS".equals(operation.path("OperationState").asText())) {
            throw new AssertionError(what + " did not succeed: " + operation);
        }
        return operation;
    }
}
