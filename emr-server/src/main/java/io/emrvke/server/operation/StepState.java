package io.emrvke.server.operation;

import java.util.Arrays;
import java.util.List;

/** A step's state; the same values as {@link OperationState}. */
public enum StepState {
    ACCEPT(false), RUNNING(false), SUCCESS(true), FAILED(true), CANCEL(true), SKIP(true);

    private final boolean terminal;

    StepState(boolean terminal) {
        this.terminal = terminal;
    }

    public String wireName() {
        return name();
    }

    public boolean isTerminal() {
        return terminal;
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(StepState::wireName).toList();
    }

    public static StepState fromWire(String s) {
        return valueOf(s);
    }
}
