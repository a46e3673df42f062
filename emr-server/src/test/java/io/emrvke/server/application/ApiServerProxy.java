package io.emrvke.server.application;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP proxy in front of an API server that a test can sever, as when the API server or the network
 * goes away: every open connection is cut at once and new ones are reset for a while. Bytes pass through
 * untouched, so TLS is still between the client and the API server (its certificate names 127.0.0.1).
 */
final class ApiServerProxy implements AutoCloseable {
    private final InetSocketAddress upstream;
    private final ServerSocket listener;
    /** Open connections: the client's side and the API server's side. */
    private final Map<Socket, Socket> connections = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "api-server-proxy");
        t.setDaemon(true);
        return t;
    });
    private volatile long refuseUntilNanos = System.nanoTime();
    private volatile boolean closed;

    private ApiServerProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    static ApiServerProxy to(String host, int port) {
        try {
            return new ApiServerProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Cuts every open connection and resets new ones during {@code outage}; returns how many were cut. */
    int sever(Duration outage) {
        refuseUntilNanos = System.nanoTime() + outage.toNanos();
        var cut = List.copyOf(connections.entrySet());
        cut.forEach(c -> {
            reset(c.getKey());
            reset(c.getValue());
        });
        return cut.size();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (System.nanoTime() - refuseUntilNanos < 0) {
                    reset(client);
                } else {
                    threads.execute(() -> connect(client));
                }
            } catch (IOException e) {
                if (!closed) {
                    sleepBriefly();
                }
            }
        }
    }

    private void connect(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(upstream, 5_000);
        } catch (IOException e) {
            reset(client);
            return;
        }
        connections.put(client, server);
        threads.execute(() -> pump(client, server, client));
        threads.execute(() -> pump(server, client, client));
    }

    /** Copies one direction until it ends or is cut, then closes both sides (TLS cannot go on half-closed). */
    private void pump(Socket from, Socket to, Socket client) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // cut or closed: the finally below ends both sides
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            connections.remove(client);
        }
    }

    /** Closes with a TCP reset, as a dropped connection looks to the peer. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        // what the closed client still holds ends with a plain close, not a reset: nothing was cut here
        connections.forEach((client, server) -> {
            closeQuietly(client);
            closeQuietly(server);
        });
        threads.shutdownNow();
    }
}
