package io.emrvke.server.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes targets the server can deploy to, by name: {@code sandbox} (the embedded cluster) and the
 * clusters given with {@code --kubeconfig}. A virtual cluster's {@code VkeClusterId} is the name of its target.
 * A target that cannot be reached at registration stays registered (reported by {@link #reachability()})
 * and is started on first use.
 */
public final class TargetRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TargetRegistry.class);
    public static final String SANDBOX = "sandbox";

    private final ChartRenderer renderer;
    private final Map<String, ClusterRuntime> targets = new ConcurrentHashMap<>();

    public TargetRegistry(ChartRenderer renderer) {
        this.renderer = renderer;
    }

    /** Registers a target over an existing client (the registry owns and closes it). */
    public synchronized KubernetesRuntime register(String name, KubernetesClient client) {
        requireFree(name, client::close);
        KubernetesRuntime runtime = new KubernetesRuntime(name, client, renderer);
        targets.put(name, runtime);
        runtime.startAsync();
        log.info("target {} registered ({})", name, client.getMasterUrl());
        return runtime;
    }

    /**
     * Registers a runtime made elsewhere under its name (the registry owns and closes it): a test's
     * fake {@link ClusterRuntime}, so that steps resolve it as they resolve a Kubernetes target.
     */
    public synchronized void register(String name, ClusterRuntime runtime) {
        requireFree(name, runtime::close);
        targets.put(name, runtime);
    }

    /** A valid name no target holds yet; otherwise {@code release} runs (the caller's resource) and it throws. */
    private void requireFree(String name, Runnable release) {
        requireValidName(name);
        if (targets.containsKey(name)) {
            release.run();
            throw new IllegalArgumentException("target '" + name + "' is already registered");
        }
    }

    /** Registers a cluster from a kubeconfig file; {@code context} null means the file's current context. */
    public KubernetesRuntime register(String name, Path kubeconfig, String context) {
        if (!Files.isReadable(kubeconfig)) {
            throw new IllegalArgumentException("--kubeconfig " + kubeconfig + ": file not found or not readable");
        }
        String named = "--kubeconfig " + kubeconfig + (context == null ? "" : "#" + context);
        if (isBlank(kubeconfig)) {
            throw new IllegalArgumentException(named + ": the file is empty; give a kubeconfig with a cluster, a user"
                    + " and a context (kubectl config view --raw --minify prints one)");
        }
        Config config;
        try {
            config = Config.fromKubeconfig(context, new File(kubeconfig.toString()));
        } catch (RuntimeException e) {
            // YAML errors span several lines with a caret diagram: the first line says enough
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                    .orElse("");
            throw new IllegalArgumentException(named + ": not a readable kubeconfig (" + why + ")", e);
        }
        if (context == null && config.getCurrentContext() == null) {
            throw new IllegalArgumentException(named + ": the file names no current-context; set one, or pick a"
                    + " context with --kubeconfig " + kubeconfig + "#CONTEXT");
        }
        if (context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
            throw new IllegalArgumentException("--kubeconfig " + kubeconfig + "#" + context + ": no such context");
        }
        return register(name, new KubernetesClientBuilder().withConfig(boundedRetries(config)).build());
    }

    private static boolean isBlank(Path file) {
        try {
            return Files.readString(file).isBlank();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false; // not text: let the parser say what is wrong
        }
    }

    /** The client's own retries stay short: {@link Retry} does the patient part, visibly. */
    private static Config boundedRetries(Config config) {
        config.setRequestRetryBackoffLimit(2);
        return config;
    }

    /** Registers an API server by URL with no credentials (a test double of an API server). */
    public KubernetesRuntime registerUrl(String name, String masterUrl) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(masterUrl).build();
        return register(name, new KubernetesClientBuilder().withConfig(boundedRetries(config)).build());
    }

    public void registerAll(List<TargetOptions.KubeconfigTarget> kubeconfigs) {
        for (TargetOptions.KubeconfigTarget t : kubeconfigs) {
            register(t.name(), t.path(), t.context());
        }
    }

    public Optional<ClusterRuntime> find(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    /** The target of that name; IllegalArgumentException naming it and the known targets otherwise. */
    public ClusterRuntime get(String name) {
        ClusterRuntime runtime = name == null ? null : targets.get(name);
        if (runtime == null) {
            throw new IllegalArgumentException("no Kubernetes target named '" + name + "' (known: " + names() + ")");
        }
        return runtime;
    }

    /** A virtual cluster's VkeClusterId names its target. */
    public ClusterRuntime forVkeCluster(String vkeClusterId) {
        return get(vkeClusterId);
    }

    public Set<String> names() {
        return new java.util.TreeSet<>(targets.keySet());
    }

    /** Blocks until every target started watching or failed to (e.g. before serving, with a bound). */
    public void awaitStarted(java.time.Duration timeout) {
        try {
            java.util.concurrent.CompletableFuture.allOf(targets.values().stream().map(TargetRegistry::started)
                    .map(f -> f.exceptionally(e -> null)).toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("not every target started within {}", timeout);
        }
    }

    /** A Kubernetes target starts its watches; a runtime registered ready-made has nothing to start. */
    private static java.util.concurrent.CompletableFuture<Void> started(ClusterRuntime runtime) {
        return runtime instanceof KubernetesRuntime kubernetes ? kubernetes.startAsync()
                : java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** Each target's reachability, for /readyz. */
    public Map<String, TargetHealth> reachability() {
        Map<String, TargetHealth> health = new LinkedHashMap<>();
        for (String name : names()) {
            health.put(name, targets.get(name).health());
        }
        return health;
    }

    private static void requireValidName(String name) {
        if (name == null || !name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("--target-name '" + name
                    + "': use lowercase letters, digits and '-' (at most 63 characters)");
        }
    }

    @Override
    public synchronized void close() {
        targets.values().forEach(ClusterRuntime::close);
        targets.clear();
    }
}
