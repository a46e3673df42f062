package io.emrvke.server.cluster;

import java.util.Arrays;
import java.util.List;

/**
 * A virtual cluster's lifecycle (docs/api.md#resources-and-states): INIT → RUNNING | INIT_FAILED → DELETING →
 * DELETED.
 */
public enum ClusterState {
    INIT(false), RUNNING(false), INIT_FAILED(false), DELETING(false), DELETED(true);

    private final boolean terminal;

    ClusterState(boolean terminal) {
        this.terminal = terminal;
    }

    /** The wire spelling, which is the constant's name. */
    public String wireName() {
        return name();
    }

    /** DELETED is the only state a cluster never leaves. */
    public boolean isTerminal() {
        return terminal;
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(ClusterState::wireName).toList();
    }

    public static ClusterState fromWire(String s) {
        return valueOf(s);
    }
}
