package io.emrvke.server.application;

/**
 * One change of one item (config_history): the version it went into, old and new value (null when
 * the item was added / removed), and the operation that made it. Secret values are never stored
 * here in clear: they are written as {@code ******} (the flag says so).
 */
public record ConfigHistoryRow(long id, String clusterId, String applicationName, String releaseName,
                               int configVersion, String configFileName, String key, String oldValue,
                               String newValue, boolean secret, String operationId, long createTime) {
}
