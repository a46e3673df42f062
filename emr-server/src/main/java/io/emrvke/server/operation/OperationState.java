package io.emrvke.server.operation;

import java.util.Arrays;
import java.util.List;

/**
 * An operation's state (docs/api.md#resources-and-states): ACCEPT (queued), RUNNING, then one of the terminal
 * states.
 */
public enum OperationState {
    ACCEPT(false), RUNNING(false), SUCCESS(true), FAILED(true), CANCEL(true), SKIP(true);

    private final boolean terminal;

    OperationState(boolean terminal) {
        this.terminal = terminal;
    }

    public String wireName() {
        return name();
    }

    public boolean isTerminal() {
        return terminal;
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(OperationState::wireName).toList();
    }

    public static OperationState fromWire(String s) {
        return valueOf(s);
    }
}
