package io.emrvke.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.emrvke.server.store.migration.V5__secret_config_values_leave_operation_params;
import io.emrvke.server.store.migration.V7__secret_values_sealed;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's store: a pooled JDBC database (H2 file by default, PostgreSQL for
 * production), migrated with Flyway when opened, used through JDBI.
 *
 * <p>H2 runs in PostgreSQL mode so that one SQL dialect (LIMIT/OFFSET, FOR UPDATE, lower-case
 * identifiers) serves both databases. The embedded file takes no connection from another process
 * (no {@code AUTO_SERVER}: that listened on every interface with a guessable key and no password);
 * its files are owner-only ({@link OwnerOnlyFilePath}). Secrets are sealed under a key kept outside
 * the database ({@link StoreSecrets}, {@link KeySource}).
 */
public final class Database implements AutoCloseable {
    /** Default pool size: the embedded store needs few connections; PostgreSQL replicas may ask for more. */
    public static final int DEFAULT_POOL_SIZE = 16;
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final String H2_USER = "sa";
    private static final String H2_PASSWORD = "";

    static {
        OwnerOnlyFilePath.register();
    }

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final String displayUrl;
    private final StoreHeartbeat heartbeat;

    private Database(HikariDataSource dataSource, String displayUrl, StoreKey key) {
        this.dataSource = dataSource;
        this.displayUrl = displayUrl;
        this.jdbi = Jdbi.create(new PooledConnections(dataSource));
        jdbi.getConfig(StoreSecrets.class).use(key);
        this.heartbeat = new StoreHeartbeat(jdbi, dataSource::isClosed);
    }

    /**
     * The embedded store of a data directory: an H2 file in {@code <dataDir>/store/}. WRITE_DELAY=0:
     * every commit is written to the file before it returns; with H2's default (changes written by
     * a background thread every 500 ms) a killed process lost transactions it had already
     * committed and answered (CrashDuringCreateClusterResumesTest). Recovery after a kill finds every
     * commit with H2 2.4, not 2.5.252 (see the pom). The {@code private:} file system creates every file
     * of the store 0600.
     */
    public static String defaultUrl(Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve("store").resolve("emr-vke");
        return "jdbc:h2:" + OwnerOnlyFilePath.SCHEME + ":" + file
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    public static Database open(String jdbcUrl, KeySource keys) {
        return open(jdbcUrl, DEFAULT_POOL_SIZE, keys);
    }

    /**
     * Opens the pool, finds the store key ({@link KeyCheck}) and applies pending migrations, which
     * seal the clear secrets of an older store (then no clear copy is left behind: {@link #purgeClearCopies}).
     *
     * @throws StoreUnavailableException when the database cannot be reached or migrated, or the key is
     *                                   missing or not the store's; the message names the database
     *                                   (without password) and what to do
     */
    public static Database open(String jdbcUrl, int maxPoolSize, KeySource keys) {
        Kind kind = Kind.of(jdbcUrl);
        String display = redact(jdbcUrl);
        HikariDataSource ds = pool(jdbcUrl, kind, maxPoolSize, display);
        try {
            StoreKey key = KeyCheck.choose(ds, keys, display);
            int sealedNow = migrate(ds, StoreSecrets.with(key), display);
            KeyCheck.verify(ds, key, display);
            if (sealedNow > 0) {
                ds = purgeClearCopies(ds, jdbcUrl, kind, maxPoolSize, display, sealedNow);
            }
            return new Database(ds, display, key);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The key the store's secrets are sealed with (its id and where it came from, never its bytes). */
    public StoreKey storeKey() {
        return jdbi.getConfig(StoreSecrets.class).key();
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
            // the user every embedded store was created with
            config.setUsername(H2_USER);
            config.setPassword(H2_PASSWORD);
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

    private static HikariDataSource pool(String jdbcUrl, Kind kind, int maxPoolSize, String display) {
        try {
            HikariConfig config = poolConfig(jdbcUrl, kind, maxPoolSize);
            DeadH2ConnectionEviction eviction = new DeadH2ConnectionEviction();
            if (kind == Kind.H2) {
                config.setExceptionOverride(eviction);
            }
            HikariDataSource ds = new HikariDataSource(config);
            eviction.attach(ds);
            return ds;
        } catch (RuntimeException e) {
            String message = cannotOpen(kind, display, e);
            throw isInUse(kind, e) ? new StoreInUseException(message, e) : new StoreUnavailableException(message, e);
        }
    }

    /** Applies pending migrations; returns how many clear secrets they sealed. */
    private static int migrate(DataSource ds, StoreSecrets secrets, String display) {
        V7__secret_values_sealed sealing = new V7__secret_values_sealed(secrets);
        try {
            // Java migrations are given as instances: sealing needs the key
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .javaMigrations(new V5__secret_config_values_leave_operation_params(), sealing)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("Cannot migrate the database " + display + ": "
                    + rootMessage(e) + ". The schema may be newer than this emr-vke (upgrade emr-vke) "
                    + "or the database user may lack rights to create tables.", e);
        }
        return sealing.sealed();
    }

    /**
     * The values just sealed were written in clear before: rewrites the embedded file so that it keeps
     * no old copy of them (SHUTDOWN COMPACT copies the live rows only), or asks PostgreSQL to drop
     * the old row versions (VACUUM FULL; what WAL still holds goes with its recycling).
     */
    private static HikariDataSource purgeClearCopies(HikariDataSource ds, String jdbcUrl, Kind kind, int maxPoolSize,
                                                     String display, int sealed) {
        log.info("Sealed {} secret values that {} held in clear", sealed, display);
        if (kind == Kind.H2) {
            ds.close();
            try (Connection c = DriverManager.getConnection(jdbcUrl, H2_USER, H2_PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
            } catch (SQLException e) {
                throw new StoreUnavailableException("Cannot compact " + display + " after sealing its secrets: "
                        + rootMessage(e) + ".", e);
            }
            return pool(jdbcUrl, kind, maxPoolSize, display);
        }
        if (kind == Kind.POSTGRESQL) {
            vacuumSecretTables(ds, display);
        }
        return ds;
    }

    private static void vacuumSecretTables(DataSource ds, String display) {
        String tables = "credentials, config_items, operation_secret_values";
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("VACUUM FULL " + tables);
        } catch (SQLException e) {
            log.warn("Could not VACUUM FULL {} in {} ({}): old row versions may hold the clear values until"
                    + " they are vacuumed; run VACUUM FULL {} as the tables' owner", tables, display,
                    rootMessage(e), tables);
        }
    }

    private static String cannotOpen(Kind kind, String display, Throwable e) {
        String cause = rootMessage(e);
        if (kind == Kind.POSTGRESQL) {
            return "Cannot connect to PostgreSQL at " + display + ": " + cause
                    + ". Check that PostgreSQL is running and reachable, that the database and user exist,"
                    + " or pass another --database-url.";
        }
        if (isInUse(kind, e)) {
            return "The embedded database " + display + " is in use by another process: " + cause
                    + ". Only one process opens it: stop the other emr-vke server using this data directory,"
                    + " or use another --data-dir.";
        }
        if (kind == Kind.H2) {
            return "Cannot open the embedded database " + display + ": " + cause
                    + ". Check that the data directory exists and is writable.";
        }
        return "Cannot open the database " + display + ": " + cause + ".";
    }

    /** Whether H2 refused the file because another process has it open. */
    private static boolean isInUse(Kind kind, Throwable e) {
        String lower = rootMessage(e).toLowerCase(Locale.ROOT);
        return kind == Kind.H2 && (lower.contains("locked") || lower.contains("already in use"));
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
