package io.emrvke.server.gateway;

import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@link ReplayRecords} in the store's table {@code signed_request_replays}: they outlive a restart. */
public final class StoredReplayRecords implements ReplayRecords {
    private static final String RUNNING = "RUNNING";
    private static final String ANSWERED = "ANSWERED";
    private static final String WHERE_KEY = " WHERE access_key_id = :ak AND signature_digest = :digest";

    private final Jdbi jdbi;

    public StoredReplayRecords(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean claim(Key key, String action, String owner, String requestId, long now, long expireTime) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO signed_request_replays (access_key_id, signature_digest,"
                            + " action, owner, request_id, state, create_time, expire_time) VALUES (:ak, :digest,"
                            + " :action, :owner, :requestId, :state, :now, :expires)")
                    .bind("ak", key.accessKeyId()).bind("digest", key.signatureDigest()).bind("action", action)
                    .bind("owner", owner).bind("requestId", requestId).bind("state", RUNNING).bind("now", now)
                    .bind("expires", expireTime)
                    .execute());
            return true;
        } catch (UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<Entry> find(Key key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT owner, request_id, state, error_code, answer, create_time,"
                        + " expire_time FROM signed_request_replays" + WHERE_KEY)
                .bind("ak", key.accessKeyId()).bind("digest", key.signatureDigest())
                .map((rs, ctx) -> new Entry(rs.getString("owner"), rs.getString("request_id"),
                        ANSWERED.equals(rs.getString("state")), rs.getString("error_code"), rs.getString("answer"),
                        rs.getLong("create_time"), rs.getLong("expire_time")))
                .findOne());
    }

    @Override
    public void answer(Key key, String errorCode, String answer) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE signed_request_replays SET state = :state,"
                        + " error_code = :code, answer = :answer" + WHERE_KEY)
                .bind("state", ANSWERED).bind("code", errorCode).bind("answer", answer)
                .bind("ak", key.accessKeyId()).bind("digest", key.signatureDigest())
                .execute());
    }

    @Override
    public void release(Key key) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM signed_request_replays" + WHERE_KEY)
                .bind("ak", key.accessKeyId()).bind("digest", key.signatureDigest())
                .execute());
    }

    @Override
    public int purge(long now) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM signed_request_replays WHERE expire_time < :now")
                .bind("now", now).execute());
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
