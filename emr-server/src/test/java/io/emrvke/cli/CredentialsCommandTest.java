package io.emrvke.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.RunningServer;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.CredentialRepository;
import io.emrvke.server.store.Database;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CredentialsCommandTest {

    record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The flags that point the command at the backend's store (and, for PostgreSQL, at its key file). */
    private static List<String> storeFlags(StoreBackend backend) {
        return backend.kind() == StoreBackends.Kind.H2
                ? List.of("--data-dir", backend.dataDir().toString())
                : List.of("--database-url", backend.jdbcUrl(), "--data-dir", backend.dataDir().toString());
    }

    /** The command in a JVM of its own, as an operator would run it next to a server. */
    private static Run runInAnotherProcess(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the command ended").isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Run run(StoreBackend backend, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(storeFlags(backend));
        return run(all.toArray(String[]::new));
    }

    private static String value(String output, String key) {
        return output.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in: " + output));
    }

    @StoreTest
    void createListAndDisableWorkWhileTheServerHoldsTheStore(StoreBackend backend) {
        Database server = backend.database();
        CredentialRepository serverKeys = new CredentialRepository(server.jdbi());

        Run created = run(backend, "credentials", "create", "--account-id", "42", "--user-name", "bob", "--role", "READONLY");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String ak = value(created.out(), "VOLCENGINE_ACCESS_KEY");
        String sk = value(created.out(), "VOLCENGINE_SECRET_KEY");
        Credential seen = serverKeys.find(ak).orElseThrow();
        assertThat(seen.secretKey()).isEqualTo(sk);
        assertThat(seen.accountId()).isEqualTo(42);
        assertThat(seen.role().wireName()).isEqualTo("readonly");

        Run given = run(backend, "credentials", "create", "--access-key", "AKLTgivenKey", "--secret-key", "givenSecret");
        assertThat(given.exitCode()).as(given.err()).isZero();
        assertThat(given.out()).contains("VOLCENGINE_ACCESS_KEY=AKLTgivenKey");

        Run listed = run(backend, "credentials", "list");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("ACCESS_KEY", "ACCOUNT", "ROLE", "ENABLED", ak, "AKLTgivenKey", "readonly", "bob")
                .doesNotContain(sk).doesNotContain("givenSecret");

        Run disabled = run(backend, "credentials", "disable", ak);
        assertThat(disabled.exitCode()).as(disabled.err()).isZero();
        assertThat(new CredentialRepository(server.jdbi()).find(ak)).get().extracting(Credential::enabled).isEqualTo(false);
        assertThat(run(backend, "credentials", "list").out().lines().filter(l -> l.startsWith(ak)))
                .singleElement().asString().contains(" no ");

        Run unknown = run(backend, "credentials", "disable", "AKLTNOSUCHKEY");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("AKLTNOSUCHKEY");
    }

    @Test
    void badFlagsNameTheFlagAndTheAcceptedValuesWithExitCodeTwo(@TempDir Path dataDir) {
        String dir = dataDir.toString();
        Run role = run("credentials", "create", "--data-dir", dir, "--role", "superuser");
        assertThat(role.exitCode()).isEqualTo(2);
        assertThat(role.err()).contains("--role", "superuser", "admin, readonly");

        Run account = run("credentials", "create", "--data-dir", dir, "--account-id", "abc");
        assertThat(account.exitCode()).isEqualTo(2);
        assertThat(account.err()).contains("--account-id", "abc");

        Run half = run("credentials", "create", "--data-dir", dir, "--access-key", "AKLTonly");
        assertThat(half.exitCode()).isEqualTo(2);
        assertThat(half.err()).contains("--access-key", "--secret-key");

        Run noStore = run("credentials", "list");
        assertThat(noStore.exitCode()).isEqualTo(2);
        assertThat(noStore.err()).contains("--data-dir");

        Run missingDir = run("credentials", "list", "--data-dir", dataDir.resolve("nope").toString());
        assertThat(missingDir.exitCode()).isEqualTo(2);
        assertThat(missingDir.err()).contains("--data-dir", "not a directory");

        Run noSub = run("credentials");
        assertThat(noSub.exitCode()).isEqualTo(2);
        assertThat(noSub.err()).contains("create", "list", "disable");
    }

    @Test
    void aSecondProcessCreatesListsAndDisablesThroughTheRunningServersAdminSocket() throws Exception {
        try (RunningServer server = RunningServer.start(c -> c.withSandbox(false, 0))) {
            String dir = server.dataDir().toString();
            CredentialRepository serverKeys = server.plane().credentials();

            Run created = runInAnotherProcess("credentials", "create", "--data-dir", dir, "--user-name", "carol");
            assertThat(created.exitCode()).as(created.err()).isZero();
            String ak = value(created.out(), "VOLCENGINE_ACCESS_KEY");
            Optional<Credential> carol = serverKeys.find(ak);
            assertThat(carol).get().extracting(Credential::userName).isEqualTo("carol");
            assertThat(carol.get().secretKey()).isEqualTo(value(created.out(), "VOLCENGINE_SECRET_KEY"));

            Run listed = runInAnotherProcess("credentials", "list", "--data-dir", dir);
            assertThat(listed.exitCode()).as(listed.err()).isZero();
            assertThat(listed.out()).contains(ak, "carol").doesNotContain(carol.get().secretKey());

            Run invalid = runInAnotherProcess("credentials", "create", "--data-dir", dir, "--user-name", "no spaces");
            assertThat(invalid.exitCode()).as(invalid.err()).isEqualTo(2);
            assertThat(invalid.err()).contains("user name");

            Run disabled = runInAnotherProcess("credentials", "disable", ak, "--data-dir", dir);
            assertThat(disabled.exitCode()).as(disabled.err()).isZero();
            assertThat(serverKeys.find(ak)).get().extracting(Credential::enabled).isEqualTo(false);
        }
    }

    @Test
    void aStoreHeldByAServerWithoutItsAdminSocketIsRefusedSayingWhyAndWhatToDo() throws Exception {
        try (RunningServer server = RunningServer.start(c -> c.withSandbox(false, 0))) {
            Files.delete(server.dataDir().resolve("admin.sock"));

            Run refused = runInAnotherProcess("credentials", "list", "--data-dir", server.dataDir().toString());

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("open in another process", "admin.sock", "Stop the other process")
                    .doesNotContain("Exception");
            assertThat(refused.err().strip().lines()).hasSize(1);
        }
    }
}
