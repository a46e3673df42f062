package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.ControlPlane;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.NewCredential;
import io.emrvke.server.account.Role;
import io.emrvke.server.gateway.RawHttp;
import io.emrvke.server.gateway.TestSigner;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The same signed CreateVirtualCluster (the very same bytes, as an attacker or a retrying client
 * would send them) creates one cluster: sent three times one after the other, sent six times at
 * once, and sent again after the server restarted on the same store, it answers the first
 * ClusterId and OperationId every time. Only the signature's digest is stored, never a secret.
 */
class ReplayedCreateVirtualClusterCreatesOneClusterTest {

    @StoreTest
    void aReplayedCreateRunsOnceSequentiallyConcurrentlyAndAfterARestart(StoreBackend backend) throws Exception {
        Credential admin;
        RawHttp.Request sequential;
        RawHttp.Response first;
        ControlPlane plane = LifecyclePlane.startPlane(backend);
        try {
            admin = plane.credentials().create(NewCredential.generated(1, "root", Role.ADMIN));
            TestSigner signer = new TestSigner(admin.accessKeyId(), admin.secretKey(), "cn-beijing",
                    "127.0.0.1:" + plane.port());
            sequential = signer.post("CreateVirtualCluster",
                    LifecyclePlane.createBody("replayed", LifecyclePlane.apps("ZooKeeper")));
            first = send(plane, sequential);
            assertThat(first.status()).as(first.toString()).isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                assertSameResult(send(plane, sequential), first);
            }

            RawHttp.Request concurrent = signer.post("CreateVirtualCluster",
                    LifecyclePlane.createBody("raced", LifecyclePlane.apps("ZooKeeper")));
            List<RawHttp.Response> raced = sendAtOnce(plane, concurrent, 6);
            for (RawHttp.Response r : raced) {
                assertSameResult(r, raced.get(0));
            }
            assertThat(clusterCount(plane)).isEqualTo(2);
            assertThat(storedSignatures(plane)).as("one record per signed request").isEqualTo(2);
            assertThat(secretsInReplayRecords(plane, admin)).isZero();
        } finally {
            plane.close();
        }

        try (ControlPlane restarted = LifecyclePlane.startPlane(backend)) {
            assertSameResult(send(restarted, sequential), first);
            assertThat(clusterCount(restarted)).isEqualTo(2);
        }
    }

    private static RawHttp.Response send(ControlPlane plane, RawHttp.Request request) {
        return RawHttp.send("127.0.0.1", plane.port(), request);
    }

    private static List<RawHttp.Response> sendAtOnce(ControlPlane plane, RawHttp.Request request, int copies)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RawHttp.Response>> futures = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return send(plane, request);
                }));
            }
            go.countDown();
            List<RawHttp.Response> answers = new ArrayList<>();
            for (Future<RawHttp.Response> f : futures) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSameResult(RawHttp.Response r, RawHttp.Response original) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("Result").path("ClusterId").asText())
                .isEqualTo(original.json().path("Result").path("ClusterId").asText()).startsWith("emr-");
        assertThat(r.json().path("Result").path("OperationId").asText())
                .isEqualTo(original.json().path("Result").path("OperationId").asText()).startsWith("op-");
    }

    private static long clusterCount(ControlPlane plane) {
        return count(plane, "SELECT COUNT(*) FROM clusters");
    }

    private static long storedSignatures(ControlPlane plane) {
        return count(plane, "SELECT COUNT(*) FROM signed_request_replays");
    }

    private static long secretsInReplayRecords(ControlPlane plane, Credential admin) {
        return plane.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM signed_request_replays"
                        + " WHERE answer LIKE :secret OR signature_digest LIKE :secret")
                .bind("secret", "%" + admin.secretKey() + "%").mapTo(Long.class).one());
    }

    private static long count(ControlPlane plane, String sql) {
        return plane.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
