package io.emrvke.bench;

import io.emrvke.server.ServerConfig;
import io.emrvke.server.runtime.TargetOptions;
import io.emrvke.server.runtime.TargetRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a bench runs: the embedded sandbox (the default), or a real Kubernetes API server given as
 * {@code --kubeconfig FILE} anywhere among the arguments, registered as target {@value #REAL} the way
 * {@code serve --no-sandbox --kubeconfig FILE --target-name real} does. The other arguments stay positional.
 *
 * @param kubeconfig null: the sandbox
 * @param args       the positional arguments, in order
 */
record BenchTarget(Path kubeconfig, List<String> args) {
    static final String REAL = "real";

    static BenchTarget parse(String[] argv) {
        Path kubeconfig = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].equals("--kubeconfig")) {
                rest.add(argv[i]);
                continue;
            }
            if (i + 1 == argv.length) {
                throw new IllegalArgumentException("--kubeconfig: give the kubeconfig file after it");
            }
            kubeconfig = Path.of(argv[++i]);
            if (!Files.isReadable(kubeconfig)) {
                throw new IllegalArgumentException("--kubeconfig " + kubeconfig + ": file not found or not readable");
            }
        }
        return new BenchTarget(kubeconfig, List.copyOf(rest));
    }

    boolean real() {
        return kubeconfig != null;
    }

    /** The VkeClusterId (target name) the bench's clusters run on. */
    String name() {
        return real() ? REAL : TargetRegistry.SANDBOX;
    }

    /** Positional argument {@code index}, or {@code fallback} when not given. */
    String arg(int index, String fallback) {
        return index < args.size() ? args.get(index) : fallback;
    }

    /** The server's targets: the sandbox with pods ready {@code podReadyMs} after scheduling, or only the real one. */
    ServerConfig configure(ServerConfig config, long podReadyMs) {
        if (!real()) {
            return config.withSandbox(true, podReadyMs);
        }
        return config.withSandbox(false, podReadyMs)
                .withKubeconfigTargets(List.of(new TargetOptions.KubeconfigTarget(REAL, kubeconfig, null)));
    }

    String describe() {
        return real() ? "real API server of " + kubeconfig : "embedded sandbox";
    }
}
