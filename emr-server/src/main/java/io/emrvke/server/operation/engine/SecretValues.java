package io.emrvke.server.operation.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Secret values an operation's steps need, by a name the planner chooses (e.g. a config item's
 * file and key). They are stored apart from the operation's columns and deleted when it ends;
 * a step reads one with {@link StepContext#secretValue(String)}. Never prints a value.
 */
public final class SecretValues {
    public static final SecretValues NONE = new SecretValues(Map.of());

    private final Map<String, String> byName;

    private SecretValues(Map<String, String> byName) {
        this.byName = byName;
    }

    /** {@code byName} as given (insertion order kept); names and values must not be null. */
    public static SecretValues of(Map<String, String> byName) {
        Map<String, String> copy = new LinkedHashMap<>();
        byName.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "secret name"),
                Objects.requireNonNull(value, "value of secret " + name)));
        return copy.isEmpty() ? NONE : new SecretValues(Collections.unmodifiableMap(copy));
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** Name → value, in the order given (unmodifiable). */
    public Map<String, String> byName() {
        return byName;
    }

    /** The names only: plans and their parts end up in logs. */
    @Override
    public String toString() {
        return "SecretValues" + byName.keySet();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretValues other && byName.equals(other.byName);
    }

    @Override
    public int hashCode() {
        return byName.hashCode();
    }
}
