package io.emrvke.server.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Gives SIGTERM and SIGINT back to the JVM once Helm's native (Go) library is loaded: the Go
 * runtime takes those signals for itself when it starts, after which the JVM never sees them and
 * its shutdown hooks (the graceful stop) never run.
 */
final class TerminationSignals {
    private static final Logger log = LoggerFactory.getLogger(TerminationSignals.class);
    private static final AtomicBoolean RECLAIMED = new AtomicBoolean();

    private TerminationSignals() {
    }

    /** Once per process, after the first render: SIGTERM/SIGINT exit the JVM, running its shutdown hooks. */
    static void reclaimOnce() {
        if (!RECLAIMED.compareAndSet(false, true)) {
            return;
        }
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> exitOnSignal(128 + signal.getNumber()));
            } catch (IllegalArgumentException e) {
                // e.g. -Xrs, or the signal is reserved here: leave it as it is
                log.debug("cannot take SIG{} back: {}", name, e.getMessage());
            }
        }
    }

    private static void exitOnSignal(int status) {
        // System.exit blocks until the shutdown hooks end; do not hold the signal dispatcher meanwhile.
        Thread exit = new Thread(() -> System.exit(status), "emr-vke-signal-exit");
        exit.setDaemon(false);
        exit.start();
    }
}
