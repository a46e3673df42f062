package io.emrvke.server.operation.engine;

import io.emrvke.server.store.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty store for one test: H2 in memory (PostgreSQL mode), or a new schema in the local
 * PostgreSQL (127.0.0.1:5432, database test). When PostgreSQL is unreachable the test is skipped
 * with a message, or fails when CI=true. Several {@link Database} instances may be opened on the
 * same store (as separate processes would).
 */
final class TestStore implements AutoCloseable {
    static final String H2 = "h2";
    static final String POSTGRESQL = "postgresql";
    private static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String kind;
    private final String url;
    private final String pgAdminUrl;
    private final String schema;
    private final List<Database> opened = new ArrayList<>();

    private TestStore(String kind, String url, String pgAdminUrl, String schema) {
        this.kind = kind;
        this.url = url;
        this.pgAdminUrl = pgAdminUrl;
        this.schema = schema;
    }

    static TestStore create(String kind) {
        String suffix = io.emrvke.server.store.Ids.random("abcdefghijklmnopqrstuvwxyz0123456789", 10);
        if (H2.equals(kind)) {
            return new TestStore(kind, "jdbc:h2:mem:engine_" + suffix
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                    null, null);
        }
        String admin = reachablePostgres();
        String schema = "engine_" + suffix;
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema, e);
        }
        return new TestStore(kind, admin + "&currentSchema=" + schema, admin, schema);
    }

    private static String reachablePostgres() {
        DriverManager.setLoginTimeout(3);
        String lastError = null;
        for (String user : List.of("postgres", "root")) {
            String admin = PG_BASE + "?user=" + user;
            try (Connection c = DriverManager.getConnection(admin)) {
                return admin;
            } catch (SQLException e) {
                lastError = e.getMessage();
            }
        }
        String message = "PostgreSQL at 127.0.0.1:5432 (database test) is not reachable: " + lastError;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        System.err.println("SKIPPED PostgreSQL variant: " + message);
        Assumptions.abort(message);
        return null;
    }

    String kind() {
        return kind;
    }

    /** A new pool on this store, like another server process would open. */
    Database open() {
        Database db = Database.open(url, 12);
        opened.add(db);
        return db;
    }

    @Override
    public void close() {
        opened.forEach(Database::close);
        try {
            if (pgAdminUrl != null) {
                try (Connection c = DriverManager.getConnection(pgAdminUrl); Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            } else {
                try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN");
                }
            }
        } catch (SQLException e) {
            System.err.println("cleanup of test store failed: " + e.getMessage());
        }
    }
}
