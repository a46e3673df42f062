package io.emrvke.server.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Options of {@code emr-vke serve} that choose the Kubernetes targets (a picocli mixin:
 * {@code @Mixin TargetOptions targets;}).
 */
public final class TargetOptions {
    @Option(names = "--kubeconfig", paramLabel = "PATH[#context]",
            description = "Register a Kubernetes cluster from a kubeconfig file (optionally one context). Repeatable.")
    List<String> kubeconfigs = new ArrayList<>();

    @Option(names = "--target-name", paramLabel = "NAME",
            description = "Name of the target of the --kubeconfig at the same position (default: the context, else "
                    + "the file name). Repeatable.")
    List<String> targetNames = new ArrayList<>();

    @Option(names = "--no-sandbox", description = "Do not register the embedded sandbox as target 'sandbox'.")
    boolean noSandbox;

    @Option(names = "--registry-prefix", paramLabel = "REGISTRY",
            description = "Registry (and path) prepended to every catalog image reference as written, registry host "
                    + "included, e.g. cr.example.com/emr pulls quay.io/kuberay/operator:v1.1.1 as "
                    + "cr.example.com/emr/quay.io/kuberay/operator:v1.1.1.")
    String registryPrefix = "";

    @Option(names = "--charts-dir", paramLabel = "DIR", description = "Extra directory of Helm charts (one per sub-directory).")
    Path chartsDir;

    public record KubeconfigTarget(String name, Path path, String context) {
    }

    public boolean sandbox() {
        return !noSandbox;
    }

    public String registryPrefix() {
        return registryPrefix;
    }

    public Path chartsDir() {
        return chartsDir;
    }

    /** The --kubeconfig targets, named and checked (unique names, not 'sandbox' while the sandbox is on). */
    public List<KubeconfigTarget> kubeconfigTargets() {
        if (targetNames.size() > kubeconfigs.size()) {
            throw new IllegalArgumentException("--target-name: " + targetNames.size() + " names for "
                    + kubeconfigs.size() + " --kubeconfig options");
        }
        List<KubeconfigTarget> targets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (sandbox()) {
            seen.add(TargetRegistry.SANDBOX);
        }
        for (int i = 0; i < kubeconfigs.size(); i++) {
            String spec = kubeconfigs.get(i);
            int hash = spec.lastIndexOf('#');
            Path path = Path.of(hash < 0 ? spec : spec.substring(0, hash));
            String context = hash < 0 || hash == spec.length() - 1 ? null : spec.substring(hash + 1);
            String name = i < targetNames.size() ? targetNames.get(i) : defaultName(path, context);
            if (!seen.add(name)) {
                throw new IllegalArgumentException("--target-name '" + name + "' is used twice; give each --kubeconfig its own");
            }
            targets.add(new KubeconfigTarget(name, path, context));
        }
        return targets;
    }

    private static String defaultName(Path path, String context) {
        String base = context != null ? context : path.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String name = base.toLowerCase().replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        return name.isEmpty() ? "cluster" : name.length() > 63 ? name.substring(0, 63) : name;
    }
}
