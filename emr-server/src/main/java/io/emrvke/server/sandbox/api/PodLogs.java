package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Where {@code pods/NAME/log} gets its text: the simulated kubelet's lines for one container of a pod
 * ({@code previous}: the container's last terminated run). Empty when there is no log to show; the
 * API then answers 404 instead of inventing one.
 */
@FunctionalInterface
public interface PodLogs {
    PodLogs NONE = (pod, container, previous) -> Optional.empty();

    Optional<String> read(JsonNode pod, String container, boolean previous);
}
