package io.emrvke.server.runtime;

/** One instance (Helm-style release) on a target: its namespace and release name. */
public record InstanceRef(String namespace, String releaseName) {
    @Override
    public String toString() {
        return namespace + "/" + releaseName;
    }
}
