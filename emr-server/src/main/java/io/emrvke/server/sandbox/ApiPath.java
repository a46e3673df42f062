package io.emrvke.server.sandbox;

import io.emrvke.server.sandbox.api.ResourcePath;

/**
 * A parsed Kubernetes REST path: {@code /api/v1/namespaces/ns/pods/name/status} and friends.
 * Group is "" for the core API. Name and subresource may be null (collections).
 */
record ApiPath(String group, String version, String namespace, String plural, String name, String subresource) {

    static ApiPath parse(String rawPath) {
        ResourcePath p = ResourcePath.parse(rawPath);
        return p == null ? null : new ApiPath(p.group(), p.version(), p.namespace(), p.plural(), p.name(),
                p.subresource());
    }

    static String stripQuery(String path) {
        return ResourcePath.stripQuery(path);
    }

    static String collection(String group, String version, String namespace, String plural) {
        return ResourcePath.collection(group, version, namespace, plural);
    }

    String mainPath() {
        return collection(group, version, namespace, plural) + "/" + name;
    }

    boolean is(String g, String p) {
        return group.equals(g) && plural.equals(p);
    }
}
