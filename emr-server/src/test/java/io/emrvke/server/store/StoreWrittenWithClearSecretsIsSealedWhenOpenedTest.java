package io.emrvke.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.api.client.EmrClient;
import io.emrvke.server.RunningServer;
import io.emrvke.server.application.ConfigItemRow;
import io.emrvke.server.application.ConfigRepository;
import io.emrvke.server.store.StoreBackends.StoreTest;
import io.emrvke.server.store.migration.V5__secret_config_values_leave_operation_params;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * A store written by the version before sealing (schema V5) holds its secrets in clear. The first
 * server to open it seals every one of them once, under a key it creates outside the database, and
 * the store keeps working: the old credential still signs requests, the secret config value and the
 * pending operation's secret value read back in clear. On H2 the file no longer holds a clear copy,
 * not even of a secret key that had been replaced before the upgrade.
 */
class StoreWrittenWithClearSecretsIsSealedWhenOpenedTest {
    private static final String ACCESS_KEY = "AKLTLEGACY";
    private static final String SECRET_KEY = "Legacy-Secret-Key-9a8b7c6d5e";
    private static final String REPLACED_SECRET_KEY = "Replaced-Legacy-Secret-1a2b3c";
    private static final String CONFIG_SECRET = "Legacy-Config-Passw0rd-4d5e6f";
    private static final String OPERATION_SECRET = "Legacy-Pending-Secret-7a8b9c";
    private static final String CLUSTER = "emr-legacy";
    private static final String RELEASE = "hive-metastore-lg01";
    private static final String OPERATION = "op-legacy";
    private static final String SECRET_NAME = "__envs__/DB_PASSWORD";

    @StoreTest
    void theFirstServerSealsEveryClearSecretOnceAndTheStoreKeepsWorking(StoreBackend backend) throws Exception {
        Jdbi before = storeOfThePreviousVersion(backend);
        writeClearSecrets(before);
        Map<String, String> sealed;
        Path keyFile;

        try (RunningServer server = RunningServer.start(c -> c.withSandbox(false, 0)
                .withDatabaseUrl(backend.jdbcUrl()))) {
            Jdbi jdbi = server.plane().database().jdbi();
            EmrClient legacy = EmrClient.builder().endpoint(server.endpoint()).credentials(ACCESS_KEY, SECRET_KEY)
                    .build();
            assertThat(legacy.call("ListVirtualClusters").path("Result").has("Items"))
                    .as("the old credential still signs").isTrue();

            sealed = storedSecrets(jdbi);
            assertThat(sealed).hasSize(3).allSatisfy((column, value) -> assertThat(value).as(column)
                    .startsWith("v1:").doesNotContain(SECRET_KEY, CONFIG_SECRET, OPERATION_SECRET));
            List<ConfigItemRow> items = jdbi.withHandle(h -> new ConfigRepository(jdbi).version(h, CLUSTER, RELEASE, 1));
            assertThat(items).extracting(ConfigItemRow::key, ConfigItemRow::value).contains(
                            org.assertj.core.groups.Tuple.tuple("javax.jdo.option.ConnectionPassword", CONFIG_SECRET),
                            org.assertj.core.groups.Tuple.tuple("hive.metastore.port", "9083"));
            String pending = jdbi.withHandle(h -> h.getConfig(StoreSecrets.class).open(
                    SecretColumn.OPERATION_SECRET_VALUE, sealed.get("operation_secret_values"), OPERATION, SECRET_NAME));
            assertThat(pending).isEqualTo(OPERATION_SECRET);

            assertNoClearCopyInTheH2File(backend);

            keyFile = server.dataDir().resolve(KeySource.FILE_NAME);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            String keyId = jdbi.withHandle(h -> h.createQuery("SELECT key_id FROM store_key").mapTo(String.class).one());
            assertThat(KeySource.of(server.dataDir(), Map.of()).given()).get().extracting(StoreKey::id)
                    .isEqualTo(keyId);
        }

        try (Database reopened = Database.open(backend.jdbcUrl(), 2, KeySource.of(keyFile.getParent(), Map.of()))) {
            assertThat(storedSecrets(reopened.jdbi())).as("sealed once, not again").isEqualTo(sealed);
        }
    }

    /** While the server runs on it: the file was rewritten when the secrets were sealed, not at some later close. */
    private static void assertNoClearCopyInTheH2File(StoreBackend backend) throws IOException {
        if (backend.kind() != StoreBackends.Kind.H2) {
            return;
        }
        byte[] file = Files.readAllBytes(backend.dataDir().resolve("store").resolve("emr-vke.mv.db"));
        for (String clear : List.of(SECRET_KEY, REPLACED_SECRET_KEY, CONFIG_SECRET, OPERATION_SECRET)) {
            assertThat(ServerOpensNoStorePortAndKeepsItsDataPrivateTest.indexOf(file,
                    clear.getBytes(StandardCharsets.UTF_8))).as(clear + " in the H2 file").isNegative();
        }
    }

    /** The schema as the previous version left it (up to V5), opened the way that version did. */
    private static Jdbi storeOfThePreviousVersion(StoreBackend backend) {
        boolean h2 = backend.kind() == StoreBackends.Kind.H2;
        Flyway.configure().dataSource(backend.jdbcUrl(), h2 ? "sa" : null, h2 ? "" : null)
                .locations("classpath:db/migration")
                .javaMigrations(new V5__secret_config_values_leave_operation_params())
                .target("5").load().migrate();
        return h2 ? Jdbi.create(backend.jdbcUrl(), "sa", "") : Jdbi.create(backend.jdbcUrl());
    }

    private static void writeClearSecrets(Jdbi jdbi) {
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO credentials (access_key, secret_key, account_id, user_id, user_name, role, enabled,"
                    + " create_time) VALUES (?, ?, 1, 1, 'root', 'admin', TRUE, 1)", ACCESS_KEY, REPLACED_SECRET_KEY);
            h.execute("UPDATE credentials SET secret_key = ? WHERE access_key = ?", SECRET_KEY, ACCESS_KEY);
            h.execute("INSERT INTO config_items (cluster_id, release_name, config_version, config_file_name, item_key,"
                    + " item_value, secret) VALUES (?, ?, 1, 'hive-site.xml', 'javax.jdo.option.ConnectionPassword', ?,"
                    + " TRUE)", CLUSTER, RELEASE, CONFIG_SECRET);
            h.execute("INSERT INTO config_items (cluster_id, release_name, config_version, config_file_name, item_key,"
                    + " item_value, secret) VALUES (?, ?, 1, 'hive-site.xml', 'hive.metastore.port', '9083', FALSE)",
                    CLUSTER, RELEASE);
            h.execute("INSERT INTO operation_secret_values (operation_id, secret_name, secret_value) VALUES (?, ?, ?)",
                    OPERATION, SECRET_NAME, OPERATION_SECRET);
        });
    }

    /** The stored (sealed) value of each secret column, by table. */
    private static Map<String, String> storedSecrets(Jdbi jdbi) {
        return jdbi.withHandle(h -> Map.of(
                "credentials", h.createQuery("SELECT secret_key FROM credentials WHERE access_key = :ak")
                        .bind("ak", ACCESS_KEY).mapTo(String.class).one(),
                "config_items", h.createQuery("SELECT item_value FROM config_items WHERE secret")
                        .mapTo(String.class).one(),
                "operation_secret_values", h.createQuery("SELECT secret_value FROM operation_secret_values")
                        .mapTo(String.class).one()));
    }
}
