package io.emrvke.server.runtime;

/** Label and annotation keys the runtime writes and reads. */
public final class Labels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "emr-vke";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String NAME = "app.kubernetes.io/name";
    public static final String CLUSTER_ID = "emr-vke.io/cluster-id";
    public static final String APPLICATION = "emr-vke.io/application";

    public static final String CONFIG_CHECKSUM = "emr-vke.io/config-checksum";
    public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    public static final String REPLICAS_BEFORE_STOP = "emr-vke.io/replicas-before-stop";
    /** Hash of the object as last rendered: re-applying an unchanged revision writes nothing. */
    public static final String APPLIED_HASH = "emr-vke.io/applied-hash";
    /** On a CRD emr-vke installed: the version of the operator (chart appVersion) whose definition it is. */
    public static final String CRD_VERSION = "emr-vke.io/crd-version";
    /** On a CRD emr-vke installed: the chart that carried it. */
    public static final String CRD_CHART = "emr-vke.io/crd-chart";

    private Labels() {
    }
}
