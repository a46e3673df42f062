package io.emrvke.server.operation;

import java.util.Arrays;
import java.util.List;

/** What an operation does, in its wire spelling (docs/api.md#resources-and-states). */
public enum OperationName {
    CREATE_CLUSTER("CreateCluster"),
    DELETE_CLUSTER("DeleteCluster"),
    DEPLOY_APPLICATIONS("DeployApplications"),
    UNDEPLOY_APPLICATIONS("UndeployApplications"),
    RUN_APPLICATION_ACTION("RunApplicationAction"),
    CREATE_COMPONENT_INSTANCE("CreateComponentInstance"),
    DELETE_COMPONENT_INSTANCE("DeleteComponentInstance");

    private final String wireName;

    OperationName(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(OperationName::wireName).toList();
    }

    public static OperationName fromWire(String s) {
        for (OperationName n : values()) {
            if (n.wireName.equals(s)) {
                return n;
            }
        }
        throw new IllegalArgumentException("not an operation name: " + s);
    }
}
