package io.emrvke.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The control plane's store: a pooled JDBC database (H2 file by default, PostgreSQL for
 * production), migrated with Flyway when opened, used through JDBI.
 *
 * <p>H2 runs in PostgreSQL mode so that one SQL dialect (LIMIT/OFFSET, FOR UPDATE, lower-case
 * identifiers) serves both databases. It runs with {@code AUTO_SERVER=TRUE}: the first process
 * that opens the file serves it to others over loopback, so the {@code credentials} command
 * works while the server runs.
 */
public final class Database implements AutoCloseable {
    /** Default pool size: the embedded store needs few connections; PostgreSQL replicas may ask for more. */
    public static final int DEFAULT_POOL_SIZE = 16;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final String displayUrl;
    private final StoreHeartbeat heartbeat;

    private Database(HikariDataSource dataSource, String displayUrl) {
        this.dataSource = dataSource;
        this.displayUrl = displayUrl;
        this.jdbi = Jdbi.create(new PooledConnections(dataSource));
        this.heartbeat = new StoreHeartbeat(jdbi, dataSource::isClosed);
    }

    /**
     * The embedded store of a data directory: an H2 file in {@code <dataDir>/store/}. WRITE_DELAY=0:
     * every commit is written to the file before it returns; with H2's default (changes written by
     * a background thread every 500 ms) a killed process lost transactions it had already
     * committed and answered (CrashDuringCreateClusterResumesTest).
     */
    public static String defaultUrl(Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve("store").resolve("emr-vke");
        return "jdbc:h2:file:" + file
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, DEFAULT_POOL_SIZE);
    }

    /**
     * Opens the pool and applies pending migrations.
     *
     * @throws StoreUnavailableException when the database cannot be reached or migrated; the
     *                                   message names the database (without password) and what to do
     */
    public static Database open(String jdbcUrl, int maxPoolSize) {
        Kind kind = Kind.of(jdbcUrl);
        String display = redact(jdbcUrl);
        HikariDataSource ds;
        DeadH2ConnectionEviction eviction = new DeadH2ConnectionEviction();
        try {
            HikariConfig config = poolConfig(jdbcUrl, kind, maxPoolSize);
            if (kind == Kind.H2) {
                config.setExceptionOverride(eviction);
            }
            ds = new HikariDataSource(config);
            eviction.attach(ds);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(cannotOpen(kind, display, e), e);
        }
        try {
            migrate(ds);
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreUnavailableException("Cannot migrate the database " + display + ": "
                    + rootMessage(e) + ". The schema may be newer than this emr-vke (upgrade emr-vke) "
                    + "or the database user may lack rights to create tables.", e);
        }
        return new Database(ds, display);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The URL with any password removed, for logs and messages. */
    public String displayUrl() {
        return displayUrl;
    }

    /**
     * Whether a write commits now; for readiness probes. The answer is reused for half a second
     * so that probes cost nothing under load.
     */
    public boolean isUsable() {
        return writeProblem() == null;
    }

    /**
     * Null when a small write (the heartbeat row) commits, else why not (e.g. "failing: cannot
     * write its files: No space left on device"); never a secret. Reused for half a second.
     */
    public String writeProblem() {
        return heartbeat.problem();
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static HikariConfig poolConfig(String jdbcUrl, Kind kind, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (kind == Kind.H2) {
            // AUTO_SERVER peers must use the same user as the process that created the file.
            config.setUsername("sa");
            config.setPassword("");
        }
        config.setPoolName("emr-vke-store");
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(Math.min(2, maxPoolSize));
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        // Fail at open, not at the first request, when the database is not there.
        config.setInitializationFailTimeout(1);
        return config;
    }

    private static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration", "classpath:io/emrvke/server/store/migration")
                .load()
                .migrate();
    }

    private static String cannotOpen(Kind kind, String display, Throwable e) {
        String cause = rootMessage(e);
        if (kind == Kind.POSTGRESQL) {
            return "Cannot connect to PostgreSQL at " + display + ": " + cause
                    + ". Check that PostgreSQL is running and reachable, that the database and user exist,"
                    + " or pass another --database-url.";
        }
        if (kind == Kind.H2) {
            String lower = cause.toLowerCase(Locale.ROOT);
            if (lower.contains("locked") || lower.contains("already in use")) {
                return "The embedded database " + display + " is locked by another process: " + cause
                        + ". Stop the other emr-vke process using this data directory (or one that opened it"
                        + " without AUTO_SERVER), or use another --data-dir.";
            }
            return "Cannot open the embedded database " + display + ": " + cause
                    + ". Check that the data directory exists and is writable, and that an emr-vke server"
                    + " using it, if any, is running on this machine.";
        }
        return "Cannot open the database " + display + ": " + cause + ".";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message.split("\n", 2)[0].trim();
    }

    /** Removes a password from a JDBC URL ({@code password=...} and {@code user:password@}). */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1******")
                .replaceAll("(//[^/:@]+:)[^/@]*@", "$1******@");
    }

    /** Which database a URL points at. */
    public enum Kind {
        H2, POSTGRESQL, OTHER;

        public static Kind of(String jdbcUrl) {
            if (jdbcUrl.startsWith("jdbc:h2:")) {
                return H2;
            }
            if (jdbcUrl.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            return OTHER;
        }
    }
}
