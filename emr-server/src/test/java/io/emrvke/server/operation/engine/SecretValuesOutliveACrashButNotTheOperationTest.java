package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.operation.OperationState;
import io.emrvke.server.store.Database;
import io.emrvke.server.store.SecretColumn;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import io.emrvke.server.store.StoreSecrets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A plan's secret values are stored with the operation (never in its columns), read by its steps
 * from the store, also by the process that takes over after a crash, and deleted in the
 * transaction that ends the operation, however it ends.
 */
class SecretValuesOutliveACrashButNotTheOperationTest {
    private static final String NAME = "hive-site.xml/javax.jdo.option.ConnectionPassword";
    private static final String VALUE = "Cr4sh-Proof-S3cret";

    private static OperationPlan planWithSecret(String cluster, String... releases) {
        return EngineFixture.plan(cluster, "restart", releases).secretValues(SecretValues.of(Map.of(NAME, VALUE)))
                .build();
    }

    private static OperationSubmitter withoutEngine(Database db) {
        return new OperationSubmitter(db, new Idempotency(Idempotency.DEFAULT_RETENTION), () -> { });
    }

    @StoreTest
    void aStepResumedByAnotherProcessReadsTheSecretAndTheEndDeletesIt(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            String op = withoutEngine(f.db).submit(planWithSecret(cluster, "r-1")).operationId();
            assertThat(secretRows(f, op)).as("stored with the operation").containsExactly(NAME + "=" + VALUE);
            assertThat(storedValues(f, op)).as("sealed in the store").singleElement().asString().startsWith("v1:")
                    .doesNotContain(VALUE);
            assertThat(operationColumns(f, op)).noneMatch(v -> v.contains(VALUE));

            List<String> seen = new CopyOnWriteArrayList<>();
            RecordingExecutor onA = new RecordingExecutor("A", ctx -> {
                seen.add("A:" + ctx.secretValue(NAME).orElse("none"));
                ctx.recordToken("acted-by-A");
                return RecordingExecutor.untilCancelled(ctx);
            });
            RecordingExecutor onB = new RecordingExecutor("B", ctx -> {
                seen.add("B:" + ctx.secretValue(NAME).orElse("none"));
                return StepResult.success();
            }, onA);
            OperationEngine a = f.engine(b -> b.executor("restart", onA));
            a.start();
            f.await(op, d -> "acted-by-A".equals(d.steps().get(0).restartToken()), Duration.ofSeconds(20));
            a.simulateCrash();

            f.engine(b -> b.executor("restart", onB)).start();
            assertThat(f.awaitEnd(op).operation().state()).isEqualTo(OperationState.SUCCESS);

            assertThat(seen).containsExactly("A:" + VALUE, "B:" + VALUE);
            assertThat(secretRows(f, op)).as("deleted when the operation ended").isEmpty();
            assertThat(operationColumns(f, op)).noneMatch(v -> v.contains(VALUE));
        }
    }

    @StoreTest
    void aFailedOperationLeavesNoSecretBehind(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            String op = withoutEngine(f.db).submit(planWithSecret(cluster, "r-1", "r-2")).operationId();
            f.engine(b -> b.executor("restart", ctx -> StepResult.failed("no luck"))).start();

            assertThat(f.awaitEnd(op).operation().state()).isEqualTo(OperationState.FAILED);
            assertThat(secretRows(f, op)).isEmpty();
        }
    }

    @StoreTest
    void anOperationCancelledBeforeItStartedLeavesNoSecretBehind(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            String op = withoutEngine(f.db).submit(planWithSecret(cluster, "r-1")).operationId();
            assertThat(secretRows(f, op)).hasSize(1);

            f.engine(b -> { }).cancel(EngineFixture.ACCOUNT, op);

            assertThat(f.get(op).operation().state()).isEqualTo(OperationState.CANCEL);
            assertThat(secretRows(f, op)).isEmpty();
        }
    }

    @StoreTest
    void aSkippedPlanStoresNoSecret(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            String op = withoutEngine(f.db).submitSkipped(planWithSecret(cluster, "r-1"), List.of("would restart"),
                    "Dry run").operationId();

            assertThat(f.get(op).operation().state()).isEqualTo(OperationState.SKIP);
            assertThat(secretRows(f, op)).isEmpty();
        }
    }

    /** The operation's secret values as {@code name=value}, opened (the store holds them sealed). */
    private static List<String> secretRows(EngineFixture f, String operationId) {
        return f.db.jdbi().withHandle(h -> h.createQuery("SELECT secret_name, secret_value"
                        + " FROM operation_secret_values WHERE operation_id = :id")
                .bind("id", operationId).map((rs, ctx) -> rs.getString(1) + "=" + ctx.getConfig(StoreSecrets.class)
                        .open(SecretColumn.OPERATION_SECRET_VALUE, rs.getString(2), operationId, rs.getString(1)))
                .list());
    }

    private static List<String> storedValues(EngineFixture f, String operationId) {
        return f.db.jdbi().withHandle(h -> h.createQuery("SELECT secret_value FROM operation_secret_values"
                + " WHERE operation_id = :id").bind("id", operationId).mapTo(String.class).list());
    }

    /** Every column of the operation's row and of its steps, as text. */
    private static List<String> operationColumns(EngineFixture f, String operationId) {
        return f.db.jdbi().withHandle(h -> Stream.of("operations", "operation_steps")
                .flatMap(table -> h.createQuery("SELECT * FROM " + table + " WHERE operation_id = :id")
                        .bind("id", operationId).mapToMap().list().stream())
                .flatMap(row -> row.values().stream()).filter(v -> v != null).map(String::valueOf).toList());
    }
}
