package io.emrvke.server.application;

/** What an instance should be doing: the state the last accepted action asked for (api.md §5). */
public enum DesiredState {
    RUNNING, STOPPED;

    public String wireName() {
        return name();
    }

    public static DesiredState fromWire(String s) {
        return valueOf(s);
    }
}
