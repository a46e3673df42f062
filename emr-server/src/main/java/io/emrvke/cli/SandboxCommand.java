package io.emrvke.cli;

import io.emrvke.server.sandbox.Sandbox;
import io.emrvke.server.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code emr-vke sandbox}: runs the embedded Kubernetes sandbox on its own, for several servers to share. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"Runs the embedded sandbox Kubernetes cluster alone (HTTPS on loopback, a bearer token).",
                "Writes <data-dir>/sandbox.kubeconfig (the token and the certificate to trust); point kubectl or",
                "`serve --no-sandbox --kubeconfig` at it.",
                "Objects are kept in <data-dir>/sandbox-state.json and survive a restart. Stops on SIGTERM/Ctrl-C."})
final class SandboxCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8443",
            description = "TCP port of the Kubernetes API (HTTPS; 0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", defaultValue = SandboxConfig.DEFAULT_BIND,
            description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--data-dir", defaultValue = "data",
            description = "Directory for the sandbox state and kubeconfig. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = {"--pod-ready-ms", "--sandbox-pod-ready-ms"}, defaultValue = "1500",
            description = "Milliseconds a scheduled pod takes to become ready. Default: ${DEFAULT-VALUE}.")
    long podReadyMs;

    @Override
    public Integer call() throws Exception {
        if (podReadyMs < 0) {
            System.err.println("emr-vke sandbox: --pod-ready-ms must not be negative");
            return 2;
        }
        if (port < 0 || port > 65535) {
            System.err.println("emr-vke sandbox: --port must be within 0..65535");
            return 2;
        }
        SandboxConfig config = new SandboxConfig(bind, port, dataDir, podReadyMs, SandboxConfig.DEFAULT_SNAPSHOT_DELAY_MS);
        Sandbox sandbox = Sandbox.start(config);
        Path kubeconfig = sandbox.writeKubeconfig(dataDir.resolve(SandboxConfig.KUBECONFIG_FILE));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        System.out.println("emr-vke sandbox: Kubernetes API at " + sandbox.url());
        System.out.println("emr-vke sandbox: kubectl --kubeconfig " + kubeconfig + " get pods -A");
        stopped.await();
        return 0;
    }
}
