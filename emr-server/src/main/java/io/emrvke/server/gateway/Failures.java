package io.emrvke.server.gateway;

import io.emrvke.api.ApiException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;

/** Sorts what a request threw into the answers of api.md §4. */
final class Failures {
    private static final int MAX_DEPTH = 32;

    private Failures() {
    }

    /** The ApiException the failure is or wraps (a transaction callback may wrap it), else null. */
    static ApiException apiException(Throwable t) {
        Throwable c = t;
        for (int i = 0; c != null && i < MAX_DEPTH; i++, c = c.getCause()) {
            if (c instanceof ApiException api) {
                return api;
            }
        }
        return null;
    }

    /** True when somewhere in the cause chain the database could not be reached. */
    static boolean databaseUnreachable(Throwable t) {
        Throwable c = t;
        for (int i = 0; c != null && i < MAX_DEPTH; i++, c = c.getCause()) {
            if (c instanceof ConnectionException || c instanceof SQLTransientConnectionException) {
                return true;
            }
            if (c instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
