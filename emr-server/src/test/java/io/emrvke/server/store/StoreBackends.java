package io.emrvke.server.store;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * Runs a test once per store backend. Annotate a test method with {@link StoreTest} and take a
 * {@link StoreBackend} parameter; each invocation gets a fresh, empty store that is removed
 * afterwards:
 *
 * <pre>{@code
 * @StoreTest
 * void somethingHolds(StoreBackend backend) {
 *     Database db = backend.database();
 *     ...
 * }
 * }</pre>
 *
 * PostgreSQL is the test database at 127.0.0.1:5432 ({@code EMR_VKE_TEST_POSTGRES_URL} overrides
 * it). When it is unreachable the PostgreSQL invocation is skipped with the reason, or fails when
 * the environment has CI=true.
 */
public final class StoreBackends implements ArgumentsProvider {
    public static final String POSTGRES_URL = System.getenv().getOrDefault("EMR_VKE_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3");
    private static volatile String postgresProblem;
    private static volatile boolean postgresChecked;

    public enum Kind { H2, POSTGRESQL }

    /** A parameterised test run on H2 and on PostgreSQL, named after the backend. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(StoreBackends.class)
    public @interface StoreTest {
    }

    @Override
    public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
        // Backends are made lazily: an unreachable PostgreSQL shows up inside its own invocation.
        return Stream.of(Kind.values()).map(kind -> Arguments.of(new StoreBackend(kind)));
    }

    /** A fresh store of one kind, for tests that run a scenario on one backend only; close it afterwards. */
    public static StoreBackend fresh(Kind kind) {
        return new StoreBackend(kind);
    }

    /** Skips (or, with CI=true, fails) the current test when PostgreSQL cannot be reached. */
    static void requirePostgres() {
        if (!postgresChecked) {
            synchronized (StoreBackends.class) {
                if (!postgresChecked) {
                    postgresProblem = probe();
                    postgresChecked = true;
                }
            }
        }
        if (postgresProblem == null) {
            return;
        }
        String message = "PostgreSQL is unreachable at " + Database.redact(POSTGRES_URL) + " (" + postgresProblem + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + "; CI=true requires it: start PostgreSQL before the tests.");
        }
        System.err.println("SKIPPED PostgreSQL test: " + message);
        Assumptions.abort(message + ": skipping the PostgreSQL run of this test (with CI=true it fails).");
    }

    private static String probe() {
        try (Connection c = DriverManager.getConnection(POSTGRES_URL)) {
            return c.isValid(3) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
