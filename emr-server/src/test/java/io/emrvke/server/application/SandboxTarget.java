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
import io.emrvke.server.sandbox.Sandbox;
import io.emrvke.server.sandbox.SandboxConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A sandbox cluster over HTTP with the runtime registered on it (as {@code serve} does), plus a plain client
 * for the test to look at what landed. One per test class: tests use their own namespace.
 */
final class SandboxTarget implements AutoCloseable {
    static final long POD_READY_MS = 150;
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String CLUSTER_ID = "emr-e2e";

    volatile Sandbox sandbox;
    final TargetRegistry registry;
    final KubernetesRuntime runtime;
    final KubernetesClient client;

    private SandboxTarget(Sandbox sandbox) {
        this.sandbox = sandbox;
        this.registry = new TargetRegistry(RuntimeFixtures.renderer());
        this.runtime = (KubernetesRuntime) registry.register(TargetRegistry.SANDBOX,
                new KubernetesClientBuilder().withConfig(new ConfigBuilder(sandbox.clientConfig())
                        .withRequestRetryBackoffLimit(2).build()).build());
        this.runtime.start();
        this.client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(sandbox.clientConfig())
                .withRequestTimeout(10_000).build()).build();
    }

    static SandboxTarget start() {
        return start(SandboxConfig.inMemory(POD_READY_MS));
    }

    static SandboxTarget start(SandboxConfig config) {
        try {
            return new SandboxTarget(Sandbox.start(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the sandbox (its state file written) and starts it again on the same data dir and port: every
     * watch of the runtime and the test's client drops, and the API comes back at the same URL.
     */
    void restartSandbox() {
        SandboxConfig config = sandbox.config().withPort(sandbox.port());
        sandbox.close();
        try {
            sandbox = Sandbox.start(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReleaseSpec spec(String namespace, String release, String app, String component,
                            Map<String, Map<String, String>> items) {
        ApplicationSpec application = RuntimeFixtures.app(app);
        ComponentSpec spec = application.component(component).orElseThrow();
        return ReleaseSpecs.forInstance(CLUSTER_ID, namespace, release, application, spec, items, NodePlacement.ANY_NODE);
    }

    void namespace(String namespace) {
        runtime.ensureNamespace(namespace, Map.of("emr-vke.io/cluster-id", CLUSTER_ID));
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
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
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
        client.close();
        registry.close();
        sandbox.close();
    }
}
