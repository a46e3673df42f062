package io.emrvke.server.runtime;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One instance's workload object as just read from the API, and what an adapter may do to it: patch it and
 * wait on the watch cache for its status. The runtime supplies it; a test may supply a fake.
 */
public interface LiveWorkload {
    InstanceRef ref();

    /** The object read from the API (not the cache), so decisions use the latest spec. */
    GenericKubernetesResource object();

    /** JSON merge patch of the workload object; returns the patched object. */
    GenericKubernetesResource mergePatch(Map<String, Object> patch);

    /** JSON patch (RFC 6902) of the workload object; returns the patched object. */
    GenericKubernetesResource jsonPatch(List<Map<String, Object>> ops);

    /** Blocks until the instance's status satisfies the condition; TIMEOUT names the goal and the pods' reasons. */
    InstanceStatus waitFor(String goal, Predicate<InstanceStatus> condition, Duration timeout);

    /** The status the watch cache holds now. */
    InstanceStatus status();
}
