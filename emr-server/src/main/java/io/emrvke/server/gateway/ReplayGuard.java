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
 * after; a duplicate arriving meanwhile waits for that answer (up to {@link #WAIT_FOR_FIRST}), then
 * gets 409 OperationDenied.ConflictingOperation. Answers that say nothing was done (429, 503, or a
 * failure that is not an API refusal) are forgotten, so a retry runs. When a server stops between
 * running a request and storing its answer, the replay is refused with 409, never run again.
 * Records expire when a replay could no longer pass the X-Date check, and are purged.
 */
final class ReplayGuard {
    static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(10);
    /** A running record this old belongs to a server that stopped before answering. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);
    private static final Duration EXPIRY_MARGIN = Duration.ofMinutes(1);
    private static final long POLL_MILLIS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(ReplayGuard.class);

    private final ReplayRecords records;
    private final Duration clockSkew;
    private final Clock clock;
    private final String owner = newOwnerId();
    private final Map<ReplayRecords.Key, CountDownLatch> running = new ConcurrentHashMap<>();

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
        while (true) {
            CountDownLatch mine = new CountDownLatch(1);
            CountDownLatch twin = running.putIfAbsent(key, mine);
            if (twin != null) {
                await(twin, deadline);
            } else {
                try {
                    if (claim(key, action, requestId, expires)) {
                        return runFirst(key, work);
                    }
                } finally {
                    running.remove(key, mine);
                    mine.countDown();
                }
            }
            Optional<ReplayRecords.Entry> first = records.find(key);
            if (first.isPresent() && first.get().answered()) {
                LOG.info("RequestId {}: a replay of signed request {} ({}); answered as it was", requestId,
                        first.get().requestId(), action);
                return answerOf(first.get());
            }
            if (first.isPresent() && (abandoned(key, first.get()) || System.nanoTime() - deadline > 0)) {
                throw unanswered(first.get());
            }
            if (first.isPresent()) {
                pause();
            }
            // gone: the first did nothing and was forgotten, so this one runs
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

    private static ApiException unanswered(ReplayRecords.Entry first) {
        return ErrorCode.CONFLICTING_OPERATION.exception("The same signed request (same Signature) was received at "
                + Instant.ofEpochMilli(first.createTime()) + " as RequestId " + first.requestId()
                + " and has no answer yet, or its server stopped before answering; a signed request is run once."
                + " Retry shortly to get its answer; to run it again, sign a new request (a new X-Date).");
    }

    private static void await(CountDownLatch twin, long deadline) {
        try {
            twin.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ErrorCode.SERVICE_UNAVAILABLE.exception("The server is stopping; retry shortly.");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
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
