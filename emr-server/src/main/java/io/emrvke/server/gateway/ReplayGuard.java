package io.emrvke.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.api.Json;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a signed mutating request at most once. A replay (the same access key and signature: the same
 * method, query, signed headers, X-Date and body) that passes authentication within the clock-skew
 * window gets the first answer again, with or without a ClientToken, instead of being run again.
 *
 * <p>The first request claims its key in {@link ReplayRecords} before it runs and stores its answer
 * after; a duplicate arriving meanwhile waits for that answer (up to {@link #WAIT_FOR_FIRST}; at most
 * {@link #MAX_WAITING_DUPLICATES} wait at once), else gets 409 OperationDenied.ConflictingOperation.
 * Answers that say nothing was done (429, 503, or a failure that is not an API refusal) are
 * forgotten, so a retry runs. When a server stops between
 * running a request and storing its answer, the replay is refused with 409, never run again.
 * Records expire when a replay could no longer pass the X-Date check, and are purged.
 */
final class ReplayGuard {
    static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(10);
    /** A running record this old belongs to a server that stopped before answering. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);
    private static final Duration EXPIRY_MARGIN = Duration.ofMinutes(1);
    private static final long POLL_MILLIS = 50;
    /** Duplicates waiting for a first answer hold request threads: only this many at once, the rest get 409. */
    static final int MAX_WAITING_DUPLICATES = 8;
    private static final Logger LOG = LoggerFactory.getLogger(ReplayGuard.class);

    private final ReplayRecords records;
    private final Duration clockSkew;
    private final Clock clock;
    private final String owner = newOwnerId();
    private final Map<ReplayRecords.Key, CountDownLatch> running = new ConcurrentHashMap<>();
    private final Semaphore waiters = new Semaphore(MAX_WAITING_DUPLICATES);

    ReplayGuard(ReplayRecords records, Duration clockSkew, Clock clock) {
        this.records = records;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /**
     * The answer of {@code work}, run unless this signed request ran before.
     *
     * @return the Result as JSON, the same tree for the first answer and every replay
     * @throws ApiException the first answer's refusal, replayed; or 409 while the first has no answer
     */
    JsonNode once(Authenticator.Authenticated who, String action, String requestId, Supplier<Object> work) {
        ReplayRecords.Key key = ReplayRecords.Key.of(who.caller().accessKeyId(), who.signature());
        long expires = who.signedAt().plus(clockSkew).plus(EXPIRY_MARGIN).toEpochMilli();
        long deadline = System.nanoTime() + WAIT_FOR_FIRST.toNanos();
        boolean waiting = false;
        try {
            while (true) {
                CountDownLatch mine = new CountDownLatch(1);
                CountDownLatch twin = running.putIfAbsent(key, mine);
                if (twin == null) {
                    Optional<JsonNode> ran = runIfFirst(key, mine, action, requestId, expires, work);
                    if (ran.isPresent()) {
                        return ran.get();
                    }
                }
                Optional<ReplayRecords.Entry> first = twin == null ? records.find(key) : Optional.empty();
                if (first.isPresent() && first.get().answered()) {
                    LOG.info("RequestId {}: a replay of signed request {} ({}); answered as it was", requestId,
                            first.get().requestId(), action);
                    return answerOf(first.get());
                }
                if (twin == null && first.isEmpty()) {
                    continue; // the first did nothing and was forgotten: this one runs
                }
                boolean hopeless = first.isPresent() && abandoned(key, first.get());
                if (hopeless || System.nanoTime() - deadline > 0 || !(waiting || (waiting = waiters.tryAcquire()))) {
                    throw unanswered(first.or(() -> records.find(key)));
                }
                awaitFirst(twin, deadline);
            }
        } finally {
            if (waiting) {
                waiters.release();
            }
        }
    }

    /** Runs the request when this call claims its key; empty when another call has claimed it before. */
    private Optional<JsonNode> runIfFirst(ReplayRecords.Key key, CountDownLatch mine, String action,
                                          String requestId, long expires, Supplier<Object> work) {
        try {
            return claim(key, action, requestId, expires) ? Optional.of(runFirst(key, work)) : Optional.empty();
        } finally {
            running.remove(key, mine);
            mine.countDown();
        }
    }

    /** Forgets records past their expiry; returns how many. */
    int purgeExpired() {
        return records.purge(clock.millis());
    }

    private boolean claim(ReplayRecords.Key key, String action, String requestId, long expires) {
        long now = clock.millis();
        if (records.claim(key, action, owner, requestId, now, expires)) {
            return true;
        }
        Optional<ReplayRecords.Entry> stale = records.find(key).filter(e -> e.expireTime() < now);
        if (stale.isPresent()) {
            records.release(key);
            return records.claim(key, action, owner, requestId, now, expires);
        }
        return false;
    }

    private JsonNode runFirst(ReplayRecords.Key key, Supplier<Object> work) {
        JsonNode result;
        try {
            result = Json.wire().valueToTree(work.get());
        } catch (RuntimeException | Error e) {
            settleFailure(key, e);
            throw e;
        }
        store(key, null, result.toString());
        return result;
    }

    private void settleFailure(ReplayRecords.Key key, Throwable failure) {
        ApiException refusal = Failures.apiException(failure);
        boolean didNothing = refusal == null || refusal.error() == ErrorCode.FLOW_LIMIT_EXCEEDED
                || refusal.error() == ErrorCode.SERVICE_UNAVAILABLE;
        try {
            if (didNothing) {
                records.release(key);
            } else {
                records.answer(key, refusal.error().code(), refusal.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not record the outcome of a signed request; its replays will be refused: {}",
                    e.toString());
        }
    }

    /** The request ran: its answer stands even when it cannot be recorded (replays are then refused). */
    private void store(ReplayRecords.Key key, String errorCode, String answer) {
        try {
            records.answer(key, errorCode, answer);
        } catch (RuntimeException e) {
            LOG.warn("could not record the answer of a signed request; its replays will be refused: {}",
                    e.toString());
        }
    }

    private boolean abandoned(ReplayRecords.Key key, ReplayRecords.Entry entry) {
        boolean oursButNotRunning = entry.owner().equals(owner) && !running.containsKey(key);
        return oursButNotRunning || entry.createTime() < clock.millis() - ABANDONED_AFTER.toMillis();
    }

    private static JsonNode answerOf(ReplayRecords.Entry entry) {
        if (entry.errorCode() != null) {
            ErrorCode code = ErrorCode.fromCode(entry.errorCode());
            throw (code == null ? ErrorCode.INTERNAL_ERROR : code).exception(entry.answer());
        }
        try {
            return Json.wire().readTree(entry.answer());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable replay answer in the store", e);
        }
    }

    private static ApiException unanswered(Optional<ReplayRecords.Entry> first) {
        String when = first.map(e -> " at " + Instant.ofEpochMilli(e.createTime()) + " as RequestId " + e.requestId())
                .orElse("");
        return ErrorCode.CONFLICTING_OPERATION.exception("The same signed request (same Signature) was received"
                + when + " and has no answer yet, or its server stopped before answering; a signed request is run"
                + " once. Retry shortly to get its answer; to run it again, sign a new request (a new X-Date).");
    }

    /** Until the twin running in this process ends, or for a while when the first runs elsewhere. */
    private static void awaitFirst(CountDownLatch twin, long deadline) {
        try {
            if (twin != null) {
                twin.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } else {
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ErrorCode.SERVICE_UNAVAILABLE.exception("The server is stopping; retry shortly.");
        }
    }

    /** Tells this server's records from those of other servers (and of its own earlier runs). */
    private static String newOwnerId() {
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}
