package io.emrvke.cli;

import io.emrvke.server.ControlPlane;
import io.emrvke.server.ServerConfig;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.RootCredential;
import io.emrvke.server.gateway.ClientLimits;
import io.emrvke.server.runtime.TargetOptions;
import io.emrvke.server.store.StoreUnavailableException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the control plane: the signed EMR on VKE API, the operation engine and, by default, "
                + "the embedded sandbox Kubernetes cluster.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "API port (default ${DEFAULT-VALUE}).")
    int port = ServerConfig.DEFAULT_PORT;

    @Option(names = "--bind", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind = ServerConfig.DEFAULT_BIND;

    @Option(names = "--data-dir", description = "Where the embedded store, sandbox state and charts live "
            + "(default ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("data");

    @Option(names = "--region", description = "Region named in the API's answers (default ${DEFAULT-VALUE}).")
    String region = ServerConfig.DEFAULT_REGION;

    @Option(names = "--database-url", paramLabel = "JDBC_URL",
            description = "jdbc:postgresql://host:port/db?user=..., or jdbc:h2:...; default: an H2 file in the data dir.")
    String databaseUrl;

    @Option(names = "--rate-limit", description = "Requests per second per access key; 0 = off "
            + "(default ${DEFAULT-VALUE}).")
    int rateLimit = 100;

    @Option(names = "--rate-burst", description = "Burst per access key (default ${DEFAULT-VALUE}).")
    int rateBurst = 200;

    @Option(names = "--max-clock-skew-seconds", description = "Accepted X-Date distance from server time "
            + "(default ${DEFAULT-VALUE}).")
    long maxClockSkewSeconds = 900;

    @Option(names = "--max-body-bytes", description = "Largest request body (default ${DEFAULT-VALUE}).")
    int maxBodyBytes = 1 << 20;

    @Option(names = "--request-head-timeout-seconds", paramLabel = "SECONDS",
            description = "How long a connection that has not authenticated may take to send a complete request "
                    + "head (default ${DEFAULT-VALUE}).")
    long headTimeoutSeconds = ClientLimits.DEFAULT_HEAD_TIMEOUT.toSeconds();

    @Option(names = "--min-body-bytes-per-second", paramLabel = "BYTES",
            description = "Slowest average rate a request body may arrive at after its first 5 s; slower ones are "
                    + "cut off with 408 (default ${DEFAULT-VALUE}).")
    long minBodyBytesPerSecond = ClientLimits.DEFAULT_MIN_BODY_BYTES_PER_SECOND;

    @Option(names = "--max-unauthenticated-connections", paramLabel = "N",
            description = "Connections without an authenticated request kept open at once; beyond, the oldest is "
                    + "closed (default ${DEFAULT-VALUE}).")
    int maxUnauthenticatedConnections = ClientLimits.DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS;

    @Option(names = "--auth-failures-per-minute", paramLabel = "N",
            description = "Failed authentications a source address may cause per minute before its requests get "
                    + "429; 0 = off (default ${DEFAULT-VALUE}).")
    int authFailuresPerMinute = ClientLimits.DEFAULT_AUTH_FAILURES_PER_MINUTE;

    @Option(names = "--auth-failure-burst", paramLabel = "N",
            description = "Failed authentications an address may cause at once (default ${DEFAULT-VALUE}).")
    int authFailureBurst = ClientLimits.DEFAULT_AUTH_FAILURE_BURST;

    @Option(names = "--sandbox-port", description = "Port of the embedded sandbox's Kubernetes API; 0 = any free "
            + "port (default ${DEFAULT-VALUE}).")
    int sandboxPort = 0;

    @Option(names = "--sandbox-pod-ready-ms", description = "How long sandbox pods take to become ready "
            + "(default ${DEFAULT-VALUE}).")
    long sandboxPodReadyMs = 1500;

    @Option(names = "--catalog-dir", description = "Extra release catalog directory (releases and charts) "
            + "added to the bundled one.")
    Path catalogDir;

    @Option(names = "--operation-lease-seconds", description = "Lease of a running operation; another server "
            + "sharing the database takes it over this long after its owner died (default ${DEFAULT-VALUE}).")
    long operationLeaseSeconds = 30;

    @Option(names = "--node-pool-label", description = "Node label that pins a cluster's pods to its "
            + "VkeNodePoolIds: a nodeSelector for one pool, a required node affinity for several "
            + "(default ${DEFAULT-VALUE}).")
    String nodePoolLabel = ServerConfig.DEFAULT_NODE_POOL_LABEL;

    @Mixin
    TargetOptions targets = new TargetOptions();

    @Override
    public Integer call() {
        ServerConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("emr-vke serve: " + e.getMessage());
            return 2;
        }
        ControlPlane plane;
        try {
            plane = ControlPlane.start(config);
        } catch (StoreUnavailableException e) {
            System.err.println("emr-vke serve: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("emr-vke serve: could not start: " + e.getMessage());
            return 1;
        }
        printBanner(plane, System.out);
        awaitTermination(plane);
        return 0;
    }

    private ServerConfig config() {
        check(port >= 0 && port <= 65535, "--port must be between 0 and 65535, got " + port);
        check(rateLimit >= 0, "--rate-limit must be 0 (off) or more, got " + rateLimit);
        check(rateBurst >= 1, "--rate-burst must be at least 1, got " + rateBurst);
        check(maxClockSkewSeconds >= 1, "--max-clock-skew-seconds must be at least 1");
        check(maxBodyBytes >= 1024, "--max-body-bytes must be at least 1024");
        check(headTimeoutSeconds >= 1, "--request-head-timeout-seconds must be at least 1, got " + headTimeoutSeconds);
        check(minBodyBytesPerSecond >= 1, "--min-body-bytes-per-second must be at least 1, got "
                + minBodyBytesPerSecond);
        check(maxUnauthenticatedConnections >= 1, "--max-unauthenticated-connections must be at least 1, got "
                + maxUnauthenticatedConnections);
        check(authFailuresPerMinute >= 0, "--auth-failures-per-minute must be 0 (off) or more, got "
                + authFailuresPerMinute);
        check(authFailureBurst >= 1, "--auth-failure-burst must be at least 1, got " + authFailureBurst);
        check(sandboxPodReadyMs >= 0, "--sandbox-pod-ready-ms must be 0 or more");
        check(operationLeaseSeconds >= 3, "--operation-lease-seconds must be at least 3");
        check(targets.sandbox() || !targets.kubeconfigTargets().isEmpty(),
                "--no-sandbox leaves no Kubernetes target: add --kubeconfig PATH[#context]");
        return new ServerConfig(bind, port, dataDir.toAbsolutePath().normalize(), region, databaseUrl, rateLimit,
                rateBurst, Duration.ofSeconds(maxClockSkewSeconds), maxBodyBytes, targets.sandbox(), sandboxPort,
                sandboxPodReadyMs, targets.kubeconfigTargets(), targets.registryPrefix(), targets.chartsDir(),
                catalogDir, Duration.ofSeconds(operationLeaseSeconds)).withNodePoolLabel(nodePoolLabel)
                .withClientLimits(clientLimits());
    }

    private ClientLimits clientLimits() {
        return ClientLimits.DEFAULTS.withHeadTimeout(Duration.ofSeconds(headTimeoutSeconds))
                .withMinBodyRate(minBodyBytesPerSecond, ClientLimits.DEFAULT_BODY_GRACE)
                .withMaxUnauthenticatedConnections(maxUnauthenticatedConnections)
                .withAuthFailureLimit(authFailuresPerMinute, authFailureBurst);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void printBanner(ControlPlane plane, PrintStream out) {
        ServerConfig config = plane.config();
        out.println("emr-vke is serving the EMR on VKE API (Version 2023-12-30)");
        out.println("  endpoint:  http://" + plane.endpoint() + "/");
        out.println("  region:    " + config.region());
        out.println("  data dir:  " + config.dataDir());
        out.println("  store:     " + plane.database().displayUrl());
        out.println("  store key: " + plane.database().storeKey().id() + " from " + plane.database().storeKey().origin()
                + " (without it the store's secrets cannot be read: back it up apart from the store)");
        out.println("  targets:   " + String.join(", ", plane.targets().names()));
        plane.sandbox().ifPresent(s -> out.println("  sandbox:   " + s.url() + "   (kubectl --kubeconfig "
                + plane.sandboxKubeconfig() + " get pods -A)"));
        Path file = RootCredential.file(config.dataDir());
        plane.newRootCredential().ifPresentOrElse(
                c -> printNewRootCredential(c, file, out),
                () -> out.println("  root credential: `source " + file + "` (written at first start), or the "
                        + RootCredential.ENV_ACCESS_KEY + "/" + RootCredential.ENV_SECRET_KEY + " you set"));
        out.println("  try:       set -a; source " + file + "; set +a; ./emr-vke call ListReleaseVersions --endpoint "
                + plane.endpoint());
        out.flush();
    }

    private static void printNewRootCredential(Credential c, Path file, PrintStream out) {
        out.println("  root credential (shown once; also saved in " + file + ", mode 0600):");
        out.println("    VOLCENGINE_ACCESS_KEY=" + c.accessKeyId());
        out.println("    VOLCENGINE_SECRET_KEY=" + c.secretKey());
    }

    /** Blocks until SIGTERM/SIGINT; the hook stops the plane gracefully (in-flight requests finish). */
    private static void awaitTermination(ControlPlane plane) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            plane.close();
            flushLogs();
            stopped.countDown();
        }, "emr-vke-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The access log is written by a background thread: stopping logback writes out what it still holds. */
    private static void flushLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.stop();
        }
    }
}
