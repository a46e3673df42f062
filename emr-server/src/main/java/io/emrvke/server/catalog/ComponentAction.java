package io.emrvke.server.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A lifecycle action of RunApplicationAction ({@code ActionName}), spelled in lower case on the wire. */
public enum ComponentAction {
    START("start"),
    STOP("stop"),
    RESTART("restart");

    private final String wireName;

    ComponentAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Matches case-insensitively ({@code RESTART} and {@code restart} are the same action). */
    public static Optional<ComponentAction> fromWire(String name) {
        return Arrays.stream(values()).filter(a -> a.wireName.equalsIgnoreCase(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(ComponentAction::wireName).toList();
    }
}
