package io.emrvke.server.operation.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.server.disclosure.Clip;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Remembered results of mutating requests that carried a ClientToken (table idempotency_tokens),
 * written in the transaction that does the request's work. Entries count for {@code retention}
 * (at least 24 hours); older ones are ignored and purged.
 */
public final class Idempotency {
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(25);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long retentionMillis;

    public Idempotency(Duration retention) {
        if (retention.compareTo(Duration.ofHours(24)) < 0) {
            throw new IllegalArgumentException("ClientToken results must be kept for at least 24 hours");
        }
        this.retentionMillis = retention.toMillis();
    }

    /** The result a submit answers: ClusterId and OperationId. */
    public record Result(String clusterId, String operationId) {
    }

    /**
     * The original result of this token, if the account used it for the action within the
     * retention period.
     *
     * @throws ClientTokenReusedException when the token came with other parameters
     */
    public Optional<Result> find(Handle h, long accountId, ClientToken token, long now) {
        Optional<Stored> stored = h.createQuery("SELECT params_digest, result, create_time FROM idempotency_tokens"
                        + " WHERE account_id = :accountId AND action = :action AND client_token = :token")
                .bind("accountId", accountId).bind("action", token.action()).bind("token", token.token())
                .map((rs, ctx) -> new Stored(rs.getString("params_digest"), rs.getString("result"),
                        rs.getLong("create_time")))
                .findOne();
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Stored s = stored.get();
        if (s.createTime() < now - retentionMillis) {
            forget(h, accountId, token);
            return Optional.empty();
        }
        if (!s.digest().equals(token.requestDigest())) {
            throw new ClientTokenReusedException("ClientToken '" + Clip.of(token.token())
                    + "' was already used for a " + token.action() + " request with different parameters;"
                    + " send the same parameters to get its result, or use a new ClientToken.");
        }
        return Optional.of(parse(s.result()));
    }

    public void remember(Handle h, long accountId, ClientToken token, Result result, long now) {
        h.createUpdate("INSERT INTO idempotency_tokens (account_id, action, client_token, params_digest, result,"
                        + " create_time) VALUES (:accountId, :action, :token, :digest, :result, :now)")
                .bind("accountId", accountId).bind("action", token.action()).bind("token", token.token())
                .bind("digest", token.requestDigest()).bind("result", render(result)).bind("now", now)
                .execute();
    }

    /** Deletes entries past the retention period; returns how many. */
    public int purge(Handle h, long now) {
        return h.createUpdate("DELETE FROM idempotency_tokens WHERE create_time < :cutoff")
                .bind("cutoff", now - retentionMillis).execute();
    }

    private static void forget(Handle h, long accountId, ClientToken token) {
        h.createUpdate("DELETE FROM idempotency_tokens"
                        + " WHERE account_id = :accountId AND action = :action AND client_token = :token")
                .bind("accountId", accountId).bind("action", token.action()).bind("token", token.token())
                .execute();
    }

    private static String render(Result r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ClusterId", r.clusterId());
        o.put("OperationId", r.operationId());
        return o.toString();
    }

    private static Result parse(String json) {
        try {
            ObjectNode o = (ObjectNode) JSON.readTree(json);
            return new Result(o.path("ClusterId").asText(null), o.path("OperationId").asText(null));
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("unreadable idempotency result in the store", e);
        }
    }

    private record Stored(String digest, String result, long createTime) {
    }
}
