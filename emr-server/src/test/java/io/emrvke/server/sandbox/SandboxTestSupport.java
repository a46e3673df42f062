package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Helpers for sandbox tests: a client over HTTP, manifests, and waiting for a condition. */
final class SandboxTestSupport {
    static final long POD_READY_MS = 150;

    private SandboxTestSupport() {
    }

    static KubernetesClient client(Sandbox sandbox) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(sandbox.clientConfig())
                .withNamespace("default").withRequestTimeout(10_000).build()).build();
    }

    static PodTemplateSpec template(String app, List<EnvVar> env) {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().withContainers(new ContainerBuilder().withName("main").withImage("busybox:1.36")
                        .withEnv(env).build()).endSpec().build();
    }

    static Deployment deployment(String name, int replicas, List<EnvVar> env) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withTemplate(template(name, env)).endSpec().build();
    }

    static List<Pod> podsOf(KubernetesClient client, String ns, String app) {
        return client.pods().inNamespace(ns).withLabel("app", app).list().getItems();
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** Polls (test side only) until the condition holds, failing with {@code what} after the timeout. */
    static void eventually(Duration timeout, String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
            } catch (RuntimeException e) {
                // not there yet
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
        fail("timed out after " + timeout + " waiting for " + what);
    }
}
