package io.emrvke.server.gateway;

import static io.emrvke.server.gateway.TestSigner.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.account.Caller;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.Role;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A signed mutating request that arrives again (the same signature) is not run again: it gets the
 * first answer, with or without a ClientToken, also while the first is still running. Refusals are
 * answered again too; answers that say nothing was done (503, 429) are not kept, so a retry runs.
 * A new signature (a new X-Date) is a new request, and reads are never held back.
 */
class SignedMutatingRequestsRunOnceTest {
    private static final String AK = "AKLTonce";
    private static final String SK = "once-secret-key";

    private final AtomicInteger runs = new AtomicInteger();
    private final CountDownLatch holdRelease = new CountDownLatch(1);
    private GatewayServer server;
    private TestSigner signer;

    @BeforeEach
    void start() {
        Credential admin = new Credential(AK, SK, 42, 4201, "olga", Role.ADMIN, true, 0);
        List<ActionSpec> actions = List.of(
                ActionSpec.mutate("Create", ctx -> Map.of("Id", "thing-" + runs.incrementAndGet())),
                ActionSpec.mutate("Refuse", ctx -> {
                    runs.incrementAndGet();
                    throw ErrorCode.CLUSTER_STATE_DENIED.exception("The cluster is INIT; wait for RUNNING.");
                }),
                ActionSpec.mutate("Busy", ctx -> {
                    runs.incrementAndGet();
                    throw ErrorCode.SERVICE_UNAVAILABLE.exception("The store is unreachable; retry shortly.");
                }),
                ActionSpec.mutate("Hold", ctx -> {
                    int n = runs.incrementAndGet();
                    awaitRelease();
                    return Map.of("Id", "held-" + n);
                }),
                ActionSpec.read("Read", ctx -> Map.of("N", runs.incrementAndGet())));
        server = new GatewayServer(GatewayConfig.defaults("127.0.0.1", 0).withRateLimit(0, 0),
                ak -> AK.equals(ak) ? Optional.of(admin) : Optional.empty(), actions, Readiness.none()).start();
        signer = new TestSigner(AK, SK, "cn-beijing", "127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        holdRelease.countDown();
        server.stop();
    }

    @Test
    void theSameSignedRequestSentThreeTimesRunsOnceAndGetsTheFirstAnswerEachTime() {
        for (String body : List.of("{\"Name\":\"a\"}", "{\"Name\":\"a\",\"ClientToken\":\"t-1\"}")) {
            RawHttp.Request signed = signer.post("Create", body);
            int before = runs.get();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RawHttp.Response r = send(signed);
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                ids.add(r.json().path("Result").path("Id").asText());
            }
            assertThat(runs.get() - before).as("runs of " + body).isEqualTo(1);
            assertThat(ids).containsOnly("thing-" + runs.get());
        }
    }

    @Test
    void aNewSignatureOfTheSameRequestRunsAgain() {
        send(signer.post("Create", "{}"));
        RawHttp.Request later = signer.sign(TestSigner.Style.SDK, Instant.now().plusSeconds(2), "POST",
                query("Action", "Create", "Version", "2023-12-30"), "{}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertThat(send(later).json().path("Result").path("Id").asText()).isEqualTo("thing-2");
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void duplicatesArrivingWhileTheFirstRunsWaitForItsAnswer() throws Exception {
        for (RawHttp.Response r : sendCopiesWhileTheFirstRuns(signer.post("Hold", "{}"), 5)) {
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().path("Result").path("Id").asText()).isEqualTo("held-1");
        }
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void beyondEightWaitingDuplicatesTheRestAreAnswered409AtOnce() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (RawHttp.Response r : sendCopiesWhileTheFirstRuns(signer.post("Hold", "{\"Copies\":12}"), 12)) {
            statuses.add(r.status());
            if (r.status() == 409) {
                assertThat(r.errorCode()).isEqualTo("OperationDenied.ConflictingOperation");
                assertThat(r.errorMessage()).contains("run once");
            }
        }
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1 + ReplayGuard.MAX_WAITING_DUPLICATES);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(11 - ReplayGuard.MAX_WAITING_DUPLICATES);
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aRefusalIsAnsweredAgainButAnAnswerThatDidNothingLetsTheRetryRun() {
        RawHttp.Request refused = signer.post("Refuse", "{}");
        for (int i = 0; i < 2; i++) {
            RawHttp.Response r = send(refused);
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.errorCode()).isEqualTo("OperationDenied.ClusterState");
            assertThat(r.errorMessage()).contains("INIT");
        }
        assertThat(runs.get()).isEqualTo(1);

        RawHttp.Request busy = signer.post("Busy", "{}");
        assertThat(send(busy).status()).isEqualTo(503);
        assertThat(send(busy).status()).isEqualTo(503);
        assertThat(runs.get()).as("the 503 was not kept: the retry ran").isEqualTo(3);
    }

    @Test
    void readsAreNeverHeldBack() {
        RawHttp.Request read = signer.post("Read", "{}");
        assertThat(send(read).json().path("Result").path("N").asInt()).isEqualTo(1);
        assertThat(send(read).json().path("Result").path("N").asInt()).isEqualTo(2);
    }

    @Test
    void aFirstRequestWhoseServerStoppedBeforeAnsweringIsRefusedNotRunAgain() {
        ReplayRecords records = ReplayRecords.inMemory();
        Clock clock = Clock.systemUTC();
        String signature = "ab".repeat(32);
        Authenticator.Authenticated who = new Authenticator.Authenticated(
                new Caller(AK, 42, 4201, "olga", Role.ADMIN), "cn-beijing", signature, clock.instant());
        ReplayGuard first = new ReplayGuard(records, Duration.ofMinutes(15), clock);
        assertThatThrownBy(() -> first.once(who, "Create", "R1", () -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        // a failure that is no API refusal did nothing: forgotten, so it runs on the next server
        ReplayGuard second = new ReplayGuard(records, Duration.ofMinutes(15), clock);
        assertThat(second.once(who, "Create", "R2", () -> Map.of("Id", "x")).path("Id").asText()).isEqualTo("x");

        String other = "cd".repeat(32);
        Authenticator.Authenticated interrupted = new Authenticator.Authenticated(who.caller(), "cn-beijing", other,
                clock.instant());
        records.claim(ReplayRecords.Key.of(AK, other), "Create", "stopped-server", "R3",
                clock.millis() - ReplayGuard.ABANDONED_AFTER.toMillis() - 1, clock.millis() + 60_000);
        assertThatThrownBy(() -> second.once(interrupted, "Create", "R4", () -> Map.of("Id", "again")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.CONFLICTING_OPERATION);
                    assertThat(e.getMessage()).contains("R3").contains("run once");
                });
    }

    /** Sends copies of a Hold request at once; once all have arrived, lets the one that runs finish. */
    private List<RawHttp.Response> sendCopiesWhileTheFirstRuns(RawHttp.Request signed, int copies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        try {
            List<Future<RawHttp.Response>> futures = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                futures.add(pool.submit(() -> send(signed)));
            }
            Thread.sleep(500); // every copy has arrived: one runs, the others wait or are refused
            assertThat(runs.get()).as("runs while the copies arrived").isEqualTo(1);
            holdRelease.countDown();
            List<RawHttp.Response> answers = new ArrayList<>();
            for (Future<RawHttp.Response> f : futures) {
                answers.add(f.get(20, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private RawHttp.Response send(RawHttp.Request request) {
        return RawHttp.send("127.0.0.1", server.port(), request);
    }

    private void awaitRelease() {
        try {
            holdRelease.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
