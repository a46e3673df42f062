package io.emrvke.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * For test clients that mean every call as a new request. Clients sign X-Date to the second, and the
 * server answers an identical signed mutating request (same signature) with the first answer instead
 * of running it again ({@link ReplayGuard}); so an identical mutating call waits until the second in
 * which the previous one ended has passed. Calls that differ, and reads, go at once.
 */
public final class FreshSignatures {
    private static final Set<String> MUTATING = Set.of("CreateVirtualCluster", "DeleteVirtualCluster",
            "DeployApplications", "UndeployApplications", "RunApplicationAction", "CreateComponentInstance",
            "DeleteComponentInstance", "CancelOperation");
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final Map<String, Long> LAST_SECOND = new ConcurrentHashMap<>();

    private FreshSignatures() {
    }

    /** Runs {@code call} (which signs and sends {@code action} with {@code body}) as a new request. */
    public static <T> T send(String action, Object body, Supplier<T> call) {
        if (!MUTATING.contains(action)) {
            return call.get();
        }
        String key = action + "\n" + canonical(body);
        awaitLaterSecondThan(LAST_SECOND.getOrDefault(key, Long.MIN_VALUE));
        try {
            return call.get();
        } finally {
            LAST_SECOND.merge(key, currentSecond(), Math::max);
        }
    }

    private static void awaitLaterSecondThan(long second) {
        while (currentSecond() <= second) {
            try {
                Thread.sleep(1_000 - System.currentTimeMillis() % 1_000 + 5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static long currentSecond() {
        return System.currentTimeMillis() / 1_000;
    }

    private static String canonical(Object body) {
        try {
            return body instanceof String text ? CANONICAL.readTree(text).toString()
                    : CANONICAL.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return String.valueOf(body);
        }
    }
}
