package io.emrvke.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.emrvke.server.account.CredentialRepository;
import io.emrvke.server.account.NewCredential;
import io.emrvke.server.account.Role;
import io.emrvke.server.operation.ServerProcess;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store records which key seals its secrets. Opened with another key, or with none, it refuses
 * with one line that names both key ids (never a key) and says what to give; it never reads garbage
 * nor seals new secrets no other server could read. The right key, from the file or the environment,
 * opens it.
 */
class StoreOpensOnlyWithItsOwnKeyTest {
    private static final String OTHER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @StoreTest
    void anotherKeyOrNoKeyIsRefusedAndTheStoresOwnKeyOpensIt(StoreBackend backend) throws Exception {
        String storeKeyId;
        String encoded;
        try (Database db = Database.open(backend.jdbcUrl(), 2, backend.keySource())) {
            new CredentialRepository(db.jdbi()).create(NewCredential.generated(1, "root", Role.ADMIN)
                    .withKeys("AKLTKEYED", "keyed-secret"));
            storeKeyId = backend.keySource().given().orElseThrow().id();
        }
        Path keyFile = backend.keySource().file();
        encoded = Files.readString(keyFile);

        Files.writeString(keyFile, "EMR_VKE_STORE_KEY=" + OTHER_KEY + "\n");
        String otherId = StoreKey.parse(OTHER_KEY, "test").id();
        assertThatThrownBy(() -> Database.open(backend.jdbcUrl(), 2, backend.keySource()))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("sealed with key " + storeKeyId).hasMessageContaining("is " + otherId)
                .hasMessageContaining(keyFile.toString()).hasMessageContaining("EMR_VKE_STORE_KEY")
                .hasMessageNotContaining(OTHER_KEY)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        Files.delete(keyFile);
        assertThatThrownBy(() -> Database.open(backend.jdbcUrl(), 2, backend.keySource()))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("no key was given").hasMessageContaining(storeKeyId)
                .hasMessageContaining("EMR_VKE_STORE_KEY").hasMessageContaining(keyFile.toString());
        assertThat(keyFile).as("no new key is made for a store that has one").doesNotExist();

        String storeKey = encoded.lines().filter(l -> l.startsWith("EMR_VKE_STORE_KEY=")).findFirst().orElseThrow()
                .substring("EMR_VKE_STORE_KEY=".length());
        try (Database db = Database.open(backend.jdbcUrl(), 2, new KeySource(storeKey, null))) {
            assertThat(new CredentialRepository(db.jdbi()).find("AKLTKEYED")).get()
                    .satisfies(c -> assertThat(c.secretKey()).isEqualTo("keyed-secret"));
        }
    }

    @Test
    void aMalformedKeyIsRefusedWithoutShowingIt(@TempDir Path dataDir) {
        String url = Database.defaultUrl(dataDir);
        for (String bad : List.of("not-base64-at-all!", "c2hvcnQ=")) {
            assertThatThrownBy(() -> Database.open(url, 2, new KeySource(bad, dataDir.resolve(KeySource.FILE_NAME))))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("EMR_VKE_STORE_KEY is not a store key")
                    .hasMessageContaining("base64 of 32 random bytes")
                    .hasMessageNotContaining(bad);
        }
    }

    @Test
    void aNewStoreWithNowhereToKeepAKeyIsRefusedSayingWhatToSet(@TempDir Path dataDir) {
        assertThatThrownBy(() -> Database.open(Database.defaultUrl(dataDir), 2, new KeySource(null, null)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("needs a key").hasMessageContaining("EMR_VKE_STORE_KEY")
                .hasMessageContaining("--data-dir");
    }

    @Test
    void serveGivenAnotherKeyStopsAtStartWithTheReason(@TempDir Path tmp) {
        List<String> args = List.of("--data-dir", tmp.resolve("data").toString(), "--sandbox-pod-ready-ms", "0");
        ServerProcess.start("keyed", tmp.resolve("logs"), args).terminate(30);

        AssertionError refused = assertThrows(AssertionError.class,
                () -> ServerProcess.start("other-key", tmp.resolve("logs"), args, Map.of(KeySource.ENV, OTHER_KEY)));

        assertThat(refused.getMessage()).contains("exited with 1 before serving")
                .contains("emr-vke serve: The store").contains("holds secrets sealed with key")
                .contains("the key from EMR_VKE_STORE_KEY is " + StoreKey.parse(OTHER_KEY, "test").id())
                .doesNotContain(OTHER_KEY);
    }
}
