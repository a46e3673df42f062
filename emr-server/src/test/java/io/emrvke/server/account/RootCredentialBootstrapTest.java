package io.emrvke.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

class RootCredentialBootstrapTest {

    @StoreTest
    void theFirstStartGeneratesARootAdminAndWritesItForTheOwnerOnly(StoreBackend backend) throws Exception {
        CredentialRepository repo = new CredentialRepository(backend.database().jdbi());

        Optional<Credential> printed = RootCredential.bootstrap(repo, backend.dataDir(), Map.of());

        assertThat(printed).isPresent();
        Credential root = printed.get();
        assertThat(root.accountId()).isEqualTo(1);
        assertThat(root.userId()).isEqualTo(1);
        assertThat(root.userName()).isEqualTo("root");
        assertThat(root.role()).isEqualTo(Role.ADMIN);
        assertThat(repo.find(root.accessKeyId())).contains(root);
        Path file = RootCredential.file(backend.dataDir());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(file)).contains("VOLCENGINE_ACCESS_KEY=" + root.accessKeyId(),
                "VOLCENGINE_SECRET_KEY=" + root.secretKey());
    }

    @StoreTest
    void aLaterStartNeitherRegeneratesNorPrintsIt(StoreBackend backend) throws Exception {
        CredentialRepository repo = new CredentialRepository(backend.database().jdbi());
        Credential first = RootCredential.bootstrap(repo, backend.dataDir(), Map.of()).orElseThrow();
        String fileBefore = Files.readString(RootCredential.file(backend.dataDir()));

        Optional<Credential> again = RootCredential.bootstrap(repo, backend.dataDir(), Map.of());

        assertThat(again).isEmpty();
        assertThat(repo.list()).hasSize(1).extracting(CredentialSummary::accessKeyId).containsExactly(first.accessKeyId());
        assertThat(Files.readString(RootCredential.file(backend.dataDir()))).isEqualTo(fileBefore);
    }

    @StoreTest
    void keysFromTheEnvironmentAreMadeToExistEnabledWithTheirCurrentSecret(StoreBackend backend) {
        CredentialRepository repo = new CredentialRepository(backend.database().jdbi());
        Map<String, String> env = Map.of(RootCredential.ENV_ACCESS_KEY, "AKLTfromEnv",
                RootCredential.ENV_SECRET_KEY, "firstSecret");

        assertThat(RootCredential.bootstrap(repo, backend.dataDir(), env)).isEmpty();
        repo.disable("AKLTfromEnv");
        RootCredential.bootstrap(repo, backend.dataDir(), Map.of(RootCredential.ENV_ACCESS_KEY, "AKLTfromEnv",
                RootCredential.ENV_SECRET_KEY, "rotatedSecret"));

        Credential c = repo.find("AKLTfromEnv").orElseThrow();
        assertThat(c.secretKey()).isEqualTo("rotatedSecret");
        assertThat(c.enabled()).isTrue();
        assertThat(c.accountId()).isEqualTo(1);
        assertThat(c.userId()).isEqualTo(1);
        assertThat(c.role()).isEqualTo(Role.ADMIN);
        assertThat(Files.exists(RootCredential.file(backend.dataDir()))).isFalse();
        assertThat(RootCredential.bootstrap(repo, backend.dataDir(), Map.of())).isEmpty();
    }

    @StoreTest
    void onlyOneOfTheTwoVariablesIsRefused(StoreBackend backend) {
        CredentialRepository repo = new CredentialRepository(backend.database().jdbi());
        assertThatThrownBy(() -> RootCredential.bootstrap(repo, backend.dataDir(),
                Map.of(RootCredential.ENV_ACCESS_KEY, "AKLTonly")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RootCredential.ENV_SECRET_KEY);
    }
}
