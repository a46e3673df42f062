package io.emrvke.server;

import io.emrvke.server.account.Credential;
import io.emrvke.server.account.NewCredential;
import io.emrvke.server.account.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** A whole control plane in-process on a temp data dir and a free port, for end-to-end tests. */
public final class RunningServer implements AutoCloseable {
    private final Path dataDir;
    private final ControlPlane plane;

    private RunningServer(Path dataDir, ControlPlane plane) {
        this.dataDir = dataDir;
        this.plane = plane;
    }

    /** The embedded defaults with any port, adjusted by {@code tweak} (e.g. no sandbox, no rate limit). */
    public static RunningServer start(UnaryOperator<ServerConfig> tweak) {
        try {
            Path dir = Files.createTempDirectory("emr-vke-server-");
            return new RunningServer(dir, ControlPlane.start(tweak.apply(ServerConfig.defaults(dir).withPort(0))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ControlPlane plane() {
        return plane;
    }

    public int port() {
        return plane.port();
    }

    public String endpoint() {
        return "127.0.0.1:" + plane.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A new credential of its own user in {@code accountId}. */
    public Credential credential(long accountId, String userName, Role role) {
        return plane.credentials().create(NewCredential.generated(accountId, userName, role));
    }

    @Override
    public void close() {
        plane.close();
    }
}
