package io.emrvke.server.runtime;

/**
 * Reachability of one target, for {@code /readyz}.
 *
 * @param reachable         the API answered {@code /version}
 * @param version           its git version, e.g. v1.30.2
 * @param rayClusterCrd     the RayCluster CRD is installed (without it RayCluster components cannot be deployed)
 * @param watching          the watch cache is synced
 * @param message           what is wrong, or null
 */
public record TargetHealth(String target, boolean reachable, String version, boolean rayClusterCrd, boolean watching,
                           String message) {
}
