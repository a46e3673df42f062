package io.emrvke.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.engine.ClientToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import java.util.TreeSet;

/** Reads a request's ClientToken (docs/api.md#replays-and-idempotency): 1–64 printable ASCII. */
public final class ClientTokens {
    public static final String FIELD = "ClientToken";
    public static final int MAX_LENGTH = 64;

    private ClientTokens() {
    }

    /** The request's ClientToken, validated (1–64 printable ASCII), or empty when it has none. */
    static Optional<ClientToken> of(ActionContext ctx) {
        return of(ctx.action(), ctx.params());
    }

    public static Optional<ClientToken> of(String action, Params params) {
        Optional<String> token = params.optionalString(FIELD);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        String t = token.get();
        if (t.isEmpty() || t.length() > MAX_LENGTH) {
            throw params.invalid(FIELD, "must be 1 to " + MAX_LENGTH + " characters, got " + t.length());
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw params.invalid(FIELD, "must hold printable ASCII characters only (position " + (i + 1) + ")");
            }
        }
        return Optional.of(new ClientToken(action, t, digestOf(params.json())));
    }

    /**
     * SHA-256 (hex) of the request without its ClientToken, with object keys sorted so that key
     * order does not matter.
     */
    public static String digestOf(JsonNode request) {
        JsonNode canonical = canonical(request);
        if (canonical instanceof ObjectNode o) {
            o.remove(FIELD);
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            TreeSet<String> names = new TreeSet<>();
            Iterator<String> it = node.fieldNames();
            it.forEachRemaining(names::add);
            for (String name : names) {
                out.set(name, canonical(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(canonical(e)));
            return out;
        }
        return node;
    }
}
