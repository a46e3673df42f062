package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.fail;

import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.runtime.InstanceRef;
import io.emrvke.server.runtime.KubernetesRuntime;
import io.emrvke.server.runtime.NodePlacement;
import io.emrvke.server.runtime.ObjectKind;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.TargetRegistry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A Kubernetes target a runtime test runs against: the embedded sandbox ({@link SandboxTarget}) or the real
 * control plane of e2e/realk8s ({@link RealTarget}). The runtime under test is registered on it as {@code serve}
 * registers a target (on the real plane with emr-vke's least-privilege kubeconfig); {@link #client} is the
 * test's own view of the cluster (the administrator's on the real plane). Namespaces a test takes with
 * {@link #newNamespace} are deleted with everything in them by {@link #deleteNamespace} and, at the latest,
 * {@link #close}, which waits until their pods are gone.
 */
abstract class RuntimeTarget implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String CLUSTER_ID = "emr-e2e";
    private static final SecureRandom RANDOM = new SecureRandom();

    final TargetRegistry registry;
    final KubernetesRuntime runtime;
    final KubernetesClient client;
    private final Set<String> namespaces = ConcurrentHashMap.newKeySet();

    RuntimeTarget(TargetRegistry registry, KubernetesRuntime runtime, KubernetesClient client) {
        this.registry = registry;
        this.runtime = runtime;
        this.client = client;
        // a first list that times out on a loaded machine fails one start; the next one starts afresh
        eventually("the runtime watches target " + runtime.targetName(), TIMEOUT.multipliedBy(2), () -> {
            runtime.start();
            return true;
        });
    }

    /**
     * Every connection the runtime has to the API server drops, and the API server cannot be reached for a moment
     * (the sandbox restarts; the real plane's connections are cut by a proxy); then it answers again at the same URL.
     */
    abstract void interruptTheApiServer();

    /** What the target closes after the runtime and the client: the sandbox, the proxy. */
    abstract void closeTarget();

    static ReleaseSpec spec(String namespace, String release, String app, String component,
                            Map<String, Map<String, String>> items) {
        ApplicationSpec application = RuntimeFixtures.app(app);
        ComponentSpec spec = application.component(component).orElseThrow();
        return ReleaseSpecs.forInstance(CLUSTER_ID, namespace, release, application, spec, items, NodePlacement.ANY_NODE);
    }

    /** The namespace, created through the runtime as a virtual cluster's is. */
    void namespace(String namespace) {
        runtime.ensureNamespace(namespace, Map.of("emr-vke.io/cluster-id", CLUSTER_ID));
    }

    /** A namespace of the test's own, {@code prefix}-(6 random characters), created through the runtime. */
    String newNamespace(String prefix) {
        String namespace = prefix + "-" + Long.toString(RANDOM.nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
        namespaces.add(namespace);
        namespace(namespace);
        return namespace;
    }

    /** Deletes the namespace and everything in it (the API server cascades); {@link #close} waits for its pods to go. */
    void deleteNamespace(String namespace) {
        client.namespaces().withName(namespace).delete();
    }

    /** Applies the spec and waits until it runs. */
    ReleaseSpec deploy(ReleaseSpec spec) {
        runtime.apply(spec);
        runtime.awaitRunning(spec.ref(), TIMEOUT);
        return spec;
    }

    List<Pod> pods(InstanceRef ref) {
        return client.pods().inNamespace(ref.namespace()).withLabel("app.kubernetes.io/instance", ref.releaseName())
                .list().getItems();
    }

    Set<String> podUids(InstanceRef ref) {
        return pods(ref).stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    }

    GenericKubernetesResource get(ObjectKind kind, String namespace, String name) {
        return client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name).get();
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Test-side polling for what the runtime itself does not wait for. */
    static void eventually(String what, BooleanSupplier condition) {
        eventually(what, TIMEOUT, condition);
    }

    static void eventually(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not there yet
            }
            if (System.nanoTime() > deadline) {
                fail("never happened: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        try {
            namespaces.forEach(this::deleteNamespace);
            // its pods gone, their nodes' room is free for the next test; the namespace object itself may
            // linger a while (the namespace controller looks again only after the pods' grace period)
            namespaces.forEach(ns -> eventually("the pods of namespace " + ns + " are gone", TIMEOUT.multipliedBy(4),
                    () -> client.pods().inNamespace(ns).list().getItems().isEmpty()));
        } finally {
            client.close();
            registry.close();
            closeTarget();
        }
    }
}
