package io.emrvke.server.sandbox;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Test fixture: the sandbox's three nodes given more room. The sandbox schedules as a real cluster does (three
 * 4-CPU, 16Gi nodes, like the real control plane's tier), so a test that deploys more than they hold, and is not
 * about capacity, enlarges them first, as it would pick a bigger cluster.
 */
public final class SandboxNodes {
    private SandboxNodes() {
    }

    /** Sets every node's capacity and allocatable cpu and memory (the scheduler reads them again at once). */
    public static void resize(KubernetesClient kube, String cpu, String memory) {
        for (Node node : kube.nodes().list().getItems()) {
            kube.nodes().withName(node.getMetadata().getName()).editStatus(n -> {
                for (Map<String, Quantity> amounts : java.util.List.of(n.getStatus().getCapacity(),
                        n.getStatus().getAllocatable())) {
                    amounts.put("cpu", new Quantity(cpu));
                    amounts.put("memory", new Quantity(memory));
                }
                return n;
            });
        }
    }
}
