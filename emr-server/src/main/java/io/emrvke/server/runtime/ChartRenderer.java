package io.emrvke.server.runtime;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import io.emrvke.server.disclosure.SecretKeys;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Renders a {@link ReleaseSpec} with its chart through helm-java {@code template} (in-process, offline).
 *
 * <p>Values passed to every chart (the charts' values contract, see the charts' values.yaml):
 * <pre>
 * emr.clusterId / emr.application / emr.component   labels
 * emr.configFiles   {fileName: content}  non-env, non-values files in their own format (ConfigMap data)
 * emr.secretData    {key: value}         secret items (Secret data, base64; stringData would rely on the API server converting it)
 * emr.env           [{name, value}]      non-secret __envs__ items
 * emr.secretEnv     [{name, key}]        secret __envs__ items (secretKeyRef into the Secret)
 * image             registry prefix + "/" + catalog image (see {@link #imageFor})
 * replicas          instance size (RayCluster: worker count unless worker.replicas is set)
 * nodeSelector      node selector of every pod (a cluster on one node pool; else empty)
 * affinity          affinity of every pod (a cluster on several node pools: required node affinity; else empty)
 * </pre>
 * then every item of a HELM_VALUES file, its key a dotted value path ({@code worker.replicas}; {@code \.}
 * for a literal dot), its value typed like {@code helm --set} does (integers, decimals, true/false).
 *
 * <p>helm calls cannot be interrupted, so each runs on a daemon thread bounded by our own timeout.
 */
public final class ChartRenderer implements AutoCloseable {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+\\.[0-9]+");
    private static final Pattern UNESCAPED_DOT = Pattern.compile("(?<!\\\\)\\.");

    private final ChartRepository charts;
    private final String registryPrefix;
    private final Duration timeout;
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final ExecutorService helmThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "helm-render");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param registryPrefix prepended to every catalog image ({@code registry.example.com/emr}); blank for none
     * @param timeout        bound of one helm call
     */
    public ChartRenderer(ChartRepository charts, String registryPrefix, Duration timeout) {
        this.charts = Objects.requireNonNull(charts);
        this.registryPrefix = registryPrefix == null ? "" : registryPrefix.strip().replaceAll("/+$", "");
        this.timeout = Objects.requireNonNull(timeout);
    }

    public ChartRenderer(ChartRepository charts, String registryPrefix) {
        this(charts, registryPrefix, Duration.ofSeconds(30));
    }

    public ChartRepository charts() {
        return charts;
    }

    /**
     * The image a pod runs: the catalog's reference as written, under the registry prefix when one is set.
     * A registry host in the reference stays as the first path segment below the prefix
     * ({@code quay.io/kuberay/operator:v1.1.1} under {@code cr.example.com/emr} is
     * {@code cr.example.com/emr/quay.io/kuberay/operator:v1.1.1}), so images of different registries never
     * share a name in the mirror; a reference already under the prefix is left as it is.
     */
    public String imageFor(String catalogImage) {
        if (registryPrefix.isEmpty() || catalogImage == null || catalogImage.startsWith(registryPrefix + "/")) {
            return catalogImage;
        }
        return registryPrefix + "/" + catalogImage;
    }

    public RenderedRelease render(ReleaseSpec spec) {
        Path chart = charts.find(spec.chart()).orElseThrow(() -> new RuntimeFailure(RuntimeFailure.Reason.RENDER_FAILED,
                "no chart named '" + spec.chart() + "' (known: " + charts.chartNames() + ")"));
        Map<String, Object> values = values(spec);
        long start = System.nanoTime();
        String yaml = renderWithTimeout(chart, spec, values);
        long took = System.nanoTime() - start;
        List<GenericKubernetesResource> objects = parse(yaml, spec);
        GenericKubernetesResource workload = checkWorkload(objects, spec);
        String checksum = workload.getMetadata().getAnnotations() == null ? null
                : workload.getMetadata().getAnnotations().get(Labels.CONFIG_CHECKSUM);
        return new RenderedRelease(spec, objects, checksum, took);
    }

    /** The values file passed to helm for this spec (secrets included: never log it). */
    Map<String, Object> values(ReleaseSpec spec) {
        Map<String, String> configFiles = new TreeMap<>();
        Map<String, String> secretData = new TreeMap<>();
        List<Map<String, String>> env = new ArrayList<>();
        List<Map<String, String>> secretEnv = new ArrayList<>();
        List<ConfigFileValues> helmValues = new ArrayList<>();
        for (ConfigFileValues file : spec.configFiles()) {
            switch (file.format()) {
                case HELM_VALUES -> helmValues.add(file);
                case ENV -> file.items().forEach((k, v) -> {
                    if (SecretKeys.isSecret(k)) {
                        String key = secretKey(k);
                        secretData.put(key, v);
                        secretEnv.add(Map.of("name", k, "key", key));
                    } else {
                        env.add(Map.of("name", k, "value", v));
                    }
                });
                default -> {
                    Map<String, String> plain = new TreeMap<>();
                    file.items().forEach((k, v) -> {
                        if (SecretKeys.isSecret(k)) {
                            secretData.put(secretKey(k), v);
                        } else {
                            plain.put(k, v);
                        }
                    });
                    configFiles.put(file.fileName(), ConfigFileRenderer.render(file.fileName(), file.format(), plain));
                }
            }
        }
        Map<String, Object> emr = new LinkedHashMap<>();
        emr.put("clusterId", nullToEmpty(spec.clusterId()));
        emr.put("application", nullToEmpty(spec.application()));
        emr.put("component", nullToEmpty(spec.component()));
        emr.put("configFiles", configFiles);
        emr.put("secretData", secretData);
        emr.put("env", env);
        emr.put("secretEnv", secretEnv);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("emr", emr);
        values.put("image", imageFor(nullToEmpty(spec.image())));
        values.put("replicas", spec.replicas());
        values.put("nodeSelector", new TreeMap<>(spec.placement().nodeSelector()));
        values.put("affinity", spec.placement().affinity());
        for (ConfigFileValues file : helmValues) {
            file.items().forEach((path, value) -> setPath(values, path, typed(value)));
        }
        return values;
    }

    private static String secretKey(String key) {
        return key.replaceAll("[^-._a-zA-Z0-9]", "_");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @SuppressWarnings("unchecked")
    private static void setPath(Map<String, Object> root, String path, Object value) {
        String[] parts = UNESCAPED_DOT.split(path);
        Map<String, Object> node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            String key = parts[i].replace("\\.", ".");
            Object child = node.get(key);
            if (!(child instanceof Map)) {
                child = new LinkedHashMap<String, Object>();
                node.put(key, child);
            }
            node = (Map<String, Object>) child;
        }
        node.put(parts[parts.length - 1].replace("\\.", "."), value);
    }

    private static Object typed(String value) {
        if (value == null) {
            return null;
        }
        if (INTEGER.matcher(value).matches()) {
            return Long.parseLong(value);
        }
        if (DECIMAL.matcher(value).matches()) {
            return Double.parseDouble(value);
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        return value;
    }

    private String renderWithTimeout(Path chart, ReleaseSpec spec, Map<String, Object> values) {
        Path valuesFile = null;
        try {
            valuesFile = Files.createTempFile("emr-values-", ".yaml",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            YAML.writeValue(valuesFile.toFile(), values);
            Path file = valuesFile;
            Future<String> call = helmThreads.submit(() -> new Helm(chart).template()
                    .withName(spec.releaseName()).withNamespace(spec.namespace()).withValuesFile(file).call());
            String rendered = call.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            TerminationSignals.reclaimOnce();
            return rendered;
        } catch (TimeoutException e) {
            throw new RuntimeFailure(RuntimeFailure.Reason.RENDERER_UNAVAILABLE,
                    "rendering chart " + spec.chart() + " took longer than " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new RuntimeFailure(RuntimeFailure.Reason.RENDER_FAILED,
                    "chart " + spec.chart() + " does not render: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(RuntimeFailure.Reason.RENDERER_UNAVAILABLE, "interrupted while rendering "
                    + spec.chart());
        } catch (IOException e) {
            throw new RuntimeFailure(RuntimeFailure.Reason.RENDERER_UNAVAILABLE, "cannot write values for "
                    + spec.chart(), e);
        } finally {
            deleteQuietly(valuesFile);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<GenericKubernetesResource> parse(String yaml, ReleaseSpec spec) {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        try (MappingIterator<Object> docs = YAML.readerFor(Object.class).readValues(yaml)) {
            while (docs.hasNext()) {
                Object doc = docs.next();
                if (doc instanceof Map<?, ?> map && !map.isEmpty()) {
                    GenericKubernetesResource object = serialization.convertValue(map, GenericKubernetesResource.class);
                    ObjectKind.of(object.getApiVersion(), object.getKind()); // only kinds we know how to manage
                    object.getMetadata().setNamespace(spec.namespace());
                    requireLabels(object, spec);
                    objects.add(object);
                }
            }
        } catch (IOException e) {
            throw new RuntimeFailure(RuntimeFailure.Reason.RENDER_FAILED, "chart " + spec.chart() + " rendered invalid YAML", e);
        } catch (IllegalArgumentException e) {
            throw new RuntimeFailure(RuntimeFailure.Reason.RENDER_FAILED, "chart " + spec.chart() + ": " + e.getMessage(), e);
        }
        objects.sort(Comparator.comparing(o -> ObjectKind.of(o.getApiVersion(), o.getKind())));
        return objects;
    }

    private static void requireLabels(GenericKubernetesResource object, ReleaseSpec spec) {
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels == null || !Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY))
                || !spec.releaseName().equals(labels.get(Labels.INSTANCE))) {
            throw new IllegalArgumentException(object.getKind() + " " + object.getMetadata().getName()
                    + " lacks the labels " + Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE + " and "
                    + Labels.INSTANCE + "=" + spec.releaseName() + " (include emr-common.labels)");
        }
    }

    private static GenericKubernetesResource checkWorkload(List<GenericKubernetesResource> objects, ReleaseSpec spec) {
        List<GenericKubernetesResource> workloads = objects.stream()
                .filter(o -> ObjectKind.of(o.getApiVersion(), o.getKind()).isWorkload()).toList();
        if (workloads.size() != 1 || !workloads.get(0).getKind().equals(spec.kind().kind())
                || !workloads.get(0).getMetadata().getName().equals(spec.releaseName())) {
            throw new RuntimeFailure(RuntimeFailure.Reason.RENDER_FAILED, "chart " + spec.chart()
                    + " must render exactly one " + spec.kind().kind() + " named " + spec.releaseName()
                    + ", rendered " + workloads.stream().map(w -> w.getKind() + " " + w.getMetadata().getName()).toList());
        }
        return workloads.get(0);
    }

    @Override
    public void close() {
        helmThreads.shutdownNow();
    }
}
