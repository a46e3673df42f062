package io.emrvke.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.account.Credential;
import io.emrvke.server.account.CredentialRepository;
import io.emrvke.server.account.NewCredential;
import io.emrvke.server.account.Role;
import io.emrvke.server.application.ConfigItem;
import io.emrvke.server.application.ConfigItemRow;
import io.emrvke.server.application.ConfigRepository;
import io.emrvke.server.application.InstanceRepository;
import io.emrvke.server.application.InstanceRow;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * What a copy of the database shows of the secrets written through the repositories, on H2 and
 * PostgreSQL: sealed values only ({@code v1:} and base64, never the clear text, a new nonce each
 * time), while the repositories read the clear values back; and a sealed value moved to another
 * row does not open there.
 */
class SecretColumnsHoldOnlySealedValuesTest {
    private static final String GIVEN_SECRET_KEY = "Given-Secret-Key-0f1e2d3c4b5a";
    private static final String DB_PASSWORD = "Metastore-Passw0rd-a1b2c3";
    private static final String RELEASE = "hive-metastore-ab12";

    @StoreTest
    void credentialSecretKeysAreSealedAndReadBackInClear(StoreBackend backend) {
        Jdbi jdbi = backend.database().jdbi();
        CredentialRepository credentials = new CredentialRepository(jdbi);
        Credential generated = credentials.create(NewCredential.generated(7, "gen", Role.ADMIN));
        credentials.create(NewCredential.generated(7, "one", Role.ADMIN).withKeys("AKLTone", GIVEN_SECRET_KEY));
        credentials.create(NewCredential.generated(7, "two", Role.ADMIN).withKeys("AKLTtwo", GIVEN_SECRET_KEY));

        Map<String, String> stored = storedSecretKeys(jdbi);

        assertThat(stored).hasSize(3).allSatisfy((ak, sealed) -> assertThat(sealed).startsWith("v1:")
                .doesNotContain(GIVEN_SECRET_KEY).doesNotContain(generated.secretKey()));
        assertThat(stored.get("AKLTone")).as("same secret, new nonce").isNotEqualTo(stored.get("AKLTtwo"));
        assertThat(credentials.find("AKLTone")).get().extracting(Credential::secretKey).isEqualTo(GIVEN_SECRET_KEY);
        assertThat(credentials.find(generated.accessKeyId())).get().extracting(Credential::secretKey)
                .isEqualTo(generated.secretKey());
    }

    @StoreTest
    void aSealedSecretKeyMovedToAnotherCredentialDoesNotOpen(StoreBackend backend) {
        Jdbi jdbi = backend.database().jdbi();
        CredentialRepository credentials = new CredentialRepository(jdbi);
        credentials.create(NewCredential.generated(7, "one", Role.ADMIN).withKeys("AKLTone", GIVEN_SECRET_KEY));
        credentials.create(NewCredential.generated(7, "two", Role.ADMIN).withKeys("AKLTtwo", "other-secret"));
        jdbi.useHandle(h -> h.execute("UPDATE credentials SET secret_key = (SELECT secret_key FROM credentials"
                + " WHERE access_key = 'AKLTone') WHERE access_key = 'AKLTtwo'"));

        assertThatThrownBy(() -> new CredentialRepository(jdbi).find("AKLTtwo"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("credentials.secret_key").hasMessageContaining("AKLTtwo")
                .hasMessageContaining("another row").hasMessageNotContaining(GIVEN_SECRET_KEY);
    }

    @StoreTest
    void secretConfigValuesAreSealedInEveryVersionAndOthersStayReadable(StoreBackend backend) {
        Jdbi jdbi = backend.database().jdbi();
        ConfigRepository configs = new ConfigRepository(jdbi);
        String clusterId = Ids.newClusterId();
        jdbi.useTransaction(h -> {
            new InstanceRepository(jdbi).insert(h, InstanceRow.created(clusterId, RELEASE, "Hive", "HiveMetastore",
                    "Deployment", 1L));
            configs.writeFirstVersion(h, clusterId, "Hive", RELEASE, List.of(),
                    List.of(new ConfigItem("hive-site.xml", "javax.jdo.option.ConnectionPassword", DB_PASSWORD),
                            new ConfigItem("hive-site.xml", "hive.metastore.port", "9083")), "op-1", 1L);
        });
        // version 2 changes the port only: the password is carried over, sealed again for its new row
        jdbi.useTransaction(h -> configs.writeNextVersion(h, clusterId, "Hive", RELEASE,
                List.of(new ConfigItem("hive-site.xml", "hive.metastore.port", "9084")), "op-2", 2L));

        List<String> storedPasswords = jdbi.withHandle(h -> h.createQuery("SELECT item_value FROM config_items"
                        + " WHERE cluster_id = :c AND secret ORDER BY config_version").bind("c", clusterId)
                .mapTo(String.class).list());
        List<String> storedPorts = jdbi.withHandle(h -> h.createQuery("SELECT item_value FROM config_items"
                        + " WHERE cluster_id = :c AND NOT secret ORDER BY config_version").bind("c", clusterId)
                .mapTo(String.class).list());
        List<String> history = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(old_value, '') || '>' || new_value"
                + " FROM config_history WHERE cluster_id = :c AND secret").bind("c", clusterId).mapTo(String.class).list());

        assertThat(storedPasswords).hasSize(2).allSatisfy(v -> assertThat(v).startsWith("v1:")
                .doesNotContain(DB_PASSWORD)).doesNotHaveDuplicates();
        assertThat(storedPorts).containsExactly("9083", "9084");
        assertThat(history).containsExactly(">******");
        assertThat(configs.current(clusterId, RELEASE)).extracting(ConfigItemRow::key, ConfigItemRow::value)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("javax.jdo.option.ConnectionPassword",
                        DB_PASSWORD), org.assertj.core.groups.Tuple.tuple("hive.metastore.port", "9084"));
    }

    private static Map<String, String> storedSecretKeys(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT access_key, secret_key FROM credentials")
                .setMapKeyColumn("access_key").setMapValueColumn("secret_key")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() { }));
    }
}
