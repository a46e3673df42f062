package io.emrvke.server.operation.engine;

import io.emrvke.server.store.Database;
import io.emrvke.server.store.StoreBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * Pools on one test store ({@link StoreBackend}: H2 file or a fresh PostgreSQL schema), sized for
 * an engine: several may be opened on the same store, as separate server processes would.
 */
final class TestStore implements AutoCloseable {
    private static final int POOL_SIZE = 12;

    private final StoreBackend backend;
    private final List<Database> opened = new ArrayList<>();

    TestStore(StoreBackend backend) {
        this.backend = backend;
    }

    /** A new pool on this store, like another server process would open. */
    synchronized Database open() {
        Database db = Database.open(backend.jdbcUrl(), POOL_SIZE, backend.keySource());
        opened.add(db);
        return db;
    }

    @Override
    public synchronized void close() {
        opened.forEach(Database::close);
        opened.clear();
    }
}
