package io.emrvke.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.account.Caller;
import io.emrvke.server.account.Role;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store keeps a signed request's record (its key, never a secret) with its first answer until a
 * replay could no longer pass the X-Date check: the clock skew after its X-Date, plus a minute. Then
 * it is purged; a record found past its expiry is claimed anew. On H2 and PostgreSQL.
 */
class ReplayRecordsLastUntilTheSkewWindowEndsTest {
    private static final Duration SKEW = Duration.ofMinutes(15);

    @StoreTest
    void recordsAreClaimedOnceAnsweredAndPurgedAfterTheirExpiry(StoreBackend backend) {
        StoredReplayRecords records = new StoredReplayRecords(backend.database().jdbi());
        long now = System.currentTimeMillis();
        ReplayRecords.Key expired = ReplayRecords.Key.of("AKLTone", "aa".repeat(32));
        ReplayRecords.Key live = ReplayRecords.Key.of("AKLTone", "bb".repeat(32));

        assertThat(records.claim(expired, "CreateVirtualCluster", "server-a", "R1", now - 1_000_000, now - 1)).isTrue();
        assertThat(records.claim(live, "CreateVirtualCluster", "server-a", "R2", now, now + 60_000)).isTrue();
        assertThat(records.claim(live, "CreateVirtualCluster", "server-b", "R3", now, now + 60_000))
                .as("a second claim of the same key").isFalse();
        records.answer(live, null, "{\"ClusterId\":\"emr-1\"}");
        assertThat(records.find(live)).hasValueSatisfying(e -> {
            assertThat(e.answered()).isTrue();
            assertThat(e.requestId()).isEqualTo("R2");
            assertThat(e.answer()).isEqualTo("{\"ClusterId\":\"emr-1\"}");
        });

        assertThat(records.purge(now)).isEqualTo(1);
        assertThat(records.find(expired)).isEmpty();
        assertThat(records.find(live)).isPresent();
    }

    @StoreTest
    void aRequestWhoseRecordExpiredRunsAgain(StoreBackend backend) {
        Clock clock = Clock.systemUTC();
        ReplayGuard guard = new ReplayGuard(new StoredReplayRecords(backend.database().jdbi()), SKEW, clock);
        Authenticator.Authenticated signedLongAgo = new Authenticator.Authenticated(
                new Caller("AKLTone", 1, 1, "root", Role.ADMIN), "cn-beijing", "cc".repeat(32),
                clock.instant().minus(SKEW).minus(Duration.ofMinutes(2)));
        AtomicInteger runs = new AtomicInteger();

        guard.once(signedLongAgo, "CreateVirtualCluster", "R1", () -> Map.of("Run", runs.incrementAndGet()));
        guard.once(signedLongAgo, "CreateVirtualCluster", "R2", () -> Map.of("Run", runs.incrementAndGet()));

        assertThat(runs.get()).isEqualTo(2);
        assertThat(guard.purgeExpired()).isEqualTo(1);
    }
}
