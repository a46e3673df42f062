package io.emrvke.server.operation;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A disk that a test fills up under a server process and frees again. Preferred: a small tmpfs
 * mounted for the test (needs root, as here and in CI), filled with a filler file until the kernel
 * answers "No space left on device". Where mounting is refused, the server's file size limit is
 * lowered to 0 with {@code prlimit} instead, so that every write to a file fails ("File too large").
 * {@code -Demr.test.fullDisk=fsize} picks the fallback on purpose. When neither can be had the
 * test is skipped with the reason, or fails under CI=true.
 */
final class FullDisk implements AutoCloseable {
    private static final String TMPFS_SIZE = "48m";

    enum Method { TMPFS, FILE_SIZE_LIMIT }

    private final Method method;
    private final Path root;
    private Path filler;

    private FullDisk(Method method, Path root) {
        this.method = method;
        this.root = root;
    }

    /** A disk under {@code dir}: a tmpfs mounted there, or the folder itself for the fallback. */
    static FullDisk prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String mountProblem = "fsize".equals(System.getProperty("emr.test.fullDisk"))
                ? "not tried (-Demr.test.fullDisk=fsize)"
                : run(List.of("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs", dir.toString()));
        if (mountProblem == null) {
            return new FullDisk(Method.TMPFS, dir);
        }
        String limitProblem = run(List.of("prlimit", "--version"));
        if (limitProblem == null) {
            System.out.println("FullDisk: mounting a tmpfs: " + mountProblem
                    + "; lowering the file size limit instead");
            return new FullDisk(Method.FILE_SIZE_LIMIT, dir);
        }
        String message = "cannot make a full disk: mount tmpfs: " + mountProblem + "; prlimit: " + limitProblem;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + " (CI=true requires it: run the tests as root)");
        }
        System.err.println("SKIPPED full-disk test: " + message);
        Assumptions.abort(message + ": skipping (with CI=true it fails)");
        throw new AssertionError("unreachable");
    }

    Method method() {
        return method;
    }

    /** Where the server's data dir goes: on the disk that fills up. */
    Path dataDir() {
        return root.resolve("data");
    }

    /** From now on the server cannot write any more bytes to the disk. */
    void fill(ServerProcess server) {
        if (method == Method.TMPFS) {
            filler = root.resolve("filler");
            writeUntilFull(filler);
        } else {
            prlimit(server, "0:unlimited");
        }
    }

    /** Space again. */
    void free(ServerProcess server) {
        if (method == Method.TMPFS) {
            try {
                Files.deleteIfExists(filler);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            prlimit(server, "unlimited:unlimited");
        }
    }

    /** Unmounts the tmpfs; call after the server using it is gone. */
    @Override
    public void close() {
        if (method == Method.TMPFS && run(List.of("umount", root.toString())) != null) {
            run(List.of("umount", "-l", root.toString()));
        }
    }

    private static void writeUntilFull(Path file) {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw new UncheckedIOException("filling " + file, e);
            }
        }
    }

    private static void prlimit(ServerProcess server, String fsize) {
        String problem = run(List.of("prlimit", "--pid", String.valueOf(server.pid()), "--fsize=" + fsize));
        if (problem != null) {
            throw new IllegalStateException("prlimit --fsize=" + fsize + " on " + server + ": " + problem);
        }
    }

    /** Runs a command; null when it exits 0, else what it printed (or why it did not run). */
    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + (output.isEmpty() ? "" : ": " + output);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
