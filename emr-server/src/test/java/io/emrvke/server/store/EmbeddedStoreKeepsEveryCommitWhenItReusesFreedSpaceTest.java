package io.emrvke.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each commit to the embedded store is in its file when the commit returns, also once the store
 * writes into space it freed (as it does after serving for a while). The file is copied after each
 * commit, as a SIGKILL would leave it, and opened as the next process would: it holds that commit.
 * H2 2.5.252 failed this: a commit written into freed space got a file header naming the commit
 * before, so recovery never found it (a killed emr-vke lost its last writes: a step's end, a restart
 * token recorded just before a patch, a whole operation).
 */
class EmbeddedStoreKeepsEveryCommitWhenItReusesFreedSpaceTest {
    private static final int COMMITS = 40;
    private static final int FILLER_ROWS = 200;

    @TempDir
    Path tmp;

    @Test
    void everyCommitIsFoundInTheFileAsAKillWouldLeaveIt() throws Exception {
        Path dataDir = tmp.resolve("data");
        Random random = new Random(7);
        List<String> lost = new ArrayList<>();
        try (Database db = Database.open(Database.defaultUrl(dataDir), KeySource.of(dataDir, Map.of()))) {
            db.jdbi().useHandle(h -> createTables(h, random));
            for (int i = 1; i <= COMMITS; i++) {
                commitChurnAndCounter(db, random, i);
                long found = counterInACopyOf(dataDir, tmp.resolve("copy-" + i));
                if (found != i) {
                    lost.add("commit " + i + " (the file holds " + found + ")");
                }
            }
        }
        assertThat(lost).as("commits missing from the file right after they returned").isEmpty();
    }

    /** Freed space is reused at once (the default retention keeps it 45 s), so commits land in gaps. */
    private static void createTables(Handle h, Random random) {
        h.execute("SET RETENTION_TIME 0");
        h.execute("CREATE TABLE kill_counter (id INT PRIMARY KEY, v BIGINT)");
        h.execute("INSERT INTO kill_counter VALUES (1, 0)");
        h.execute("CREATE TABLE kill_filler (id INT PRIMARY KEY, s VARCHAR(8000))");
        for (int i = 0; i < FILLER_ROWS; i++) {
            h.execute("INSERT INTO kill_filler VALUES (?, REPEAT('x', ?))", i, 500 + random.nextInt(3000));
        }
    }

    /** One transaction: a filler row changes size (freeing space), and the counter becomes {@code i}. */
    private static void commitChurnAndCounter(Database db, Random random, int i) {
        db.jdbi().useTransaction(h -> {
            h.execute("UPDATE kill_filler SET s = REPEAT('y', ?) WHERE id = ?", 100 + random.nextInt(4000),
                    random.nextInt(FILLER_ROWS));
            h.execute("UPDATE kill_counter SET v = ? WHERE id = 1", i);
        });
    }

    /** The counter as a process opening a copy of the store file now would read it. */
    private static long counterInACopyOf(Path dataDir, Path copyDir) throws IOException, SQLException {
        Path file = dataDir.resolve("store").resolve("emr-vke.mv.db");
        Files.createDirectories(copyDir.resolve("store"));
        Files.copy(file, copyDir.resolve("store").resolve("emr-vke.mv.db"));
        try (Connection c = DriverManager.getConnection(Database.defaultUrl(copyDir), "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kill_counter WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
