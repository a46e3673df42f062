package io.emrvke.server.store;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.jdbi.v3.core.JdbiException;

/**
 * Recognises a failure of the store in what a store call threw, and says what failed without
 * repeating the message of the database (which may quote a value being written, a secret included).
 */
public final class StoreFailure {
    private static final int MAX_DEPTH = 32;
    /**
     * H2 codes after which H2 has closed the database (or is closing it): its sessions are dead
     * for good, and a new connection opens the file again. 90098 database closed, 90121 closed
     * while in use, 90028/90031 I/O error, 90100 no disk space, 90030 file corrupted.
     */
    private static final Set<Integer> H2_DATABASE_CLOSED = Set.of(90098, 90121, 90028, 90031, 90100, 90030);
    private static final int H2_GENERAL_ERROR = 50000;
    /** H2 codes of a connection that H2 closed under its user: 90007 object closed, 90067 connection broken. */
    private static final Set<Integer> H2_CONNECTION_GONE = Set.of(90007, 90067);

    private StoreFailure() {
    }

    /** True when {@code t} is or wraps an error of the database, its driver, the pool or JDBI. */
    public static boolean in(Throwable t) {
        Throwable c = t;
        for (int i = 0; c != null && i < MAX_DEPTH; i++, c = c.getCause()) {
            if (c instanceof SQLException || c instanceof JdbiException || c instanceof StoreUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the failure is the store being down or unable to write (a lost connection, no
     * connection in time, a file that cannot be written, a database that closed itself, disk full,
     * an administrator's shutdown), as opposed to a statement the database refused.
     */
    public static boolean isOutage(Throwable t) {
        Throwable c = t;
        for (int i = 0; c != null && i < MAX_DEPTH; i++, c = c.getCause()) {
            if (c instanceof IOException || c instanceof StoreUnavailableException) {
                return true;
            }
            if (c instanceof SQLException sql && isOutage(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOutage(SQLException sql) {
        if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException
                || sql instanceof SQLTimeoutException || closesH2(sql)
                || H2_CONNECTION_GONE.contains(sql.getErrorCode())) {
            return true;
        }
        String state = sql.getSQLState();
        // 08 connection, 53 insufficient resources (53100 disk full), 57 operator intervention, 58 system error
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("58"));
    }

    /**
     * True when H2 answered that its database is closed or broken: every pooled connection to it
     * is dead, and only a new connection (which reopens the file) can work again.
     */
    static boolean closesH2(SQLException sql) {
        if (H2_DATABASE_CLOSED.contains(sql.getErrorCode())) {
            return true;
        }
        // "General error" wrapping the MVStore's failed write: H2 closes the database after it.
        return sql.getErrorCode() == H2_GENERAL_ERROR && causedByMvStore(sql);
    }

    private static boolean causedByMvStore(Throwable t) {
        Throwable c = t.getCause();
        for (int i = 0; c != null && i < MAX_DEPTH; i++, c = c.getCause()) {
            if (c.getClass().getName().startsWith("org.h2.mvstore.")) {
                return true;
            }
        }
        return false;
    }

    /**
     * What failed, for logs and readiness: the operating system's message of a failed file
     * operation (e.g. "No space left on device"), else the SQLState and error code with their
     * meaning when known. Never the database's own message.
     */
    public static String describe(Throwable t) {
        IOException io = deepest(t, IOException.class);
        SQLException sql = deepest(t, SQLException.class);
        if (io != null && io.getMessage() != null) {
            return "cannot write its files: " + io.getMessage();
        }
        if (sql != null) {
            String what = deepest(t, SQLTransientConnectionException.class) != null && !closesH2(sql)
                    ? "no connection could be had in time" : meaning(sql);
            return what + " (SQLState " + sql.getSQLState() + ", error " + sql.getErrorCode() + ")";
        }
        StoreUnavailableException unavailable = deepest(t, StoreUnavailableException.class);
        return unavailable != null ? "unavailable" : "failed: " + t.getClass().getSimpleName();
    }

    private static String meaning(SQLException sql) {
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        if (closesH2(sql)) {
            return "the embedded database closed itself after a failed write";
        }
        if (state.startsWith("08")) {
            return "cannot connect";
        }
        if (state.equals("53100")) {
            return "the database's disk is full";
        }
        if (state.startsWith("53")) {
            return "the database is out of resources";
        }
        if (state.startsWith("57")) {
            return "the database stopped the connection or statement";
        }
        if (sql instanceof SQLTimeoutException || state.equals("HYT00")) {
            return "a statement timed out";
        }
        return "a statement failed";
    }

    /**
     * Where in this server the failed store call was made: the first frame of our own code in
     * the stack, e.g. {@code io.emrvke.server.cluster.ClusterRepository.insert(ClusterRepository.java:88)};
     * enough to find a faulty statement without logging the database's message.
     */
    public static String origin(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("io.emrvke.")) {
                return frame.toString();
            }
        }
        return "(no frame of emr-vke)";
    }

    /** The innermost cause of {@code type} in the chain, or null. */
    private static <T extends Throwable> T deepest(Throwable t, Class<T> type) {
        T found = null;
        Throwable c = t;
        for (int i = 0; c != null && i < MAX_DEPTH; i++, c = c.getCause()) {
            if (type.isInstance(c)) {
                found = type.cast(c);
            }
        }
        return found;
    }
}
