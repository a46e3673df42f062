package io.emrvke.server.account;

import io.emrvke.server.account.AdminSocketProtocol.Reply;
import io.emrvke.server.account.AdminSocketProtocol.Request;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The {@code credentials} command's side of a running server's {@link CredentialAdminSocket}. */
public final class CredentialAdminClient implements CredentialAdmin {
    private final Path path;

    private CredentialAdminClient(Path path) {
        this.path = path;
    }

    /**
     * The server answering on the data directory's admin socket; empty when none does (no socket file,
     * or one left by a server that is gone).
     *
     * @throws AdminSocketException when a socket is there but this process may not use it
     */
    public static Optional<CredentialAdminClient> reach(Path dataDir) {
        Path path = CredentialAdminSocket.path(dataDir).toAbsolutePath();
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        if (!Files.isWritable(path)) {
            throw new AdminSocketException("The running server's admin socket " + path + " is not open to this"
                    + " user: run the command as the user the server runs as.");
        }
        return answers(path) ? Optional.of(new CredentialAdminClient(path)) : Optional.empty();
    }

    /** Whether a server accepts connections on {@code path}. */
    static boolean answers(Path path) {
        if (!Files.exists(path)) {
            return false;
        }
        try (SocketChannel ignored = connect(path)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Credential create(NewCredential spec) {
        return exchange(new Request(AdminSocketProtocol.CREATE, spec, null)).credential();
    }

    @Override
    public List<CredentialSummary> list() {
        return exchange(new Request(AdminSocketProtocol.LIST, null, null)).credentials();
    }

    @Override
    public boolean disable(String accessKeyId) {
        return exchange(new Request(AdminSocketProtocol.DISABLE, null, accessKeyId)).disabled();
    }

    private Reply exchange(Request request) {
        Reply reply;
        try (SocketChannel channel = connect(path)) {
            AdminSocketProtocol.write(channel, request);
            reply = AdminSocketProtocol.read(channel, Reply.class);
            if (reply == null) {
                throw new IOException("it closed the connection without an answer");
            }
        } catch (ConnectException | AccessDeniedException e) {
            throw new AdminSocketException("Cannot reach the running server through " + path + ": " + e.getMessage()
                    + ". Is it still running, under this user?", e);
        } catch (IOException e) {
            throw new AdminSocketException("The running server did not answer through " + path + ": "
                    + e.getMessage() + ". See its log.", e);
        }
        if (reply.error() != null) {
            if (reply.invalid()) {
                throw new IllegalArgumentException(reply.error());
            }
            throw new AdminSocketException("The running server refused: " + reply.error(), null);
        }
        return reply;
    }

    private static SocketChannel connect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The admin socket could not be used; the message says why and what to do. */
    public static final class AdminSocketException extends RuntimeException {
        AdminSocketException(String message, Throwable cause) {
            super(message, cause);
        }

        AdminSocketException(String message) {
            super(message);
        }
    }
}
