package io.emrvke.server.runtime;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs a Kubernetes API call, retrying transient failures (I/O, 408, 429, 5xx) with exponential backoff;
 * a 4xx that retrying cannot fix fails at once with the API's own message.
 */
public final class Retry {
    private final int attempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;

    public Retry(int attempts, Duration firstBackoff, Duration maxBackoff) {
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
    }

    public static Retry defaults() {
        return new Retry(6, Duration.ofMillis(100), Duration.ofSeconds(3));
    }

    public <T> T call(String what, Supplier<T> call) {
        long backoff = firstBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                if (!isTransient(e)) {
                    throw new RuntimeFailure(RuntimeFailure.Reason.API_REJECTED, what + ": " + apiMessage(e), e);
                }
                if (attempt >= attempts) {
                    throw new RuntimeFailure(RuntimeFailure.Reason.API_UNAVAILABLE,
                            what + ": still failing after " + attempts + " attempts: " + apiMessage(e), e);
                }
            }
            sleep(backoff);
            backoff = Math.min(backoff * 2, maxBackoff.toMillis());
        }
    }

    public void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    static boolean isTransient(KubernetesClientException e) {
        int code = e.getCode();
        return code <= 0 || code == 408 || code == 429 || code >= 500;
    }

    /** The API server's message (its Status), else the client's. */
    static String apiMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage() + (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : "");
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root.getMessage();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(RuntimeFailure.Reason.API_UNAVAILABLE, "interrupted while retrying");
        }
    }
}
