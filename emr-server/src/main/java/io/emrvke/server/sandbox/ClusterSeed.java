package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** What a fresh cluster already has: system namespaces, three nodes, the RayCluster CRD. */
final class ClusterSeed {
    static final List<String> NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");
    static final int NODE_COUNT = 3;
    static final String NODE_POOL_LABEL = "sandbox.emr-vke.io/node-pool";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterSeed() {
    }

    /** Creates whatever is missing; existing objects are left as they are. */
    static void apply(ObjectStore store) {
        for (String ns : NAMESPACES) {
            ObjectNode n = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
            n.putObject("metadata").put("name", ns).putObject("labels").put("kubernetes.io/metadata.name", ns);
            n.putObject("status").put("phase", "Active");
            store.create("/api/v1/namespaces", n);
        }
        for (int i = 1; i <= NODE_COUNT; i++) {
            store.create("/api/v1/nodes", node(i));
        }
        store.create("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", rayClusterCrd());
    }

    private static ObjectNode node(int i) {
        String name = "sandbox-node-" + i;
        ObjectNode n = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Node");
        n.putObject("metadata").put("name", name).putObject("labels")
                .put("kubernetes.io/hostname", name).put("kubernetes.io/os", "linux")
                .put("kubernetes.io/arch", "amd64").put("node.kubernetes.io/instance-type", "sandbox.4c16g")
                .put("topology.kubernetes.io/region", "sandbox").put("topology.kubernetes.io/zone", "sandbox-a")
                .put(NODE_POOL_LABEL, "default");
        n.putObject("spec").put("podCIDR", "10.244." + i + ".0/24");
        ObjectNode status = n.putObject("status");
        status.putObject("capacity").put("cpu", "4").put("memory", "16Gi").put("pods", "110");
        status.putObject("allocatable").put("cpu", "4").put("memory", "16Gi").put("pods", "110");
        status.putArray("addresses").add(JSON.createObjectNode().put("type", "InternalIP").put("address", "192.168.0." + (10 + i)))
                .add(JSON.createObjectNode().put("type", "Hostname").put("address", name));
        status.putArray("conditions").addObject().put("type", "Ready").put("status", "True")
                .put("reason", "KubeletReady").put("message", "sandbox kubelet is posting ready status")
                .put("lastHeartbeatTime", StatusWriter.now()).put("lastTransitionTime", StatusWriter.now());
        status.putObject("nodeInfo").put("kubeletVersion", "v1.34.0-emrvke-sandbox").put("osImage", "sandbox")
                .put("containerRuntimeVersion", "sandbox://1.0").put("operatingSystem", "linux")
                .put("architecture", "amd64").put("kernelVersion", "sandbox")
                .put("kubeProxyVersion", "v1.34.0").put("machineID", name).put("systemUUID", name)
                .put("bootID", name);
        return n;
    }

    static ObjectNode rayClusterCrd() {
        ObjectNode crd = JSON.createObjectNode().put("apiVersion", "apiextensions.k8s.io/v1")
                .put("kind", "CustomResourceDefinition");
        crd.putObject("metadata").put("name", "rayclusters.ray.io");
        ObjectNode spec = crd.putObject("spec").put("group", "ray.io").put("scope", "Namespaced");
        spec.putObject("names").put("plural", "rayclusters").put("singular", "raycluster").put("kind", "RayCluster")
                .put("listKind", "RayClusterList");
        ObjectNode v1 = spec.putArray("versions").addObject().put("name", "v1").put("served", true).put("storage", true);
        v1.putObject("schema").putObject("openAPIV3Schema").put("type", "object")
                .put("x-kubernetes-preserve-unknown-fields", true);
        v1.putObject("subresources").putObject("status");
        ObjectNode state = v1.putArray("additionalPrinterColumns").addObject().put("name", "status").put("type", "string")
                .put("jsonPath", ".status.state");
        state.isObject();
        return crd;
    }
}
