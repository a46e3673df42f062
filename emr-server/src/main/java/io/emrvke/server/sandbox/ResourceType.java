package io.emrvke.server.sandbox;

import java.util.List;

/** One API resource the sandbox serves, as discovery describes it. */
record ResourceType(String group, String version, String plural, String singular, String kind,
                    boolean namespaced, List<String> shortNames, boolean hasStatus, boolean hasScale) {

    String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    String collectionPath(String namespace) {
        return ApiPath.collection(group, version, namespaced ? namespace : null, plural);
    }
}
