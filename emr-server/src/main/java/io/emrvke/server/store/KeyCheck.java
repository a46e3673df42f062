package io.emrvke.server.store;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Which key opens a store: the store records the id of the key its secrets are sealed with (table
 * store_key, from V7). A store without one gets the key given, or a new key file; a store with one
 * must be given that key. Every refusal is a one-line {@link StoreUnavailableException} saying what
 * to do; no secret is sealed or opened with a key the store does not know.
 */
final class KeyCheck {
    private KeyCheck() {
    }

    /** The key to open the store with, before it is migrated. */
    static StoreKey choose(DataSource ds, KeySource keys, String display) {
        Optional<String> stored = storedKeyId(ds, display);
        Optional<StoreKey> given;
        try {
            given = keys.given();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new StoreUnavailableException(e.getMessage(), e);
        }
        if (given.isPresent()) {
            return given.get();
        }
        if (stored.isPresent()) {
            throw new StoreUnavailableException("The store " + display + " holds secrets sealed with key "
                    + stored.get() + ", but no key was given: set " + KeySource.ENV + " to that key (base64)"
                    + (keys.file() == null ? "" : ", or put its key file back at " + keys.file()) + ".", null);
        }
        if (keys.file() == null) {
            throw new StoreUnavailableException("The store " + display + " needs a key to seal its secrets, and none"
                    + " was given: set " + KeySource.ENV + " (e.g. `export " + KeySource.ENV
                    + "=$(openssl rand -base64 32)`), or give --data-dir, where a key file is created.", null);
        }
        try {
            return keys.createFile();
        } catch (UncheckedIOException e) {
            throw new StoreUnavailableException(e.getMessage(), e);
        }
    }

    /** After migrating: the store's secrets are sealed with {@code key}, or the store is refused. */
    static void verify(DataSource ds, StoreKey key, String display) {
        String stored = storedKeyId(ds, display).orElseThrow(() -> new StoreUnavailableException("The store "
                + display + " records no store key after its migration; it cannot be used.", null));
        if (!stored.equals(key.id())) {
            throw new StoreUnavailableException("The store " + display + " holds secrets sealed with key " + stored
                    + ", but the key from " + key.origin() + " is " + key.id() + ": give the store's own key ("
                    + KeySource.ENV + ", or the key file of the server that created the store).", null);
        }
    }

    /** The recorded key id; empty on a store from before V7 (no table) or a new one. */
    private static Optional<String> storedKeyId(DataSource ds, String display) {
        try (Connection c = ds.getConnection()) {
            if (!hasKeyTable(c)) {
                return Optional.empty();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT key_id FROM store_key");
                 ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("Cannot read the store key id of " + display + ": "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Asked, not tried: a failed query would land in H2's trace file at every first start. */
    private static boolean hasKeyTable(Connection c) throws SQLException {
        try (ResultSet tables = c.getMetaData().getTables(null, c.getSchema(), "store_key", null)) {
            return tables.next();
        }
    }
}
