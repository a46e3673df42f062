package io.emrvke.server;

import io.emrvke.server.gateway.ClientLimits;
import io.emrvke.server.runtime.TargetOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything {@code serve} can be told, with the embedded defaults.
 *
 * @param databaseUrl       null = the H2 file database in the data dir
 * @param sandboxPort       0 = any free loopback port
 * @param catalogDir        null = the bundled catalog only
 * @param chartsDir         null = the bundled charts only
 * @param kubeconfigTargets real clusters registered besides (or instead of) the sandbox
 * @param nodePoolLabel     node label that pins a cluster's pods to its VkeNodePoolIds
 * @param clientLimits      what slow, idle or failing clients of the API are allowed
 */
public record ServerConfig(String bind, int port, Path dataDir, String region, String databaseUrl,
                           int rateLimitPerSecond, int rateLimitBurst, Duration clockSkew, int maxBodyBytes,
                           boolean sandbox, int sandboxPort, long sandboxPodReadyMs,
                           List<TargetOptions.KubeconfigTarget> kubeconfigTargets, String registryPrefix,
                           Path chartsDir, Path catalogDir, Duration operationLease,
                           String nodePoolLabel, ClientLimits clientLimits) {

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final String DEFAULT_REGION = "cn-beijing";
    /** The label the sandbox's nodes carry ({@code sandbox.emr-vke.io/node-pool=default}). */
    public static final String DEFAULT_NODE_POOL_LABEL = "sandbox.emr-vke.io/node-pool";

    /** Without a node pool label: the default one. */
    public ServerConfig(String bind, int port, Path dataDir, String region, String databaseUrl,
                        int rateLimitPerSecond, int rateLimitBurst, Duration clockSkew, int maxBodyBytes,
                        boolean sandbox, int sandboxPort, long sandboxPodReadyMs,
                        List<TargetOptions.KubeconfigTarget> kubeconfigTargets, String registryPrefix,
                        Path chartsDir, Path catalogDir, Duration operationLease) {
        this(bind, port, dataDir, region, databaseUrl, rateLimitPerSecond, rateLimitBurst, clockSkew, maxBodyBytes,
                sandbox, sandboxPort, sandboxPodReadyMs, kubeconfigTargets, registryPrefix, chartsDir, catalogDir,
                operationLease, DEFAULT_NODE_POOL_LABEL);
    }

    /** With the default client limits. */
    public ServerConfig(String bind, int port, Path dataDir, String region, String databaseUrl,
                        int rateLimitPerSecond, int rateLimitBurst, Duration clockSkew, int maxBodyBytes,
                        boolean sandbox, int sandboxPort, long sandboxPodReadyMs,
                        List<TargetOptions.KubeconfigTarget> kubeconfigTargets, String registryPrefix,
                        Path chartsDir, Path catalogDir, Duration operationLease, String nodePoolLabel) {
        this(bind, port, dataDir, region, databaseUrl, rateLimitPerSecond, rateLimitBurst, clockSkew, maxBodyBytes,
                sandbox, sandboxPort, sandboxPodReadyMs, kubeconfigTargets, registryPrefix, chartsDir, catalogDir,
                operationLease, nodePoolLabel, ClientLimits.DEFAULTS);
    }

    public ServerConfig {
        nodePoolLabel = nodePoolLabel == null || nodePoolLabel.isBlank() ? DEFAULT_NODE_POOL_LABEL : nodePoolLabel;
        clientLimits = clientLimits == null ? ClientLimits.DEFAULTS : clientLimits;
    }

    /** The embedded defaults on a given data dir; tests then pick ports with {@link #withPort}. */
    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, dataDir, DEFAULT_REGION, null, 100, 200,
                Duration.ofMinutes(15), 1 << 20, true, 0, 1500, List.of(), "", null, null,
                Duration.ofSeconds(30));
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(bind, newPort, dataDir, region, databaseUrl, rateLimitPerSecond, rateLimitBurst,
                clockSkew, maxBodyBytes, sandbox, sandboxPort, sandboxPodReadyMs, kubeconfigTargets,
                registryPrefix, chartsDir, catalogDir, operationLease, nodePoolLabel, clientLimits);
    }

    public ServerConfig withDatabaseUrl(String url) {
        return new ServerConfig(bind, port, dataDir, region, url, rateLimitPerSecond, rateLimitBurst,
                clockSkew, maxBodyBytes, sandbox, sandboxPort, sandboxPodReadyMs, kubeconfigTargets,
                registryPrefix, chartsDir, catalogDir, operationLease, nodePoolLabel, clientLimits);
    }

    public ServerConfig withRateLimit(int perSecond, int burst) {
        return new ServerConfig(bind, port, dataDir, region, databaseUrl, perSecond, burst,
                clockSkew, maxBodyBytes, sandbox, sandboxPort, sandboxPodReadyMs, kubeconfigTargets,
                registryPrefix, chartsDir, catalogDir, operationLease, nodePoolLabel, clientLimits);
    }

    public ServerConfig withSandbox(boolean enabled, long podReadyMs) {
        return new ServerConfig(bind, port, dataDir, region, databaseUrl, rateLimitPerSecond, rateLimitBurst,
                clockSkew, maxBodyBytes, enabled, sandboxPort, podReadyMs, kubeconfigTargets,
                registryPrefix, chartsDir, catalogDir, operationLease, nodePoolLabel, clientLimits);
    }

    public ServerConfig withKubeconfigTargets(List<TargetOptions.KubeconfigTarget> targets) {
        return new ServerConfig(bind, port, dataDir, region, databaseUrl, rateLimitPerSecond, rateLimitBurst,
                clockSkew, maxBodyBytes, sandbox, sandboxPort, sandboxPodReadyMs, targets,
                registryPrefix, chartsDir, catalogDir, operationLease, nodePoolLabel, clientLimits);
    }

    public ServerConfig withOperationLease(Duration lease) {
        return new ServerConfig(bind, port, dataDir, region, databaseUrl, rateLimitPerSecond, rateLimitBurst,
                clockSkew, maxBodyBytes, sandbox, sandboxPort, sandboxPodReadyMs, kubeconfigTargets,
                registryPrefix, chartsDir, catalogDir, lease, nodePoolLabel, clientLimits);
    }

    public ServerConfig withNodePoolLabel(String label) {
        return new ServerConfig(bind, port, dataDir, region, databaseUrl, rateLimitPerSecond, rateLimitBurst,
                clockSkew, maxBodyBytes, sandbox, sandboxPort, sandboxPodReadyMs, kubeconfigTargets,
                registryPrefix, chartsDir, catalogDir, operationLease, label, clientLimits);
    }

    public ServerConfig withClientLimits(ClientLimits limits) {
        return new ServerConfig(bind, port, dataDir, region, databaseUrl, rateLimitPerSecond, rateLimitBurst,
                clockSkew, maxBodyBytes, sandbox, sandboxPort, sandboxPodReadyMs, kubeconfigTargets,
                registryPrefix, chartsDir, catalogDir, operationLease, nodePoolLabel, limits);
    }

    /** The JDBC URL in force: the given one, else the embedded H2 file in the data dir. */
    public String effectiveDatabaseUrl() {
        return databaseUrl != null ? databaseUrl : io.emrvke.server.store.Database.defaultUrl(dataDir);
    }
}
