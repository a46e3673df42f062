package io.emrvke.server.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Lets the pool drop every connection once H2 says that its database closed itself (it does so
 * after a failed write, e.g. on a full disk). Those sessions stay dead even after the fault clears,
 * and H2's own connection check still calls them valid, so without this the store answered
 * "database closed" until a restart. The next connection opens the file again: the store recovers
 * by itself as soon as the file can be written.
 */
final class DeadH2ConnectionEviction implements SQLExceptionOverride {
    private volatile HikariDataSource pool;

    /** The pool whose connections to drop; set once it exists (it is built with this override). */
    void attach(HikariDataSource pool) {
        this.pool = pool;
    }

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        if (!StoreFailure.closesH2(e)) {
            return Override.CONTINUE_EVICT;
        }
        HikariDataSource p = pool;
        HikariPoolMXBean connections = p == null ? null : p.getHikariPoolMXBean();
        if (connections != null) {
            // idle ones close now, borrowed ones when they are given back
            connections.softEvictConnections();
        }
        return Override.MUST_EVICT;
    }
}
