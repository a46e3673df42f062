package io.emrvke.server.application;

/**
 * A component instance (release) as stored.
 *
 * @param workloadKind       the catalog's wire name of the workload kind ({@code Deployment}, {@code RayCluster}...)
 * @param workloadName       name of the workload object (the release name: the charts name it so)
 * @param rememberedReplicas size before the last stop, null when never stopped
 * @param configVersion      the instance's current config version (rows in config_items)
 * @param revision           how many times its release was rendered and applied with new values (0 = never)
 */
public record InstanceRow(String clusterId, String releaseName, String applicationName, String componentName,
                          String workloadKind, String workloadName, DesiredState desiredState,
                          Integer rememberedReplicas, int configVersion, int revision, long createTime,
                          long updateTime) {

    /** A new instance wanted RUNNING, at config version 1, never applied. */
    public static InstanceRow created(String clusterId, String releaseName, String applicationName,
                                      String componentName, String workloadKind, long now) {
        return new InstanceRow(clusterId, releaseName, applicationName, componentName, workloadKind, releaseName,
                DesiredState.RUNNING, null, 1, 0, now, now);
    }
}
