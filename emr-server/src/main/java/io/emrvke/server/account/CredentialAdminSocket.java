package io.emrvke.server.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.emrvke.server.account.AdminSocketProtocol.Reply;
import io.emrvke.server.account.AdminSocketProtocol.Request;
import io.emrvke.server.store.PrivateFiles;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@code emr-vke credentials} reaches a running server: a Unix domain socket,
 * {@code <data-dir>/admin.sock}. The embedded store takes no connection from another process, so
 * the command asks the server instead. Only the server's own OS user (or root) gets an answer: the
 * data directory is 0700, the socket 0600, and the kernel's word on the peer (SO_PEERCRED) is checked.
 * It is on no network; it serves create, list and disable, nothing else.
 */
public final class CredentialAdminSocket implements AutoCloseable {
    public static final String FILE_NAME = "admin.sock";
    private static final Logger log = LoggerFactory.getLogger(CredentialAdminSocket.class);
    private static final long EXCHANGE_DEADLINE_MS = 10_000;
    // sockaddr_un.sun_path on Linux: 108 bytes with the terminating NUL
    private static final int MAX_PATH_BYTES = 107;

    private final Path path;
    private final ServerSocketChannel server;
    private final CredentialAdmin admin;
    private final String owner;
    private final ScheduledExecutorService deadlines;
    private final Thread acceptor;

    private CredentialAdminSocket(Path path, ServerSocketChannel server, CredentialAdmin admin, String owner) {
        this.path = path;
        this.server = server;
        this.admin = admin;
        this.owner = owner;
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "emr-vke-admin-deadline"));
        this.acceptor = daemon(this::acceptLoop, "emr-vke-admin-socket");
    }

    public static Path path(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /**
     * Listens on the data directory's admin socket. Empty (with a warning saying what it means) when it
     * cannot: the path is too long for a Unix socket, or another live server answers on it.
     */
    public static Optional<CredentialAdminSocket> open(Path dataDir, CredentialAdmin admin) {
        Path path = path(dataDir).toAbsolutePath();
        int length = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_PATH_BYTES) {
            log.warn("No admin socket: {} is {} bytes, more than a Unix socket path may have ({}); `emr-vke"
                    + " credentials` cannot reach this server while it runs (use a shorter --data-dir)",
                    path, length, MAX_PATH_BYTES);
            return Optional.empty();
        }
        try {
            if (CredentialAdminClient.answers(path)) {
                log.warn("No admin socket: another emr-vke server answers on {}", path);
                return Optional.empty();
            }
            Files.deleteIfExists(path); // left by a server that was killed
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            PrivateFiles.restrict(path);
            CredentialAdminSocket socket = new CredentialAdminSocket(path, server, admin,
                    Files.getOwner(path).getName());
            socket.acceptor.start();
            log.info("credentials admin socket at {} (user {} only)", path, socket.owner);
            return Optional.of(socket);
        } catch (IOException e) {
            log.warn("No admin socket at {}: {}; `emr-vke credentials` cannot reach this server while it runs",
                    path, e.toString());
            return Optional.empty();
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            server.close();
            acceptor.join(5_000);
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("while closing the admin socket {}: {}", path, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deadlines.shutdownNow();
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                serve(client);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("admin socket exchange failed: {}", e.toString());
            }
        }
    }

    /** One exchange, cut off at the deadline so that a silent client cannot hold the socket. */
    private void serve(SocketChannel client) throws IOException {
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(client), EXCHANGE_DEADLINE_MS,
                TimeUnit.MILLISECONDS);
        try {
            String peer = peerUser(client);
            if (!peer.equals(owner) && !peer.equals("root")) {
                AdminSocketProtocol.write(client, Reply.refused("this server runs as user " + owner
                        + " and takes credential commands from that user (or root) only, not from " + peer, false));
                return;
            }
            Reply reply;
            try {
                Request request = AdminSocketProtocol.read(client, Request.class);
                if (request == null) {
                    return; // a probe: does a server answer here?
                }
                reply = answer(request);
            } catch (JsonProcessingException e) {
                reply = Reply.refused("not a request: " + e.getOriginalMessage(), true);
            }
            AdminSocketProtocol.write(client, reply);
        } finally {
            deadline.cancel(false);
        }
    }

    private Reply answer(Request request) {
        try {
            return switch (request.command() == null ? "" : request.command()) {
                case AdminSocketProtocol.CREATE -> request.credential() == null ? missing("credential")
                        : created(admin.create(request.credential()));
                case AdminSocketProtocol.LIST -> Reply.listed(admin.list());
                case AdminSocketProtocol.DISABLE -> request.accessKey() == null ? missing("accessKey")
                        : disabled(request.accessKey(), admin.disable(request.accessKey()));
                default -> Reply.refused("unknown command '" + request.command() + "' (accepted: create, list,"
                        + " disable)", true);
            };
        } catch (IllegalArgumentException e) {
            return Reply.refused(e.getMessage(), true);
        } catch (RuntimeException e) {
            log.warn("admin socket {} failed: {}", request.command(), e.toString());
            return Reply.refused("the server could not " + request.command() + ": " + e.getMessage(), false);
        }
    }

    private static Reply missing(String field) {
        return Reply.refused("the request lacks '" + field + "'", true);
    }

    private static Reply created(Credential c) {
        log.info("credentials: created {} through the admin socket", c);
        return Reply.created(c);
    }

    private static Reply disabled(String accessKey, boolean found) {
        if (found) {
            log.info("credentials: disabled {} through the admin socket", accessKey);
        }
        return Reply.disabled(found);
    }

    private static String peerUser(SocketChannel client) throws IOException {
        UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return peer.user().getName();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is all that was wanted
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
