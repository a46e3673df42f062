package io.emrvke.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

class CredentialRepositoryTest {

    @StoreTest
    void createdKeysAreGeneratedAndFoundWithTheirOwner(StoreBackend backend) {
        CredentialRepository repo = new CredentialRepository(backend.database().jdbi());
        Credential c = repo.create(NewCredential.generated(7, "alice", Role.READONLY));

        assertThat(c.accessKeyId()).startsWith("AKLT").hasSize(36);
        assertThat(c.secretKey()).hasSize(40).matches("[A-Za-z0-9]{40}");
        assertThat(repo.find(c.accessKeyId())).contains(c);
        assertThat(c.enabled()).isTrue();
        assertThat(c.caller().accountId()).isEqualTo(7);
        assertThat(repo.find("AKLTNOSUCHKEY")).isEmpty();
    }

    @StoreTest
    void givenKeysAreStoredAsGivenAndDuplicatesRefused(StoreBackend backend) {
        CredentialRepository repo = new CredentialRepository(backend.database().jdbi());
        Credential c = repo.create(NewCredential.generated(1, "ops", Role.ADMIN).withKeys("AKLTexampleAK", "exampleSecretKey"));

        assertThat(repo.find("AKLTexampleAK")).get().extracting(Credential::secretKey).isEqualTo("exampleSecretKey");
        assertThatThrownBy(() -> repo.create(NewCredential.generated(1, "ops", Role.ADMIN)
                .withKeys("AKLTexampleAK", "other")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        assertThat(c.userId()).isEqualTo(2);
    }

    @StoreTest
    void malformedInputIsRefusedWithoutEchoingTheSecret(StoreBackend backend) {
        CredentialRepository repo = new CredentialRepository(backend.database().jdbi());
        assertThatThrownBy(() -> repo.create(NewCredential.generated(1, "ops", Role.ADMIN).withKeys("AK/1", "s")))
                .hasMessageContaining("access key");
        assertThatThrownBy(() -> repo.create(NewCredential.generated(1, "ops", Role.ADMIN).withKeys("AKLTgood", "has space")))
                .hasMessageContaining("secret key").hasMessageNotContaining("has space");
        assertThatThrownBy(() -> repo.create(NewCredential.generated(0, "ops", Role.ADMIN)))
                .hasMessageContaining("account id");
        assertThatThrownBy(() -> repo.create(NewCredential.generated(1, "no spaces please", Role.ADMIN)))
                .hasMessageContaining("user name");
    }

    @StoreTest
    void usersKeepOneIdPerNameAndRootIsUserOne(StoreBackend backend) {
        CredentialRepository repo = new CredentialRepository(backend.database().jdbi());
        Credential alice = repo.create(NewCredential.generated(1, "alice", Role.ADMIN));
        Credential root = repo.create(NewCredential.generated(1, "root", Role.ADMIN));
        Credential alice2 = repo.create(NewCredential.generated(1, "alice", Role.READONLY));
        Credential bob = repo.create(NewCredential.generated(1, "bob", Role.ADMIN));
        Credential otherAccount = repo.create(NewCredential.generated(2, "carol", Role.ADMIN));

        assertThat(alice.userId()).isEqualTo(2);
        assertThat(root.userId()).isEqualTo(1);
        assertThat(alice2.userId()).isEqualTo(2);
        assertThat(bob.userId()).isEqualTo(3);
        assertThat(otherAccount.userId()).isEqualTo(2);
    }

    @StoreTest
    void listShowsEveryKeyOldestFirstWithoutSecrets(StoreBackend backend) {
        CredentialRepository repo = new CredentialRepository(backend.database().jdbi());
        Credential a = repo.create(NewCredential.generated(1, "alice", Role.ADMIN));
        Credential b = repo.create(NewCredential.generated(3, "bob", Role.READONLY));
        repo.disable(b.accessKeyId());

        List<CredentialSummary> listed = repo.list();

        assertThat(listed).extracting(CredentialSummary::accessKeyId).containsExactlyInAnyOrder(a.accessKeyId(), b.accessKeyId());
        assertThat(listed).filteredOn(s -> s.accessKeyId().equals(b.accessKeyId()))
                .singleElement().satisfies(s -> {
                    assertThat(s.enabled()).isFalse();
                    assertThat(s.role()).isEqualTo(Role.READONLY);
                    assertThat(s.accountId()).isEqualTo(3);
                });
        assertThat(listed.toString()).doesNotContain(a.secretKey()).doesNotContain(b.secretKey());
    }

    @StoreTest
    void disablingThroughTheRepositoryTakesEffectAtOnce(StoreBackend backend) {
        CredentialRepository repo = new CredentialRepository(backend.database().jdbi());
        Credential c = repo.create(NewCredential.generated(1, "alice", Role.ADMIN));
        assertThat(repo.find(c.accessKeyId())).get().extracting(Credential::enabled).isEqualTo(true);

        assertThat(repo.disable(c.accessKeyId())).isTrue();

        assertThat(repo.find(c.accessKeyId())).get().extracting(Credential::enabled).isEqualTo(false);
        assertThat(repo.disable("AKLTNOSUCHKEY")).isFalse();
    }

    @StoreTest
    void disablingFromAnotherProcessTakesEffectOnceTheCacheExpires(StoreBackend backend) throws InterruptedException {
        // The server's repository caches lookups; the command-line tool writes through its own pool.
        CredentialRepository server = new CredentialRepository(backend.database().jdbi(), Clock.systemUTC(),
                Duration.ofMillis(200));
        CredentialRepository tool = new CredentialRepository(backend.openAnother().jdbi());
        Credential c = tool.create(NewCredential.generated(1, "alice", Role.ADMIN));
        assertThat(server.find(c.accessKeyId())).get().extracting(Credential::enabled).isEqualTo(true);

        tool.disable(c.accessKeyId());
        Thread.sleep(300);

        assertThat(server.find(c.accessKeyId())).get().extracting(Credential::enabled).isEqualTo(false);
    }
}
