package io.emrvke.server.operation.engine;

import io.emrvke.server.operation.StepRow;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A step executor that records every invocation (release name, engine, token it saw) and fails
 * the test when two invocations of the same step overlap in time.
 */
class RecordingExecutor implements StepExecutor {
    record Invocation(String release, int attempt, String engine, String tokenSeen, long start) {
    }

    interface Body {
        StepResult run(StepContext ctx) throws Exception;
    }

    final List<Invocation> invocations;
    final List<String> overlaps = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> active;
    private final String engineName;
    private final Body body;

    RecordingExecutor(String engineName, Body body) {
        this(engineName, body, new ConcurrentHashMap<>(), new CopyOnWriteArrayList<>());
    }

    /** Shares the overlap detection (and the invocation log) with {@code other}, e.g. another engine's. */
    RecordingExecutor(String engineName, Body body, RecordingExecutor other) {
        this(engineName, body, other.active, other.invocations);
    }

    private RecordingExecutor(String engineName, Body body, Map<String, AtomicInteger> active,
                              List<Invocation> invocations) {
        this.engineName = engineName;
        this.body = body;
        this.active = active;
        this.invocations = invocations;
    }

    @Override
    public StepResult execute(StepContext ctx) throws Exception {
        StepRow step = ctx.step();
        String key = step.operationId() + "/" + step.stepIndex();
        AtomicInteger counter = active.computeIfAbsent(key, k -> new AtomicInteger());
        if (counter.incrementAndGet() > 1) {
            overlaps.add(key);
        }
        invocations.add(new Invocation(step.releaseName(), step.attempt(), engineName,
                ctx.recordedToken().orElse(null), System.currentTimeMillis()));
        try {
            return body.run(ctx);
        } finally {
            counter.decrementAndGet();
        }
    }

    List<String> releases() {
        return invocations.stream().map(Invocation::release).toList();
    }

    /** Waits (at a safe point every 10 ms) until the step should stop, then reports it cancelled. */
    static StepResult untilCancelled(StepContext ctx) throws InterruptedException {
        while (!ctx.cancelRequested()) {
            Thread.sleep(10);
        }
        return StepResult.cancelled("stopped at a safe point");
    }
}
