package io.emrvke.server.operation.engine;

import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationEndedException;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.OperationNotFoundException;
import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.store.Database;
import io.emrvke.server.store.Ids;
import io.emrvke.server.store.StoreFailure;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs operations durably. Claims unfinished operations with leases (owner, expiry, heartbeat) so
 * that several server processes can share one database; extends the leases it holds every
 * heartbeat interval; takes over operations whose lease expired with a low-frequency scan; runs
 * steps through the {@link StepExecutor} registered for their action. A local submit wakes it at
 * once ({@link #wake()}); otherwise it is idle between scans.
 */
public final class OperationEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OperationEngine.class);
    private static final OperationLifecycle NO_LIFECYCLE = (h, o, s, r) -> { };
    private static final long STOP_GRACE_MILLIS = 5_000;
    private static final long PURGE_INTERVAL_MILLIS = Duration.ofHours(1).toMillis();
    // while the store fails, how often to look again for the operations it interrupted
    private static final long STORE_RETRY_MILLIS = 1_000;

    private final EngineConfig config;
    private final EngineStore store;
    private final Idempotency idempotency;
    private final Map<String, StepExecutor> executors;
    private final Map<OperationName, OperationLifecycle> lifecycles;
    private final Map<String, OperationRun> running = new ConcurrentHashMap<>();
    private final AtomicBoolean scanQueued = new AtomicBoolean();
    private volatile boolean scansFailing;
    private volatile boolean started;
    private volatile boolean stopped;
    private ScheduledExecutorService scheduler;
    private ExecutorService workers;
    private ExecutorService stepPool;

    private OperationEngine(Database db, EngineConfig config, Map<String, StepExecutor> executors,
                            Map<OperationName, OperationLifecycle> lifecycles) {
        this.config = config;
        this.store = new EngineStore(db.jdbi(), config.ownerId(), config.leaseDuration().toMillis());
        this.idempotency = new Idempotency(config.idempotency());
        this.executors = Map.copyOf(executors);
        this.lifecycles = new EnumMap<>(lifecycles);
    }

    public static Builder builder(Database db) {
        return new Builder(db);
    }

    public String ownerId() {
        return config.ownerId();
    }

    public EngineConfig config() {
        return config;
    }

    public Idempotency idempotency() {
        return idempotency;
    }

    /** Starts heartbeats and scans, and resumes unfinished operations whose lease is free, expired or ours. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        scheduler = Executors.newScheduledThreadPool(2, daemon("emr-engine-lease"));
        workers = Executors.newFixedThreadPool(config.workers(), daemon("emr-engine-op"));
        stepPool = Executors.newCachedThreadPool(daemon("emr-engine-step"));
        long beat = config.heartbeatInterval().toMillis();
        long scan = config.takeoverScanInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::scan, 0, scan, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::purgeTokens, PURGE_INTERVAL_MILLIS, PURGE_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        log.info("Operation engine {} started (lease {} ms, {} workers)", config.ownerId(),
                config.leaseDuration().toMillis(), config.workers());
    }

    /** Looks for claimable operations now (called after a local submit). */
    public void wake() {
        if (!started || stopped || !scanQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.execute(this::scan);
        } catch (RuntimeException e) {
            scanQueued.set(false);
        }
    }

    /**
     * Stops claiming; running operations stop at their next safe point without writing more, and
     * the leases of those that stopped are released so another process can resume them at once.
     * Steps interrupted this way are re-run by whoever resumes (they are idempotent).
     */
    public void stop() {
        synchronized (this) {
            if (!started || stopped) {
                return;
            }
            stopped = true;
        }
        scheduler.shutdownNow();
        running.values().forEach(OperationRun::stop);
        workers.shutdown();
        try {
            workers.awaitTermination(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaseLeasesOfStoppedRuns();
        stepPool.shutdown();
        log.info("Operation engine {} stopped", config.ownerId());
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * For tests: behave as if this process died. No more heartbeats, scans or writes; threads
     * are abandoned (steps see cancelRequested() and their results are not recorded); leases are
     * left to expire.
     */
    void simulateCrash() {
        stopped = true;
        scheduler.shutdownNow();
        running.values().forEach(OperationRun::stop);
    }

    /** Operations this process is running now. */
    public Set<String> runningOperations() {
        return Set.copyOf(running.keySet());
    }

    /**
     * CancelOperation: marks the account's operation cancelled. One that has not started ends
     * CANCEL at once (its steps too); a running one stops at its next safe point.
     *
     * @return the operation as it is after the request
     * @throws OperationNotFoundException for an id the account has no operation of
     * @throws OperationEndedException      when it already ended
     */
    public OperationRow cancel(long accountId, String operationId) {
        if (!Ids.isOperationId(operationId)) {
            throw new OperationNotFoundException(operationId);
        }
        OperationDetail detail = store.operations().get(accountId, operationId)
                .orElseThrow(() -> new OperationNotFoundException(operationId));
        OperationRow result = store.jdbi().inTransaction(h -> {
            long now = System.currentTimeMillis();
            OperationState state = h.createQuery("SELECT state FROM operations WHERE operation_id = :id"
                            + " AND account_id = :accountId FOR UPDATE")
                    .bind("id", operationId).bind("accountId", accountId)
                    .mapTo(String.class).findOne().map(OperationState::fromWire)
                    .orElseThrow(() -> new OperationNotFoundException(operationId));
            if (state.isTerminal()) {
                throw new OperationEndedException("Operation " + operationId + " already ended "
                        + state.wireName() + "; only an operation in state ACCEPT or RUNNING can be cancelled.");
            }
            h.createUpdate("UPDATE operations SET cancel_requested = TRUE, update_time = :now"
                    + " WHERE operation_id = :id").bind("now", now).bind("id", operationId).execute();
            if (state != OperationState.ACCEPT) {
                return detail.operation();
            }
            String reason = "Cancelled on request before it started.";
            EngineStore.cancelUnfinishedSteps(h, operationId, reason, now);
            Outcome outcome = new Outcome(OperationState.CANCEL, reason);
            store.endOperation(h, operationId, OperationState.CANCEL, reason, now);
            OperationRow ended = OperationRun.ended(detail.operation(), outcome, now);
            lifecycle(ended.operationName()).onFinished(h, ended, OperationState.CANCEL, reason);
            return ended;
        });
        OperationRun run = running.get(operationId);
        if (run != null) {
            run.requestCancel();
        }
        return result;
    }

    // --- internals used by runs --------------------------------------------------------------

    StepExecutor executor(String action) {
        return executors.get(action);
    }

    OperationLifecycle lifecycle(OperationName name) {
        return lifecycles.getOrDefault(name, NO_LIFECYCLE);
    }

    ExecutorService stepPool() {
        return stepPool;
    }

    void runEnded(OperationRun run) {
        running.remove(run.operationId(), run);
        if (run.pausedByStore()) {
            // claimed again after a pause, not at once: the store may still be failing
            wakeAfter(STORE_RETRY_MILLIS);
        } else {
            // capacity freed: there may be queued operations
            wake();
        }
    }

    // --- scheduled work ----------------------------------------------------------------------

    private void scan() {
        scanQueued.set(false);
        if (stopped) {
            return;
        }
        try {
            int capacity = config.workers() - running.size();
            if (capacity <= 0) {
                return;
            }
            long now = System.currentTimeMillis();
            for (String id : store.claimable(now, capacity, running.keySet())) {
                claimAndRun(id);
            }
            scanWorked();
        } catch (RuntimeException e) {
            if (StoreFailure.isOutage(e)) {
                scanFailedInTheStore(e);
            } else {
                log.warn("Scan for claimable operations failed: {}", e.toString());
            }
        }
    }

    /**
     * The store failed: runs it interrupted are paused, so scan again soon rather than at the
     * next takeover scan, and resume them as soon as it works. Logged once per outage.
     */
    private void scanFailedInTheStore(RuntimeException e) {
        if (!scansFailing) {
            scansFailing = true;
            log.warn("Scan for claimable operations failed: the store is failing ({}); retrying every {} ms",
                    StoreFailure.describe(e), STORE_RETRY_MILLIS);
        }
        wakeAfter(STORE_RETRY_MILLIS);
    }

    private void wakeAfter(long millis) {
        if (stopped) {
            return;
        }
        try {
            scheduler.schedule(this::wake, millis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // the engine is stopping
        }
    }

    private void scanWorked() {
        if (scansFailing) {
            scansFailing = false;
            log.info("Scan for claimable operations works again: the store is back");
        }
    }

    /**
     * Synchronized: scans run on both scheduler threads (a submit's wake-up beside another scan),
     * and the store lets this owner claim again what it holds, so without it two scans could both
     * claim one operation and start two runs of it.
     */
    private synchronized void claimAndRun(String operationId) {
        long now = System.currentTimeMillis();
        if (stopped || running.containsKey(operationId) || !store.claim(operationId, now)) {
            return;
        }
        OperationRun run = new OperationRun(this, store, operationId, now, config.leaseDuration().toMillis());
        running.put(operationId, run);
        log.info("Claimed operation {}", operationId);
        workers.execute(run);
    }

    private void heartbeat() {
        for (OperationRun run : List.copyOf(running.values())) {
            long beatStart = System.currentTimeMillis();
            try {
                if (store.heartbeat(run.operationId(), beatStart)) {
                    run.extendLocalLease(beatStart);
                    if (store.cancelRequested(run.operationId())) {
                        run.requestCancel();
                    }
                } else if (store.ended(run.operationId())) {
                    // it ended between the snapshot of runs and this beat: its run is leaving, nothing was lost
                    log.debug("Operation {} ended during a heartbeat", run.operationId());
                } else {
                    log.warn("Lost the lease of operation {}; stopping work on it", run.operationId());
                    run.loseLease();
                }
            } catch (RuntimeException e) {
                // Not extended: if this persists, the run's local lease lapses and it stops.
                log.warn("Heartbeat of operation {} failed: {}", run.operationId(),
                        StoreFailure.isOutage(e) ? "the store is failing: " + StoreFailure.describe(e) : e.toString());
            }
        }
    }

    private void purgeTokens() {
        try {
            int n = store.jdbi().withHandle(h -> idempotency.purge(h, System.currentTimeMillis()));
            if (n > 0) {
                log.info("Purged {} expired ClientToken results", n);
            }
        } catch (RuntimeException e) {
            log.warn("Purge of expired ClientToken results failed: {}", e.toString());
        }
    }

    private void releaseLeasesOfStoppedRuns() {
        try {
            Set<String> stillRunning = running.keySet();
            store.jdbi().useHandle(h -> h.createUpdate("UPDATE operations SET lease_owner = NULL, lease_expires = NULL"
                            + " WHERE lease_owner = :owner AND state IN " + EngineStore.UNFINISHED
                            + (stillRunning.isEmpty() ? "" : " AND operation_id NOT IN (<ids>)"))
                    .bind("owner", config.ownerId())
                    .defineList("ids", stillRunning.isEmpty() ? List.of("x") : List.copyOf(stillRunning))
                    .execute());
        } catch (RuntimeException e) {
            log.warn("Could not release leases at stop (they will expire): {}", e.toString());
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Registers step executors by action key and lifecycle hooks by operation name. */
    public static final class Builder {
        private final Database db;
        private EngineConfig config = EngineConfig.defaults();
        private final Map<String, StepExecutor> executors = new HashMap<>();
        private final Map<OperationName, OperationLifecycle> lifecycles = new EnumMap<>(OperationName.class);

        private Builder(Database db) {
            this.db = db;
        }

        public Builder config(EngineConfig config) {
            this.config = config;
            return this;
        }

        public Builder executor(String action, StepExecutor executor) {
            if (executors.putIfAbsent(action, executor) != null) {
                throw new IllegalArgumentException("an executor is already registered for step action " + action);
            }
            return this;
        }

        public Builder lifecycle(OperationName name, OperationLifecycle lifecycle) {
            if (lifecycles.putIfAbsent(name, lifecycle) != null) {
                throw new IllegalArgumentException("a lifecycle is already registered for " + name.wireName());
            }
            return this;
        }

        public OperationEngine build() {
            return new OperationEngine(db, config, executors, lifecycles);
        }
    }
}
