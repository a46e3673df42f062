package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.store.Ids;
import io.emrvke.server.store.SecretColumn;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends;
import io.emrvke.server.store.StoreBackends.StoreTest;
import io.emrvke.server.store.StoreSecrets;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * A store written before secret values were kept apart holds them in clear in RunApplicationAction
 * params. Opening it with this version rewrites those params without them; an unfinished
 * operation keeps its values in operation_secret_values for its restart step, an ended one not.
 */
class SecretValuesStoredBeforeTheUpgradeLeaveOperationParamsTest {
    private static final String SECRET = "Old-Cl3ar-S3cret";
    private static final String LEGACY_PARAMS = "{\"ActionName\":\"restart\",\"ApplicationConfigs\":["
            + "{\"ConfigFileName\":\"celeborn-defaults.conf\","
            + "\"ConfigItemKey\":\"celeborn.worker.flusher.buffer.size\",\"ConfigItemValue\":\"512k\"},"
            + "{\"ConfigFileName\":\"__envs__\",\"ConfigItemKey\":\"METRICS_PASSWORD\",\"ConfigItemValue\":\""
            + SECRET + "\"}]}";

    @StoreTest
    void openingAnOlderStoreMovesOutTheSecretValuesOfItsOperationParams(StoreBackend backend) {
        // an H2 store is opened with the user that created it, the one Database uses
        boolean h2 = backend.kind() == StoreBackends.Kind.H2;
        Flyway.configure().dataSource(backend.jdbcUrl(), h2 ? "sa" : null, h2 ? "" : null)
                .locations("classpath:db/migration").target("4").load().migrate();
        Jdbi before = h2 ? Jdbi.create(backend.jdbcUrl(), "sa", "") : Jdbi.create(backend.jdbcUrl());
        String running = insertOperation(before, "RUNNING");
        String ended = insertOperation(before, "SUCCESS");

        Jdbi jdbi = backend.database().jdbi();

        for (String op : List.of(running, ended)) {
            String params = jdbi.withHandle(h -> h.createQuery("SELECT params FROM operations WHERE operation_id = :id")
                    .bind("id", op).mapTo(String.class).one());
            assertThat(params).doesNotContain(SECRET).contains("\"ConfigItemValue\":\"512k\"").contains(
                    "{\"ConfigFileName\":\"__envs__\",\"ConfigItemKey\":\"METRICS_PASSWORD\",\"Secret\":true}");
        }
        // sealed since V7: opened with the store's key
        List<String> kept = jdbi.withHandle(h -> h.createQuery("SELECT operation_id, secret_name, secret_value"
                + " FROM operation_secret_values").map((rs, ctx) -> rs.getString(1) + " " + rs.getString(2) + "="
                + ctx.getConfig(StoreSecrets.class).open(SecretColumn.OPERATION_SECRET_VALUE, rs.getString(3),
                        rs.getString(1), rs.getString(2))).list());
        assertThat(kept).containsExactly(running + " __envs__/METRICS_PASSWORD=" + SECRET);
    }

    private static String insertOperation(Jdbi jdbi, String state) {
        String id = Ids.newOperationId();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO operations (operation_id, account_id, user_id, cluster_id,"
                        + " operation_name, state, params, create_time, update_time) VALUES (:id, 1, 1, 'emr-old',"
                        + " 'RunApplicationAction', :state, :params, 1, 1)")
                .bind("id", id).bind("state", state).bind("params", LEGACY_PARAMS).execute());
        return id;
    }
}
