package io.emrvke.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationsApplyOnBothBackendsTest {
    private static final List<String> TABLES = List.of("credentials", "clusters", "applications",
            "component_instances", "config_items", "config_history", "release_revisions", "operations",
            "operation_steps", "operation_targets", "operation_secret_values", "idempotency_tokens",
            "signed_request_replays");

    @StoreTest
    void everyTableExistsAndIsEmptyAfterOpening(StoreBackend backend) {
        Database db = backend.database();
        for (String table : TABLES) {
            long rows = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
            assertThat(rows).as(table).isZero();
        }
        assertThat(db.isUsable()).isTrue();
    }

    @StoreTest
    void openingAnAlreadyMigratedStoreAppliesNothingAgain(StoreBackend backend) {
        backend.database().jdbi().useHandle(h -> h.execute("INSERT INTO credentials (access_key, secret_key,"
                + " account_id, user_id, user_name, role, enabled, create_time) VALUES ('AKLTX', 's', 1, 1, 'root',"
                + " 'admin', TRUE, 1)"));
        String countApplied = "SELECT COUNT(*) FROM flyway_schema_history WHERE success AND type = 'SQL'";
        long appliedFirst = backend.database().jdbi().withHandle(h -> h.createQuery(countApplied)
                .mapTo(Long.class).one());
        Database second = backend.openAnother();
        long applied = second.jdbi().withHandle(h -> h.createQuery(countApplied).mapTo(Long.class).one());
        assertThat(applied).isEqualTo(appliedFirst).isPositive();
        long credentials = second.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM credentials")
                .mapTo(Long.class).one());
        assertThat(credentials).isEqualTo(1);
    }

    @StoreTest
    void aClosedStoreIsNotUsable(StoreBackend backend) {
        Database db = backend.openAnother();
        db.close();
        assertThat(db.isUsable()).isFalse();
    }

    @Test
    void unreachablePostgresSaysWhatToDo() {
        assertThatThrownBy(() -> Database.open("jdbc:postgresql://127.0.0.1:1/none?user=u&password=hunter2&connectTimeout=2",
                new KeySource(null, null)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("Cannot connect to PostgreSQL")
                .hasMessageContaining("--database-url")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void defaultUrlIsAnOwnerOnlyH2FileInTheStoreFolderThatServesNoOtherProcess() {
        String url = Database.defaultUrl(java.nio.file.Path.of("/var/lib/emr"));
        assertThat(url).startsWith("jdbc:h2:private:/var/lib/emr/store/").doesNotContain("AUTO_SERVER")
                .contains("MODE=PostgreSQL");
    }
}
