package io.emrvke.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin socket a server opens in its data dir: owner-only, it answers create, list and disable
 * and refuses anything else by name; it replaces a socket file a killed server left, never one a
 * live server answers on, and goes away when the server stops.
 */
class AdminSocketServesOnlyCredentialCommandsTest {
    private StoreBackend store;
    private CredentialRepository credentials;

    @BeforeEach
    void openStore() {
        store = StoreBackends.fresh(StoreBackends.Kind.H2);
        credentials = new CredentialRepository(store.database().jdbi());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void createListAndDisableAnswerAndTheSocketIsOwnerOnly() throws IOException {
        try (CredentialAdminSocket socket = CredentialAdminSocket.open(store.dataDir(), credentials).orElseThrow()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.path())))
                    .isEqualTo("rw-------");
            CredentialAdmin client = CredentialAdminClient.reach(store.dataDir()).orElseThrow();

            Credential created = client.create(NewCredential.generated(3, "erin", Role.READONLY));

            assertThat(credentials.find(created.accessKeyId())).get().extracting(Credential::secretKey)
                    .isEqualTo(created.secretKey());
            assertThat(CredentialAdminClient.reach(store.dataDir()).orElseThrow().list())
                    .extracting(CredentialSummary::accessKeyId).containsExactly(created.accessKeyId());
            assertThat(CredentialAdminClient.reach(store.dataDir()).orElseThrow().disable(created.accessKeyId()))
                    .isTrue();
            assertThat(credentials.find(created.accessKeyId())).get().extracting(Credential::enabled).isEqualTo(false);
            assertThatThrownBy(() -> CredentialAdminClient.reach(store.dataDir()).orElseThrow()
                    .create(NewCredential.generated(0, "erin", Role.ADMIN)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("account id");
        }
    }

    @Test
    void anythingButACredentialCommandIsRefusedByName() throws IOException {
        try (CredentialAdminSocket socket = CredentialAdminSocket.open(store.dataDir(), credentials).orElseThrow()) {
            assertThat(exchange(socket.path(), "{\"command\":\"shutdown\"}"))
                    .contains("unknown command 'shutdown'").contains("create, list, disable");
            assertThat(exchange(socket.path(), "{\"command\":\"disable\"}")).contains("lacks 'accessKey'");
            assertThat(exchange(socket.path(), "not json at all")).contains("not a request");
        }
    }

    @Test
    void aSocketFileLeftByAKilledServerIsReplacedButALiveOneIsNotTakenOver() throws IOException {
        Path left = CredentialAdminSocket.path(store.dataDir());
        Files.writeString(left, "left behind");

        try (CredentialAdminSocket first = CredentialAdminSocket.open(store.dataDir(), credentials).orElseThrow()) {
            Optional<CredentialAdminSocket> second = CredentialAdminSocket.open(store.dataDir(), credentials);

            assertThat(second).as("a second server on the same data dir").isEmpty();
            assertThat(CredentialAdminClient.reach(store.dataDir()).orElseThrow().list()).isEmpty();
        }
        assertThat(left).as("removed when the server stops").doesNotExist();
        assertThat(CredentialAdminClient.reach(store.dataDir())).isEmpty();
    }

    /** One raw line to the socket, the raw line back. */
    private static String exchange(Path socket, String line) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer reply = ByteBuffer.allocate(8192);
            while (channel.read(reply) >= 0 && !new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8)
                    .contains("\n")) {
                // until the whole line is in
            }
            return new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8);
        }
    }
}
