package io.emrvke.server.gateway;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Reads one request body without holding a thread while the client is slow: chunks are taken as
 * they arrive (Jetty calls back when there is more) and copied into one array that grows with what
 * arrived, never beyond the limit. It reports exactly one outcome: the whole body, a body over the
 * limit, a body arriving below the minimum rate, or a failure (the client left).
 *
 * <p>After an early answer it can also drain what the client still sends, discarding it, so that a
 * client that writes its whole body before reading can read the answer instead of a reset. The
 * drain ends with the body, or when the client falls below the minimum rate, or after the linger
 * time, whichever comes first.
 *
 * <p>The rate rule: once {@code grace} has passed since the head arrived, the bytes received must
 * be at least {@code minBytesPerSecond} times the time spent beyond the grace.
 */
final class BodyReader implements Invocable.Task, ConnectionGuard.Deadline {
    private static final int FIRST_CAPACITY = 16 * 1024;

    /** What became of the body; called once, never on Jetty's selector thread. */
    interface Outcome {
        void loaded(byte[] body);

        void tooLarge(long bytesSeen);

        /** The bodies being received together hold the whole {@link BodyBudget}. */
        void overBudget(long budgetBytes);

        void tooSlow(long bytesSeen, long elapsedNanos);

        void failed(Throwable cause);
    }

    private enum Mode { LOADING, PAUSED, DRAINING, DONE }

    private final Request request;
    private final int maxBytes;
    private final long minBytesPerSecond;
    private final long graceNanos;
    private final long lingerNanos;
    private final LongSupplier nanoTime;
    private final Outcome outcome;
    private final BodyBudget budget;
    private final AtomicLong reserved = new AtomicLong();
    private final long startNanos;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.LOADING);
    private volatile long seen;
    private volatile long drainDeadline;
    private volatile Runnable afterDrain;
    private byte[] buffer = new byte[0];
    private int length;

    BodyReader(Request request, int maxBytes, ClientLimits limits, long lingerNanos, LongSupplier nanoTime,
               BodyBudget budget, Outcome outcome) {
        this.request = request;
        this.budget = budget;
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = limits.minBodyBytesPerSecond();
        this.graceNanos = limits.bodyGrace().toNanos();
        this.lingerNanos = lingerNanos;
        this.nanoTime = nanoTime;
        this.outcome = outcome;
        this.startNanos = nanoTime.getAsLong();
    }

    /** Starts reading on the calling (request) thread; outcomes ready now are reported on it. */
    void start() {
        read(false);
    }

    /**
     * Stops keeping what arrives and discards the rest of the body, then runs {@code done}. Called
     * after an early answer, in place of (or after a {@code tooLarge} from) {@link #start}.
     */
    void drainThen(Runnable done) {
        afterDrain = done;
        drainDeadline = nanoTime.getAsLong() + lingerNanos;
        Mode before = mode.getAndUpdate(m -> m == Mode.DONE ? Mode.DONE : Mode.DRAINING);
        if (before == Mode.DONE) {
            done.run();
        } else {
            read(false);
        }
    }

    /** Jetty's demand callback: more content (or its end, or a failure) is there. */
    @Override
    public void run() {
        read(true);
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public void check(long nowNanos) {
        Mode m = mode.get();
        boolean slow = belowMinimumRate(nowNanos);
        if (m == Mode.LOADING && slow && mode.compareAndSet(Mode.LOADING, Mode.DONE)) {
            long bytes = seen;
            outcome.tooSlow(bytes, nowNanos - startNanos);
        } else if (m == Mode.DRAINING && (slow || nowNanos - drainDeadline > 0)) {
            finishDrain();
        }
    }

    private boolean belowMinimumRate(long nowNanos) {
        long beyondGrace = nowNanos - startNanos - graceNanos;
        return beyondGrace > 0 && seen < (double) minBytesPerSecond * beyondGrace / 1e9;
    }

    private void read(boolean fromDemand) {
        while (true) {
            Mode m = mode.get();
            if (m == Mode.DONE || m == Mode.PAUSED) {
                return;
            }
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                failed(chunk.getFailure(), fromDemand);
                return;
            }
            if (!take(chunk, m, fromDemand)) {
                return;
            }
        }
    }

    /** Keeps or discards one chunk; false when reading ends with it. */
    private boolean take(Content.Chunk chunk, Mode m, boolean fromDemand) {
        boolean last = chunk.isLast();
        ByteBuffer bytes = chunk.getByteBuffer();
        int n = bytes.remaining();
        seen += n;
        if (m == Mode.DRAINING) {
            chunk.release();
            if (last) {
                finishDrain();
            }
            return !last;
        }
        if ((long) length + n > maxBytes) {
            chunk.release();
            if (mode.compareAndSet(Mode.LOADING, Mode.PAUSED)) {
                long bytesSeen = seen;
                report(() -> outcome.tooLarge(bytesSeen), fromDemand);
            }
            return false;
        }
        if (!append(bytes, n)) {
            chunk.release();
            if (mode.compareAndSet(Mode.LOADING, Mode.PAUSED)) {
                report(() -> outcome.overBudget(budget.capacity()), fromDemand);
            }
            return false;
        }
        chunk.release();
        if (last && mode.compareAndSet(Mode.LOADING, Mode.DONE)) {
            byte[] body = length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
            report(() -> outcome.loaded(body), fromDemand);
        }
        return !last;
    }

    /** Copies the bytes into the buffer, growing it within the budget; false when the budget is spent. */
    private boolean append(ByteBuffer bytes, int n) {
        if (length + n > buffer.length) {
            int capacity = Math.max(buffer.length, FIRST_CAPACITY);
            while (capacity < length + n) {
                capacity = (int) Math.min((long) capacity * 2, maxBytes);
            }
            if (!reserve(capacity - buffer.length)) {
                return false;
            }
            buffer = Arrays.copyOf(buffer, capacity);
        }
        bytes.get(buffer, length, n);
        length += n;
        return true;
    }

    private boolean reserve(long bytes) {
        if (!budget.tryReserve(bytes)) {
            return false;
        }
        if (reserved.getAndUpdate(r -> r < 0 ? r : r + bytes) < 0) {
            budget.release(bytes); // the request has ended meanwhile
            return false;
        }
        return true;
    }

    /** Gives back what the buffer took from the budget; called once the request has ended. */
    void releaseBudget() {
        long held = reserved.getAndSet(-1);
        if (held > 0) {
            budget.release(held);
        }
    }

    private void failed(Throwable cause, boolean fromDemand) {
        Mode before = mode.getAndSet(Mode.DONE);
        if (before == Mode.DRAINING) {
            runAfterDrain();
        } else if (before != Mode.DONE) {
            report(() -> outcome.failed(cause), fromDemand);
        }
    }

    private void finishDrain() {
        if (mode.compareAndSet(Mode.DRAINING, Mode.DONE)) {
            runAfterDrain();
        }
    }

    private void runAfterDrain() {
        Runnable done = afterDrain;
        if (done != null) {
            done.run();
        }
    }

    /** Outcomes may block (the loaded body is served by blocking handlers): off the selector thread. */
    private void report(Runnable report, boolean fromDemand) {
        if (fromDemand) {
            request.getContext().execute(report);
        } else {
            report.run();
        }
    }
}
