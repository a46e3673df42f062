package io.emrvke.server.sandbox;

/**
 * A parsed Kubernetes REST path: {@code /api/v1/namespaces/ns/pods/name/status} and friends.
 * Group is "" for the core API. Name and subresource may be null (collections).
 */
record ApiPath(String group, String version, String namespace, String plural, String name, String subresource) {

    static ApiPath parse(String rawPath) {
        String path = stripQuery(rawPath);
        String[] s = path.startsWith("/") ? path.substring(1).split("/") : path.split("/");
        int i;
        String group;
        String version;
        if (s.length >= 3 && s[0].equals("api")) {
            group = "";
            version = s[1];
            i = 2;
        } else if (s.length >= 4 && s[0].equals("apis")) {
            group = s[1];
            version = s[2];
            i = 3;
        } else {
            return null;
        }
        String namespace = null;
        if (s[i].equals("namespaces") && s.length - i >= 3) {
            namespace = s[i + 1];
            i += 2;
        }
        String plural = s[i];
        String name = s.length > i + 1 ? s[i + 1] : null;
        String sub = s.length > i + 2 ? s[i + 2] : null;
        return new ApiPath(group, version, namespace, plural, name, sub);
    }

    static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    static String collection(String group, String version, String namespace, String plural) {
        String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        return namespace == null ? base + "/" + plural : base + "/namespaces/" + namespace + "/" + plural;
    }

    String mainPath() {
        return collection(group, version, namespace, plural) + "/" + name;
    }

    boolean is(String g, String p) {
        return group.equals(g) && plural.equals(p);
    }
}
