package io.emrvke.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One fresh store for one test: an H2 file in its own temporary data directory, or a schema of
 * its own in the test PostgreSQL database. Every backend also has a temporary data directory
 * (for files such as root-credentials). Closing it closes what it opened and removes the data.
 */
public final class StoreBackend implements AutoCloseable {
    private final StoreBackends.Kind kind;
    private final Path dataDir;
    private final List<Database> opened = new ArrayList<>();
    private String jdbcUrl;
    private String schema;
    private Database database;

    StoreBackend(StoreBackends.Kind kind) {
        this.kind = kind;
        try {
            this.dataDir = Files.createTempDirectory("emr-vke-store-" + kind.name().toLowerCase() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public StoreBackends.Kind kind() {
        return kind;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * The JDBC URL of this backend's store, prepared on first use. For PostgreSQL this is where
     * an unreachable server skips the test (or fails it when CI=true).
     */
    public synchronized String jdbcUrl() {
        if (jdbcUrl == null) {
            if (kind == StoreBackends.Kind.H2) {
                jdbcUrl = Database.defaultUrl(dataDir);
            } else {
                StoreBackends.requirePostgres();
                schema = "t_" + Ids.random("abcdefghijklmnopqrstuvwxyz0123456789", 16);
                execute("CREATE SCHEMA " + schema);
                jdbcUrl = StoreBackends.POSTGRES_URL + "&currentSchema=" + schema;
            }
        }
        return jdbcUrl;
    }

    /** The store, migrated, opened once per test. */
    public synchronized Database database() {
        if (database == null) {
            database = openAnother();
        }
        return database;
    }

    /** Another pool on the same store (e.g. a second server or a command-line tool). */
    public synchronized Database openAnother() {
        Database db = Database.open(jdbcUrl(), 4, keySource());
        opened.add(db);
        return db;
    }

    /** The store key: the key file in this backend's data directory (as a server on it would use). */
    public KeySource keySource() {
        return KeySource.of(dataDir, System.getenv());
    }

    @Override
    public synchronized void close() {
        for (Database db : opened) {
            db.close();
        }
        if (schema != null) {
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
        deleteTree(dataDir);
    }

    @Override
    public String toString() {
        return kind.name();
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(StoreBackends.POSTGRES_URL);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
