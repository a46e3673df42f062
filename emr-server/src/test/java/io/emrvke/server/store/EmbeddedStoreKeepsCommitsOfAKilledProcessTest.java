package io.emrvke.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that commits to the embedded store and dies at once (halt: no shutdown hook, no
 * close, like SIGKILL) has its commit on disk: the next process on the same data directory reads
 * it. Crash recovery relies on it (a restart token recorded just before a patch must survive).
 */
class EmbeddedStoreKeepsCommitsOfAKilledProcessTest {
    @TempDir
    Path dataDir;

    @Test
    void aCommitJustBeforeTheProcessDiesIsReadByTheNextProcess() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CommitThenHalt.class.getName(), dataDir.toString())
                .inheritIO().start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child ended").isTrue();
        assertThat(child.exitValue()).as("the child halted right after its commit").isEqualTo(CommitThenHalt.HALTED);

        try (Database db = Database.open(Database.defaultUrl(dataDir), KeySource.of(dataDir, Map.of()))) {
            List<String> keys = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT access_key FROM credentials ORDER BY access_key").mapTo(String.class).list());
            assertThat(keys).containsExactly("AKLTBEFOREHALT");
        }
    }

    /** Opens the store, commits one row and halts the JVM straight after the commit returns. */
    public static final class CommitThenHalt {
        static final int HALTED = 37;

        public static void main(String[] args) {
            Path dataDir = Path.of(args[0]);
            Database db = Database.open(Database.defaultUrl(dataDir), KeySource.of(dataDir, Map.of()));
            db.jdbi().useTransaction(h -> h.execute("INSERT INTO credentials (access_key, secret_key, account_id,"
                    + " user_id, user_name, role, enabled, create_time) VALUES ('AKLTBEFOREHALT', 's', 1, 1, 'root',"
                    + " 'admin', TRUE, 1)"));
            Runtime.getRuntime().halt(HALTED);
        }
    }
}
