package io.emrvke.server.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where the gateway remembers the signed mutating requests it has run and their first answers,
 * until a replay of them could no longer pass authentication (see {@link ReplayGuard}). The
 * control plane keeps them in its store ({@link StoredReplayRecords}), so they outlive a restart.
 */
public interface ReplayRecords {

    /** A signed request: its access key and the SHA-256 (hex) of its signature. */
    record Key(String accessKeyId, String signatureDigest) {

        public static Key of(String accessKeyId, String signature) {
            try {
                return new Key(accessKeyId, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(signature.getBytes(StandardCharsets.UTF_8))));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
    }

    /**
     * A remembered request: still running, or answered with {@code answer} (the Result as JSON when
     * {@code errorCode} is null, else the error's message).
     */
    record Entry(String owner, String requestId, boolean answered, String errorCode, String answer,
                 long createTime, long expireTime) {
    }

    /** Remembers the request as running unless it is remembered already; true when this call stored it. */
    boolean claim(Key key, String action, String owner, String requestId, long now, long expireTime);

    Optional<Entry> find(Key key);

    /** Stores the first answer of a claimed request. */
    void answer(Key key, String errorCode, String answer);

    /** Forgets a claimed request that did nothing (so that running it again is its first run). */
    void release(Key key);

    /** Forgets requests that expired before {@code now}; returns how many. */
    int purge(long now);

    /** Records kept in this process only: a restart forgets them. For gateways without a store. */
    static ReplayRecords inMemory() {
        return new MemoryReplayRecords();
    }
}
