package io.emrvke.server.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * JDBI's connections, from the pool. While the database refuses new connections (down, or an H2
 * file that cannot be opened on a full disk), a caller waits a quarter of a second for one instead
 * of the pool's full timeout: every request would otherwise hold its thread for 5 s only to
 * answer 503. The first connection had again ends that.
 */
final class PooledConnections implements ConnectionFactory {
    private static final long WAIT_WHILE_REFUSED_MS = 250;

    private final HikariDataSource pool;
    private volatile boolean refused;

    PooledConnections(HikariDataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection openConnection() throws SQLException {
        try {
            Connection c = refused ? shortWait() : pool.getConnection();
            refused = false;
            return c;
        } catch (SQLTransientConnectionException e) {
            // the pool's timeout carries the database's answer to its last attempt to connect, if it failed
            refused = e.getCause() != null;
            throw e;
        }
    }

    private Connection shortWait() throws SQLException {
        if (pool.isClosed() || !(pool.getHikariPoolMXBean() instanceof HikariPool hikari)) {
            return pool.getConnection();
        }
        return hikari.getConnection(WAIT_WHILE_REFUSED_MS);
    }
}
