package io.emrvke.server.account;

import java.util.Locale;

/** What a credential may do: admin runs every action, readonly only Get/List ones. */
public enum Role {
    ADMIN, READONLY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.wireName().equalsIgnoreCase(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be admin or readonly, got '" + s + "'");
    }
}
