package io.emrvke.server.operation.engine;

import io.emrvke.server.disclosure.Clip;
import java.util.Objects;

/**
 * A request's ClientToken (docs/api.md#replays-and-idempotency) with the action it came with and a
 * digest of the request's other parameters: the same account + action + token + digest gets the
 * original result. The API layer reads it from the request ({@code api.ClientTokens}).
 */
public record ClientToken(String action, String token, String requestDigest) {
    public ClientToken {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(requestDigest, "requestDigest");
    }

    @Override
    public String toString() {
        return "ClientToken[" + action + ", " + Clip.of(token) + "]";
    }
}
