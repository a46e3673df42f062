package io.emrvke.server.sandbox.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * kubectl against one target, always through the kubeconfig the target wrote (the sandbox's may carry a
 * token). Every run is bounded: a command that hangs is killed and reported as such, so a hang is a
 * difference, never a stuck build. Output goes to files (no pipe to fill), which a watch can be read from
 * while it runs. kubectl's discovery cache and HOME are the target's own folder.
 */
final class Kubectl {
    /** How a one-shot command's requests are bounded (kubectl's own flag), and the process besides. */
    static final String REQUEST_TIMEOUT = "--request-timeout=20s";
    static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(45);

    /** {@code exit} is the exit code, or {@code timeout} / {@code stopped} when this class ended the process. */
    record Run(String exit, String out, String err) {
    }

    private final Path binary;
    private final Path kubeconfig;
    private final Path workDir;
    private final AtomicInteger runs = new AtomicInteger();

    Kubectl(Path binary, Path kubeconfig, Path workDir) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.workDir = workDir;
    }

    /** Runs {@code kubectl --kubeconfig K args}; kills it after {@code timeout}. */
    Run run(Duration timeout, Map<String, String> env, List<String> args) {
        Background process = start(env, args);
        return process.awaitExit(timeout);
    }

    /** Starts a command meant to keep running (a watch, {@code logs -f}); the caller stops it. */
    Background start(Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(args);
        int n = runs.incrementAndGet();
        Path out = workDir.resolve("run-" + n + ".out");
        Path err = workDir.resolve("run-" + n + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                        Path.of("/dev/null").toFile()));
        pb.environment().remove("KUBECONFIG");
        pb.environment().put("HOME", workDir.toString());
        pb.environment().put("KUBECACHEDIR", workDir.resolve("cache").toString());
        pb.environment().putAll(env);
        try {
            return new Background(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** A running kubectl whose output can be read while it runs. */
    static final class Background {
        private final Process process;
        private final Path out;
        private final Path err;

        private Background(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        String out() {
            return read(out);
        }

        /** Waits until stdout satisfies {@code condition}, the process ends, or {@code timeout}; true if it held. */
        boolean awaitOutput(Predicate<String> condition, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (condition.test(out())) {
                    return true;
                }
                if (!process.isAlive()) {
                    return condition.test(out());
                }
                pause(100);
            }
            return false;
        }

        /** Ends it now (if still running: exit {@code stopped}). */
        Run stop() {
            String exit = process.isAlive() ? "stopped" : String.valueOf(process.exitValue());
            kill();
            return new Run(exit, out(), read(err));
        }

        /** Waits for it to end; after {@code timeout}, kills it (exit {@code timeout}). */
        Run awaitExit(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill();
                    return new Run("timeout", out(), read(err));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                throw new AssertionError(e);
            }
            return new Run(String.valueOf(process.exitValue()), out(), read(err));
        }

        private void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String read(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
