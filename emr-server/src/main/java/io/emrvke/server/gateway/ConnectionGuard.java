package io.emrvke.server.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the API's connections so that clients that have not authenticated cannot hold what signed
 * callers need. A connection counts as unauthenticated until one of its requests passes signature
 * verification. Such a connection must send a complete request head within the head timeout of its
 * opening or of its last answer, or it is closed; when there are more of them than the bound, the
 * oldest that is not being served is closed to make room; and every body being read is held to the
 * minimum data rate (see {@link BodyReader}). A {@link #sweep} every {@link #SWEEP_MILLIS} ms
 * enforces the deadlines; no thread waits on any client.
 */
final class ConnectionGuard implements Connection.Listener {
    static final long SWEEP_MILLIS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    /** What a connection is doing: waiting for a request head, reading a body, or being served. */
    enum Phase { WAITING, READING, SERVING }

    /** Something with a deadline that the sweep checks, e.g. a body being read. */
    interface Deadline {
        void check(long nowNanos);
    }

    /** One open connection. */
    static final class Peer {
        private final Connection connection;
        private final long openedNanos;
        private final LongSupplier nanoTime;
        private final AtomicBoolean countedUnauthenticated;
        private volatile boolean authenticated;
        private volatile Phase phase = Phase.WAITING;
        private volatile long phaseSince;
        private volatile Deadline deadline;

        private Peer(Connection connection, LongSupplier nanoTime, boolean counted) {
            this.connection = connection;
            this.nanoTime = nanoTime;
            this.openedNanos = nanoTime.getAsLong();
            this.phaseSince = openedNanos;
            this.countedUnauthenticated = new AtomicBoolean(counted);
        }

        /** A request's body is being read; {@code deadline} is checked until the request ends. */
        void reading(Deadline bodyDeadline) {
            deadline = bodyDeadline;
            enter(Phase.READING);
        }

        /** A request is being served by the handlers behind the intake. */
        void serving() {
            enter(Phase.SERVING);
        }

        void requestEnded() {
            deadline = null;
            enter(Phase.WAITING);
        }

        boolean isAuthenticated() {
            return authenticated;
        }

        private void enter(Phase next) {
            phaseSince = nanoTime.getAsLong();
            phase = next;
        }
    }

    private final long headTimeoutNanos;
    private final int maxUnauthenticated;
    private final LongSupplier nanoTime;
    private final Map<Connection, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicInteger unauthenticated = new AtomicInteger();

    ConnectionGuard(ClientLimits limits, LongSupplier nanoTime) {
        this.headTimeoutNanos = limits.headTimeout().toNanos();
        this.maxUnauthenticated = limits.maxUnauthenticatedConnections();
        this.nanoTime = nanoTime;
    }

    @Override
    public void onOpened(Connection connection) {
        Peer peer = new Peer(connection, nanoTime, true);
        peers.put(connection, peer);
        unauthenticated.incrementAndGet();
        closeOldestBeyondTheBound(peer);
    }

    @Override
    public void onClosed(Connection connection) {
        Peer peer = peers.remove(connection);
        if (peer != null) {
            uncount(peer);
        }
    }

    /** The peer of a request's connection (an untracked one if the connection was never seen opening). */
    Peer peer(Request request) {
        Connection connection = request.getConnectionMetaData().getConnection();
        Peer peer = connection == null ? null : peers.get(connection);
        return peer != null ? peer : new Peer(connection, nanoTime, false);
    }

    /** One of the peer's requests passed signature verification: it no longer counts as unauthenticated. */
    void authenticated(Peer peer) {
        peer.authenticated = true;
        uncount(peer);
    }

    int unauthenticatedConnections() {
        return unauthenticated.get();
    }

    /**
     * Closes unauthenticated connections past their head timeout and checks every body's deadline.
     * One connection's trouble never stops the sweep of the others (nor the sweeps to come).
     */
    void sweep() {
        long now = nanoTime.getAsLong();
        for (Peer peer : peers.values()) {
            try {
                sweep(peer, now);
            } catch (RuntimeException e) {
                LOG.warn("checking the deadlines of a connection failed: {}", e.toString());
            }
        }
    }

    private void sweep(Peer peer, long now) {
        if (!peer.authenticated && peer.phase == Phase.WAITING && now - peer.phaseSince > headTimeoutNanos) {
            close(peer, "sent no complete request head within " + headTimeoutNanos / 1_000_000 + " ms");
        }
        Deadline deadline = peer.deadline;
        if (deadline != null) {
            deadline.check(now);
        }
    }

    private void closeOldestBeyondTheBound(Peer newcomer) {
        while (unauthenticated.get() > maxUnauthenticated) {
            Peer oldest = null;
            for (Peer p : peers.values()) {
                if (p != newcomer && p.countedUnauthenticated.get() && p.phase != Phase.SERVING
                        && (oldest == null || p.openedNanos < oldest.openedNanos)) {
                    oldest = p;
                }
            }
            if (oldest == null) {
                return;
            }
            close(oldest, "is the oldest of more than " + maxUnauthenticated + " unauthenticated connections");
        }
    }

    private void close(Peer peer, String why) {
        uncount(peer);
        LOG.debug("closing connection from {}: it {}", peer.connection.getEndPoint().getRemoteSocketAddress(), why);
        peer.connection.getEndPoint().close();
    }

    private void uncount(Peer peer) {
        if (peer.countedUnauthenticated.compareAndSet(true, false)) {
            unauthenticated.decrementAndGet();
        }
    }
}
