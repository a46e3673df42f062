package io.emrvke.server.gateway;

/**
 * An action the gateway routes to. {@code mutating} actions are refused to readonly callers
 * and are the ones that take a ClientToken.
 */
public record ActionSpec(String name, boolean mutating, ActionHandler handler) {

    public static ActionSpec read(String name, ActionHandler handler) {
        return new ActionSpec(name, false, handler);
    }

    public static ActionSpec mutate(String name, ActionHandler handler) {
        return new ActionSpec(name, true, handler);
    }
}
