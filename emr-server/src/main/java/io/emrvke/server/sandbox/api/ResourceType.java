package io.emrvke.server.sandbox.api;

import java.util.List;

/**
 * One API resource the sandbox serves, as discovery describes it.
 *
 * @param custom     defined by a CustomResourceDefinition (strategic merge refused, update needs a resourceVersion)
 * @param categories discovery categories ({@code all} makes {@code kubectl get all} include it)
 * @param verbs      what discovery lists; empty means the usual eight
 */
public record ResourceType(String group, String version, String plural, String singular, String kind,
                           boolean namespaced, List<String> shortNames, boolean hasStatus, boolean hasScale,
                           List<String> categories, boolean custom, List<String> verbs) {
    static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String collectionPath(String namespace) {
        return ResourcePath.collection(group, version, namespaced ? namespace : null, plural);
    }

    boolean is(String g, String p) {
        return group.equals(g) && plural.equals(p);
    }

    /** How errors name the resource: {@code pods}, {@code deployments.apps}. */
    String qualifiedResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** How validation errors name the kind: {@code Pod}, {@code Deployment.apps}. */
    String qualifiedKind() {
        return group.isEmpty() ? kind : kind + "." + group;
    }

    /** Create-only resources (access reviews) are answered, never stored. */
    boolean stored() {
        return verbs.isEmpty() || verbs.contains("get");
    }

    List<String> servedVerbs() {
        return verbs.isEmpty() ? ALL_VERBS : verbs;
    }

    ResourceType atVersion(String v) {
        return v.equals(version) ? this : new ResourceType(group, v, plural, singular, kind, namespaced, shortNames,
                hasStatus, hasScale, categories, custom, verbs);
    }
}
