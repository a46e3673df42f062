package io.emrvke.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.Role;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.transaction.TransactionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Whatever way the store fails under a request (H2 closed after a failed write, a full disk, no
 * connection in time, PostgreSQL out of disk or shut down, a statement it refuses), the caller gets
 * 503 ServiceUnavailableTemp telling it to retry, never 500, and neither the answer nor the log
 * repeats the database's message (it may quote a value being written). A bug outside the store
 * stays 500, and an API error raised inside a transaction keeps its own code.
 */
class EveryStoreFailureIs503AndABugStays500Test {
    private static final String SECRET = "s3cr3t-config-value";
    private static final String AK = "AKLTstorefault";
    private static final String SK = "storefault-secret-key";
    private static final Map<String, Supplier<RuntimeException>> FAILURES = Map.of(
            "H2ClosedItself", () -> new ConnectionException(
                    new SQLException("The database has been closed [90098-252] " + SECRET, "90098", 90098)),
            "DiskFullAtCommit", () -> new TransactionException("Failed to commit transaction",
                    new SQLException("General error: \"MVStoreException: Writing failed\" " + SECRET, "HY000", 50000,
                            new IOException("No space left on device"))),
            "NoConnectionInTime", () -> new ConnectionException(new SQLTransientConnectionException(
                    "emr-vke-store - Connection is not available, request timed out after 5000ms " + SECRET, "08001")),
            "PostgresDiskFull", () -> new IllegalStateException("wrapped", new SQLException(
                    "could not extend file \"base/16384/2619\": No space left on device " + SECRET, "53100")),
            "PostgresShutDown", () -> new ConnectionException(new SQLException(
                    "FATAL: terminating connection due to administrator command " + SECRET, "57P01")),
            "StatementRefused", () -> new IllegalStateException(new SQLException(
                    "Value too long for column \"CONFIG_VALUE\": \"'" + SECRET + "'\"", "22001", 22001)));

    private static GatewayServer server;
    private static final ListAppender<ILoggingEvent> LOGGED = new ListAppender<>();

    @BeforeAll
    static void start() {
        Credential admin = new Credential(AK, SK, 1001, 11, "alice", Role.ADMIN, true, 0);
        List<ActionSpec> actions = new java.util.ArrayList<>();
        FAILURES.forEach((name, failure) -> actions.add(ActionSpec.read(name, ctx -> {
            throw failure.get();
        })));
        actions.add(ActionSpec.read("Bug", ctx -> {
            throw new IllegalStateException("a bug outside the store");
        }));
        actions.add(ActionSpec.read("RefusedThenRollbackFailed", ctx -> {
            RuntimeException refused = ErrorCode.INVALID_PARAMETER.exception("ClusterName is taken.");
            refused.addSuppressed(new ConnectionException(new SQLException("database closed", "90098", 90098)));
            throw new TransactionException("rollback failed", refused);
        }));
        server = new GatewayServer(GatewayConfig.defaults("127.0.0.1", 0).withRateLimit(0, 0),
                ak -> Optional.of(admin).filter(c -> c.accessKeyId().equals(ak)), actions, Readiness.none()).start();
        LOGGED.start();
        ((Logger) LoggerFactory.getLogger(GatewayServer.class)).addAppender(LOGGED);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(GatewayServer.class)).detachAppender(LOGGED);
        server.stop();
    }

    static Stream<Arguments> storeFailures() {
        return FAILURES.keySet().stream().sorted().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storeFailures")
    void aStoreFailureIs503SayingToRetryWithoutTheDatabasesMessage(String failure) {
        RawHttp.Response r = call(failure);

        assertThat(r.status()).as(r.toString()).isEqualTo(503);
        assertThat(r.errorCode()).isEqualTo("ServiceUnavailableTemp");
        assertThat(r.errorMessage()).contains("store").contains("retry");
        assertThat(r.text()).doesNotContain(SECRET).doesNotContain("SQLState").doesNotContain("Exception");
        assertThat(logLinesOf(r.header("X-Request-Id"))).isNotEmpty()
                .allSatisfy(line -> assertThat(line).doesNotContain(SECRET));
    }

    @Test
    void aBugOutsideTheStoreStays500() {
        RawHttp.Response r = call("Bug");

        assertThat(r.status()).as(r.toString()).isEqualTo(500);
        assertThat(r.errorCode()).isEqualTo("InternalError");
    }

    @Test
    void anApiErrorInsideAFailedTransactionKeepsItsCode() {
        RawHttp.Response r = call("RefusedThenRollbackFailed");

        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("InvalidParameter");
        assertThat(r.errorMessage()).isEqualTo("ClusterName is taken.");
    }

    private static RawHttp.Response call(String action) {
        String host = "127.0.0.1:" + server.port();
        return RawHttp.send("127.0.0.1", server.port(), new TestSigner(AK, SK, "cn-beijing", host).post(action, "{}"));
    }

    /** What the gateway logged for one request: messages, and any stack trace's messages. */
    private static List<String> logLinesOf(String requestId) {
        return LOGGED.list.stream().filter(e -> e.getFormattedMessage().contains(requestId))
                .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                        : " " + e.getThrowableProxy().getMessage()))
                .toList();
    }
}
