package io.emrvke.server.api;

import io.emrvke.server.application.ApplicationRow;

/** An item of ListApplications. */
public record ApplicationItem(String clusterId, String applicationName, String applicationVersion,
                              String applicationState, Long createTime, Long updateTime) {

    public static ApplicationItem of(ApplicationRow a) {
        return new ApplicationItem(a.clusterId(), a.applicationName(), a.applicationVersion(), a.state().wireName(),
                a.createTime(), a.updateTime());
    }
}
