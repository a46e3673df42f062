package io.emrvke.server.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The named checks behind {@code GET /readyz}: the server is ready when every one passes.
 * Checks run on each probe, so they must be cheap (e.g. a cached flag or a quick ping).
 */
@FunctionalInterface
public interface Readiness {

    /** The outcome of one check; {@code detail} says why it fails (never a secret). */
    record Check(String name, boolean ready, String detail) {
        public static Check ok(String name) {
            return new Check(name, true, "ok");
        }

        public static Check failing(String name, String detail) {
            return new Check(name, false, detail);
        }
    }

    /** Runs every check, in the order they are listed. */
    List<Check> check();

    /** No checks: ready as soon as it is up. */
    static Readiness none() {
        return List::of;
    }

    /**
     * Named checks, each answering null when ready or the reason it is not; a check that throws
     * counts as not ready, reported by exception type only (messages may hold connection details).
     */
    static Readiness of(Map<String, Supplier<String>> checks) {
        Map<String, Supplier<String>> ordered = new LinkedHashMap<>(checks);
        return () -> {
            List<Check> out = new ArrayList<>(ordered.size());
            ordered.forEach((name, probe) -> {
                try {
                    String problem = probe.get();
                    out.add(problem == null ? Check.ok(name) : Check.failing(name, problem));
                } catch (RuntimeException e) {
                    out.add(Check.failing(name, "check failed: " + e.getClass().getSimpleName()));
                }
            });
            return out;
        };
    }
}
