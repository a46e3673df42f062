package io.emrvke.server.sandbox.differential;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The kubectl the tests run: {@code EMR_VKE_KUBECTL}, else the one built for the real control plane
 * ({@code $EMR_VKE_REALK8S_BIN/kubectl}, as {@code e2e/realk8s/cluster env} prints it), else the first on the PATH.
 * None: the test is skipped, saying so, or fails under {@code CI=true} (CI must run the kubectl tests).
 */
public final class KubectlBinary {
    public static final String KUBECTL_ENV = "EMR_VKE_KUBECTL";
    public static final String REALK8S_BIN_ENV = "EMR_VKE_REALK8S_BIN";

    private KubectlBinary() {
    }

    /** The kubectl to use, or an aborted (CI: failed) test naming where it was looked for. */
    public static Path require(String test) {
        Optional<Path> found = find();
        if (found.isPresent()) {
            return found.get();
        }
        String why = "no kubectl: " + KUBECTL_ENV + " and " + REALK8S_BIN_ENV + " name none and none is on the PATH"
                + " (e2e/realk8s/cluster bin prints the folder of the one built for the real control plane)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(test + ": " + why + "; CI=true needs one");
        }
        System.out.println("SKIPPED " + test + ": " + why);
        Assumptions.abort(why + ": skipping (with CI=true it fails)");
        return null;
    }

    /** The first executable of: $EMR_VKE_KUBECTL, $EMR_VKE_REALK8S_BIN/kubectl, kubectl on the PATH. */
    public static Optional<Path> find() {
        Optional<Path> named = fromEnv(KUBECTL_ENV, "");
        if (named.isPresent()) {
            return named;
        }
        Optional<Path> realk8s = fromEnv(REALK8S_BIN_ENV, "kubectl");
        if (realk8s.isPresent()) {
            return realk8s;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            if (executable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** The variable's value (plus {@code child} when it names a folder), if executable; a set but wrong value fails. */
    private static Optional<Path> fromEnv(String variable, String child) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path path = child.isEmpty() ? Path.of(value) : Path.of(value, child);
        if (!executable(path)) {
            throw new AssertionError(variable + "=" + value + " but " + path + " is not an executable file");
        }
        return Optional.of(path.toAbsolutePath());
    }

    private static boolean executable(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
