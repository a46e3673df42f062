package io.emrvke.bench;

import io.emrvke.server.account.CredentialRepository;
import io.emrvke.server.account.NewCredential;
import io.emrvke.server.account.Role;
import io.emrvke.server.store.Database;
import io.emrvke.server.store.KeySource;
import io.emrvke.server.store.SecretColumn;
import io.emrvke.server.store.StoreKey;
import io.emrvke.server.store.StoreSecrets;
import io.emrvke.server.store.migration.V5__secret_config_values_leave_operation_params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * What sealing secrets costs (run on demand: bench/sealing-bench.sh, never by mvn test):
 * (a) one seal and one open of a 40-character secret key, single thread;
 * (b) a credential lookup that misses the cache (store round trip and open), the authenticator's
 * worst case, against the embedded store;
 * (c) opening a store of the previous version holding N credentials and M secret config items in
 * clear: the one-time sealing migration, with the compaction that leaves no clear copy (H2).
 *
 * <p>Arguments (optional): credentials N (1000), secret config items M (20000).
 * Environment: BENCH_DATABASE_URL runs (c) on another database (an empty PostgreSQL schema).
 */
public final class SealingBench {
    private static final String SECRET = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd";

    private SealingBench() {
    }

    public static void main(String[] args) throws Exception {
        int credentials = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int items = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        System.out.printf(Locale.ROOT, "%d cores; load average at start: %s%n",
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim());
        sealAndOpen();
        uncachedLookup();
        upgrade(credentials, items);
    }

    private static void sealAndOpen() {
        StoreSecrets secrets = StoreSecrets.with(StoreKey.generate("bench"));
        int n = 200_000;
        String sealed = null;
        for (int round = 0; round < 2; round++) { // the first round warms up
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sealed = secrets.seal(SecretColumn.CREDENTIAL_SECRET_KEY, SECRET, "AKLTBENCH");
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                secrets.open(SecretColumn.CREDENTIAL_SECRET_KEY, sealed, "AKLTBENCH");
            }
            long t2 = System.nanoTime();
            if (round == 1) {
                System.out.printf(Locale.ROOT, "(a) seal %.2f µs, open %.2f µs per 40-character value (%d each)%n",
                        (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, n);
            }
        }
    }

    private static void uncachedLookup() throws Exception {
        Path dir = Files.createTempDirectory("emr-vke-sealing-");
        try (Database db = Database.open(Database.defaultUrl(dir), 4, KeySource.of(dir, Map.of()))) {
            CredentialRepository repo = new CredentialRepository(db.jdbi(), java.time.Clock.systemUTC(), Duration.ZERO);
            repo.create(NewCredential.generated(1, "bench", Role.ADMIN).withKeys("AKLTBENCH", SECRET));
            int n = 20_000;
            for (int round = 0; round < 2; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    repo.find("AKLTBENCH").orElseThrow();
                }
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "(b) credential lookup missing the cache: %.1f µs (%d lookups,"
                            + " embedded store)%n", (System.nanoTime() - t0) / 1e3 / n, n);
                }
            }
        }
    }

    private static void upgrade(int credentials, int items) throws Exception {
        Path dir = Files.createTempDirectory("emr-vke-sealing-");
        String url = System.getenv().getOrDefault("BENCH_DATABASE_URL", Database.defaultUrl(dir));
        boolean h2 = url.startsWith("jdbc:h2:");
        Flyway.configure().dataSource(url, h2 ? "sa" : null, h2 ? "" : null).locations("classpath:db/migration")
                .javaMigrations(new V5__secret_config_values_leave_operation_params()).target("5").load().migrate();
        Jdbi before = h2 ? Jdbi.create(url, "sa", "") : Jdbi.create(url);
        before.useTransaction(h -> {
            PreparedBatch creds = h.prepareBatch("INSERT INTO credentials (access_key, secret_key, account_id, user_id,"
                    + " user_name, role, enabled, create_time) VALUES (:ak, :sk, 1, :i, 'u', 'admin', TRUE, 1)");
            for (int i = 0; i < credentials; i++) {
                creds.bind("ak", "AKLT" + i).bind("sk", SECRET).bind("i", i + 2).add();
            }
            creds.execute();
            PreparedBatch configs = h.prepareBatch("INSERT INTO config_items (cluster_id, release_name, config_version,"
                    + " config_file_name, item_key, item_value, secret) VALUES ('emr-bench', 'r', 1, '__envs__', :k,"
                    + " :v, TRUE)");
            for (int i = 0; i < items; i++) {
                configs.bind("k", "PASSWORD_" + i).bind("v", SECRET).add();
            }
            configs.execute();
        });
        long size = h2 ? Files.size(dir.resolve("store").resolve("emr-vke.mv.db")) : -1;
        long t0 = System.nanoTime();
        try (Database db = Database.open(url, 4, KeySource.of(dir, Map.of()))) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf(Locale.ROOT, "(c) opening a previous-version store with %d credentials and %d secret"
                            + " config items in clear: %d ms (sealing migration%s)%s%n", credentials, items, ms,
                    h2 ? " and compaction" : ", VACUUM FULL", h2 ? String.format(Locale.ROOT,
                            "; H2 file %d KiB before, %d KiB after", size / 1024,
                            Files.size(dir.resolve("store").resolve("emr-vke.mv.db")) / 1024) : "");
        }
    }
}
