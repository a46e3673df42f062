package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Where {@code pods/NAME/log} gets its text: the simulated kubelet's lines for one container of a pod. The
 * kubelet decides what a real one would refuse (no such container, not started, no previous run): that is a
 * 400 BadRequest with its message, never text made up by the API.
 */
public interface PodLogs {
    PodLogs NONE = new PodLogs() {
        @Override
        public Text read(JsonNode pod, Query query) {
            return new Text(null, "the sandbox keeps no container logs");
        }

        @Override
        public AutoCloseable follow(JsonNode pod, Query query, Consumer<String> sink, Runnable onEnd) {
            onEnd.run();
            return () -> { };
        }
    };

    /** PodLogOptions as the request's query gives them; null where not given. */
    record Query(String container, boolean previous, boolean timestamps, Integer tailLines, Long sinceSeconds,
                 Instant sinceTime, Long limitBytes) {
    }

    /** The log text, or the message of the 400 the kubelet answers instead. */
    record Text(String text, String badRequest) {
    }

    Text read(JsonNode pod, Query query);

    /**
     * {@code follow=true}: hands {@code sink} the text {@link #read} would give, then each line the container
     * writes, in order, until its run ends ({@code onEnd} runs then). Closing the result stops it.
     */
    AutoCloseable follow(JsonNode pod, Query query, Consumer<String> sink, Runnable onEnd);
}
