package io.emrvke.server.application;

/**
 * What an instance should be doing: the state the last accepted action asked for
 * (docs/api.md#resources-and-states).
 */
public enum DesiredState {
    RUNNING, STOPPED;

    public String wireName() {
        return name();
    }

    public static DesiredState fromWire(String s) {
        return valueOf(s);
    }
}
