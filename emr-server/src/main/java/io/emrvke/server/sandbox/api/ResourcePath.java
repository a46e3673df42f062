package io.emrvke.server.sandbox.api;

import java.util.Set;

/**
 * A parsed Kubernetes REST path: {@code /api/v1/namespaces/ns/pods/name/status} and friends. Group is ""
 * for the core API; name and subresource may be null (collections).
 */
public record ResourcePath(String group, String version, String namespace, String plural, String name,
                           String subresource) {
    /** What follows {@code /api/v1/namespaces/NAME}: a subresource of that namespace, not a resource in it. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /** The path's parts, or null when it is not a resource path (discovery, health, anything else). */
    public static ResourcePath parse(String rawPath) {
        String path = stripQuery(rawPath);
        String[] s = (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
        int i;
        String group;
        if (s.length >= 3 && s[0].equals("api")) {
            group = "";
            i = 2;
        } else if (s.length >= 4 && s[0].equals("apis")) {
            group = s[1];
            i = 3;
        } else {
            return null;
        }
        String version = s[i - 1];
        String namespace = null;
        int rest = s.length - i;
        if (s[i].equals("namespaces") && rest >= 3 && !(rest == 3 && NAMESPACE_SUBRESOURCES.contains(s[i + 2]))) {
            namespace = s[i + 1];
            i += 2;
            rest -= 2;
        }
        if (rest > 3 || java.util.Arrays.stream(s, i, s.length).anyMatch(String::isEmpty)) {
            return null;
        }
        return new ResourcePath(group, version, namespace, s[i], rest > 1 ? s[i + 1] : null, rest > 2 ? s[i + 2] : null);
    }

    public static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    public static String collection(String group, String version, String namespace, String plural) {
        String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        return namespace == null ? base + "/" + plural : base + "/namespaces/" + namespace + "/" + plural;
    }

    public String collectionPath() {
        return collection(group, version, namespace, plural);
    }

    /** The object's own path (no subresource). */
    public String mainPath() {
        return collectionPath() + "/" + name;
    }

    public boolean is(String g, String p) {
        return group.equals(g) && plural.equals(p);
    }

    String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
