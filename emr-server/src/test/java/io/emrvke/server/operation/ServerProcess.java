package io.emrvke.server.operation;

import io.emrvke.api.client.EmrClient;
import io.emrvke.server.account.RootCredential;
import io.emrvke.server.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code emr-vke serve} in a JVM of its own, on the test's class path, so that a test can
 * kill it with SIGKILL ({@link Process#destroyForcibly()} on Linux) the way a crash would.
 * Its output goes to a log file; the root credential comes from the environment.
 */
public final class ServerProcess implements AutoCloseable {
    public static final String ROOT_ACCESS_KEY = "AKLTCRASHTESTROOT0000000000000000";
    public static final String ROOT_SECRET_KEY = "crash-test-root-secret";
    private static final long START_TIMEOUT_MS = 45_000;
    // H2 reuses the space of a chunk it freed only after its RETENTION_TIME (45 s by default): before that every
    // commit is appended at the end of the store file, where recovery after a kill always finds it. A store opened
    // with storeReusingSpaceSoon keeps freed chunks 1 s, so it writes into freed space a few seconds after start.
    private static final long STORE_RETENTION_MS = 1_000;
    private static final long STORE_REUSES_SPACE_AFTER_MS = 5_000;

    // the banner's endpoint line: the port the server bound
    private static final Pattern ENDPOINT = Pattern.compile("endpoint:\\s+http://[^/\\s]+:(\\d+)/");

    private static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final String name;
    private final Process process;
    private final Path log;
    private final long startedAt = System.currentTimeMillis();
    private int port = -1;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code serve --port 0 <serveArgs>} and waits for its banner, which says the port it bound
     * (a port picked here and handed over could be taken by another process in between).
     */
    public static ServerProcess start(String name, Path logDir, List<String> serveArgs) {
        return start(name, logDir, DEFAULT_JVM_OPTIONS, serveArgs, Map.of());
    }

    /** {@link #start(String, Path, List)} with more environment variables (e.g. a shared store key). */
    public static ServerProcess start(String name, Path logDir, List<String> serveArgs, Map<String, String> env) {
        return start(name, logDir, DEFAULT_JVM_OPTIONS, serveArgs, env);
    }

    /** As {@link #start(String, Path, List)} in a JVM started with {@code jvmOptions} (heap size, GC log, ...). */
    public static ServerProcess start(String name, Path logDir, List<String> jvmOptions, List<String> serveArgs) {
        return start(name, logDir, jvmOptions, serveArgs, Map.of());
    }

    private static ServerProcess start(String name, Path logDir, List<String> jvmOptions, List<String> serveArgs,
                                       Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.emrvke.cli.Main", "serve",
                "--port", "0"));
        command.addAll(serveArgs);
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put(RootCredential.ENV_ACCESS_KEY, ROOT_ACCESS_KEY);
            pb.environment().put(RootCredential.ENV_SECRET_KEY, ROOT_SECRET_KEY);
            pb.environment().putAll(env);
            ServerProcess server = new ServerProcess(name, pb.start(), log);
            server.awaitBanner();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Until the banner's endpoint line (printed after "emr-vke is serving"), whose port is the one bound. */
    private void awaitBanner() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        Matcher endpoint;
        while (!(endpoint = ENDPOINT.matcher(logText())).find()) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before serving:\n" + logText());
            }
            if (System.currentTimeMillis() > deadline) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not start within " + START_TIMEOUT_MS + " ms:\n" + logText());
            }
            sleep(100);
        }
        port = Integer.parseInt(endpoint.group(1));
    }

    public long pid() {
        return process.pid();
    }

    /**
     * serve's arguments for the embedded store of {@code dataDir}, opened with a retention of freed space of
     * 1 s instead of 45 s: the store soon writes commits into space it freed, as one that served for a while
     * does, so that a kill meets it as in production without a test waiting the 45 s.
     */
    public static List<String> storeReusingSpaceSoon(Path dataDir) {
        return List.of("--data-dir", dataDir.toString(), "--database-url",
                Database.defaultUrl(dataDir) + ";RETENTION_TIME=" + STORE_RETENTION_MS);
    }

    /**
     * Until the server's embedded store (opened with {@link #storeReusingSpaceSoon}) writes commits into space it
     * freed: a kill then meets the store as it is in production, not a young one that only appends.
     */
    public void awaitStoreReusingSpace() {
        sleep(Math.max(0, STORE_REUSES_SPACE_AFTER_MS - (System.currentTimeMillis() - startedAt)));
    }

    public int port() {
        return port;
    }

    public EmrClient client() {
        return EmrClient.builder().endpoint("127.0.0.1:" + port).credentials(ROOT_ACCESS_KEY, ROOT_SECRET_KEY).build();
    }

    /** SIGKILL: no shutdown hook runs, nothing is released; returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGTERM ({@link Process#destroy()} on Linux); returns the exit code, or fails if it outlives the wait. */
    public int terminate(long waitSeconds) {
        process.destroy();
        try {
            if (!process.waitFor(waitSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " still running " + waitSeconds + " s after SIGTERM:\n" + logText());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", port " + port + ")";
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
