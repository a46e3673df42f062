package io.emrvke.server.application;

/** An application deployed (or being deployed) in a cluster, as stored. Times are epoch millis. */
public record ApplicationRow(String clusterId, String applicationName, String applicationVersion,
                             ApplicationState state, String stateChangeReason, long createTime, long updateTime) {

    /** A new application row, INSTALLING. */
    public static ApplicationRow installing(String clusterId, String applicationName, String applicationVersion,
                                            long now) {
        return new ApplicationRow(clusterId, applicationName, applicationVersion, ApplicationState.INSTALLING, null,
                now, now);
    }
}
