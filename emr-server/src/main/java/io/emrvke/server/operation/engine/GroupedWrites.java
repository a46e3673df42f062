package io.emrvke.server.operation.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit for the fenced writes of one run's concurrent steps (step ends, restart tokens). Each
 * fenced write holds the operation row to its commit, and on the embedded store each commit writes the
 * store file under H2's store lock, so fifty steps of a batch ending together queued fifty commits one
 * behind the other. Here the first caller commits every write queued so far in one transaction while
 * later callers queue; each caller returns once its own write is committed, or throws what that
 * transaction threw (the writes of a group succeed or fail together).
 */
final class GroupedWrites {
    private final Function<EngineStore.FencedWork<List<Object>>, List<Object>> commit;
    private final Object lock = new Object();
    private List<Pending> queued = new ArrayList<>();
    private boolean committing;

    /** @param commit runs one fenced transaction (the run's {@code write}) */
    GroupedWrites(Function<EngineStore.FencedWork<List<Object>>, List<Object>> commit) {
        this.commit = commit;
    }

    @SuppressWarnings("unchecked")
    <T> T write(EngineStore.FencedWork<T> work) {
        Pending mine = new Pending(work);
        List<Pending> group;
        synchronized (lock) {
            queued.add(mine);
            boolean interrupted = false;
            // not interruptible: a queued write is committed by the next leader whatever this thread does
            while (committing && !mine.done) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (mine.done) {
                return (T) mine.outcome();
            }
            committing = true;
            group = queued;
            queued = new ArrayList<>();
        }
        commitGroup(group);
        return (T) mine.outcome();
    }

    /** Writes waiting for the next commit. */
    int queued() {
        synchronized (lock) {
            return queued.size();
        }
    }

    private void commitGroup(List<Pending> group) {
        List<Object> results = null;
        RuntimeException failure = null;
        try {
            results = commit.apply((h, now) -> {
                List<Object> out = new ArrayList<>(group.size());
                for (Pending p : group) {
                    out.add(p.work.run(h, now));
                }
                return out;
            });
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException("the grouped write failed", e);
            throw e;
        } finally {
            finish(group, results, failure);
        }
    }

    /** Hands each queued write its outcome and lets the next caller lead (also when the commit threw an Error). */
    private void finish(List<Pending> group, List<Object> results, RuntimeException failure) {
        synchronized (lock) {
            for (int i = 0; i < group.size(); i++) {
                Pending p = group.get(i);
                p.result = results == null ? null : results.get(i);
                p.failure = results == null && failure == null
                        ? new IllegalStateException("the grouped write did not finish") : failure;
                p.done = true;
            }
            committing = false;
            lock.notifyAll();
        }
    }

    /** A queued write; its fields are written and read under {@link #lock}. */
    private static final class Pending {
        final EngineStore.FencedWork<?> work;
        Object result;
        RuntimeException failure;
        boolean done;

        Pending(EngineStore.FencedWork<?> work) {
            this.work = work;
        }

        Object outcome() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }
}
