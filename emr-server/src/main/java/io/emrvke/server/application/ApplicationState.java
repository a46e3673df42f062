package io.emrvke.server.application;

import java.util.Arrays;
import java.util.List;

/**
 * An application's state in a cluster (docs/api.md#resources-and-states); an undeployed application has no row
 * at all.
 */
public enum ApplicationState {
    INSTALLING, INSTALLED, INSTALL_FAILED, UNINSTALLING, UNINSTALL_FAILED;

    /** The wire spelling, which is the constant's name. */
    public String wireName() {
        return name();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(ApplicationState::wireName).toList();
    }

    public static ApplicationState fromWire(String s) {
        return valueOf(s);
    }
}
