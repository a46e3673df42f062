package io.emrvke.server.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs on one target the CRDs a chart carries, before the chart's objects are applied. CRDs are
 * cluster-scoped and shared by every virtual cluster on the target, so: created when missing; upgraded only when
 * the chart's operator version is newer than the one recorded on the live definition (an older release never
 * downgrades what a newer one installed); never deleted; and a definition emr-vke did not install (an
 * administrator's) is left as it is. Each definition is checked once per version and content for the life of
 * the runtime, then waited for until the API server serves its kinds.
 */
final class CrdInstaller {
    private static final Logger log = LoggerFactory.getLogger(CrdInstaller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceDefinitionContext CRD = new ResourceDefinitionContext.Builder()
            .withGroup("apiextensions.k8s.io").withVersion("v1").withKind("CustomResourceDefinition")
            .withPlural("customresourcedefinitions").withNamespaced(false).build();
    private static final int MAX_CONFLICTS = 5;

    enum Outcome { CREATED, UPGRADED, CURRENT, NEWER_KEPT, NOT_OURS, UNREADABLE }

    private final String targetName;
    private final KubernetesClient client;
    private final Retry retry;
    private final Duration servedTimeout;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();

    CrdInstaller(String targetName, KubernetesClient client, Retry retry, Duration servedTimeout) {
        this.targetName = targetName;
        this.client = client;
        this.retry = retry;
        this.servedTimeout = servedTimeout;
    }

    /** Makes every CRD of the chart present and served; returns what was done to each (by name). */
    Map<String, Outcome> ensure(ChartCrds crds) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (ChartCrds.Definition definition : crds.definitions()) {
            String key = definition.name() + "@" + crds.version() + "#" + definition.hash();
            if (ensured.contains(key)) {
                continue;
            }
            Outcome outcome = installOrUpgrade(crds, definition);
            if (outcome != Outcome.CURRENT) {
                log.info("target {}: CRD {} of chart {} {}: {}", targetName, definition.name(), crds.chart(),
                        crds.version(), outcome);
            }
            switch (outcome) {
                case UNREADABLE -> requireServed(crds, definition);
                case NOT_OURS -> { } // the administrator's definition, served with the versions they chose
                default -> awaitServed(crds, definition);
            }
            ensured.add(key);
            outcomes.put(definition.name(), outcome);
        }
        return outcomes;
    }

    private Outcome installOrUpgrade(ChartCrds crds, ChartCrds.Definition definition) {
        String name = definition.name();
        GenericKubernetesResource desired = stamped(crds, definition);
        for (int attempt = 1; ; attempt++) {
            GenericKubernetesResource live;
            try {
                live = retry.call("get CRD " + name, () -> client.genericKubernetesResources(CRD).withName(name).get());
            } catch (RuntimeFailure e) {
                if (isForbidden(e)) {
                    return Outcome.UNREADABLE; // an administrator manages CRDs; awaitServed says whether they did
                }
                throw e;
            }
            try {
                Outcome decided = decide(crds, definition, live);
                if (decided == Outcome.CREATED) {
                    write("create", name, () -> client.genericKubernetesResources(CRD).resource(desired)
                            .fieldValidation(Validation.STRICT).create());
                } else if (decided == Outcome.UPGRADED) {
                    GenericKubernetesResource update = client.getKubernetesSerialization().clone(desired);
                    update.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
                    write("upgrade", name, () -> client.genericKubernetesResources(CRD).resource(update)
                            .fieldValidation(Validation.STRICT).update());
                }
                return decided;
            } catch (RuntimeFailure e) {
                if (!KubernetesRuntime.isConflict(e) || attempt >= MAX_CONFLICTS) {
                    throw e;
                }
                // another server created or upgraded it in between: look again
            }
        }
    }

    private static Outcome decide(ChartCrds crds, ChartCrds.Definition definition, GenericKubernetesResource live) {
        if (live == null) {
            return Outcome.CREATED;
        }
        if (!Labels.MANAGED_BY_VALUE.equals(ObjectFields.label(live, Labels.MANAGED_BY))) {
            return Outcome.NOT_OURS;
        }
        int newer = ChartCrds.compareVersions(crds.version(), ObjectFields.annotation(live, Labels.CRD_VERSION));
        if (newer < 0) {
            return Outcome.NEWER_KEPT;
        }
        if (newer == 0 && definition.hash().equals(ObjectFields.annotation(live, Labels.APPLIED_HASH))) {
            return Outcome.CURRENT;
        }
        return Outcome.UPGRADED;
    }

    private void write(String verb, String name, Runnable call) {
        try {
            retry.run(verb + " CRD " + name, call);
        } catch (RuntimeFailure e) {
            if (isForbidden(e)) {
                throw new RuntimeFailure(RuntimeFailure.Reason.MISSING_CRD, "target " + targetName + " does not let "
                        + "emr-vke " + verb + " CRD " + name + " (" + e.getMessage() + "): grant it create, get and "
                        + "update on customresourcedefinitions, or install the CRD yourself", e);
            }
            throw e;
        }
    }

    /** The definition as installed: marked as emr-vke's, with the operator version and content it came from. */
    private GenericKubernetesResource stamped(ChartCrds crds, ChartCrds.Definition definition) {
        GenericKubernetesResource crd = client.getKubernetesSerialization().clone(definition.object());
        Map<String, String> labels = new LinkedHashMap<>(crd.getMetadata().getLabels() == null
                ? Map.of() : crd.getMetadata().getLabels());
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        crd.getMetadata().setLabels(labels);
        Map<String, String> annotations = new LinkedHashMap<>(crd.getMetadata().getAnnotations() == null
                ? Map.of() : crd.getMetadata().getAnnotations());
        annotations.put(Labels.CRD_CHART, crds.chart());
        annotations.put(Labels.CRD_VERSION, crds.version());
        annotations.put(Labels.APPLIED_HASH, definition.hash());
        crd.getMetadata().setAnnotations(annotations);
        crd.getAdditionalProperties().remove("status");
        return crd;
    }

    /** Waits until the API server's discovery lists every served version of the definition's kind. */
    /** Without the right to read CRDs only discovery tells whether an administrator installed them. */
    private void requireServed(ChartCrds crds, ChartCrds.Definition definition) {
        List<String> missing = unservedVersions(definition);
        if (!missing.isEmpty()) {
            throw new RuntimeFailure(RuntimeFailure.Reason.MISSING_CRD, "target " + targetName + " does not serve "
                    + String.join(", ", missing) + " and does not let emr-vke read CRD " + definition.name()
                    + ": install the CRDs of chart " + crds.chart() + " (its crds/ folder) or grant emr-vke get, "
                    + "create and update on customresourcedefinitions");
        }
    }

    private void awaitServed(ChartCrds crds, ChartCrds.Definition definition) {
        long deadline = System.nanoTime() + servedTimeout.toNanos();
        List<String> missing = unservedVersions(definition);
        while (!missing.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new RuntimeFailure(RuntimeFailure.Reason.MISSING_CRD, "target " + targetName + " does not serve "
                        + String.join(", ", missing) + " of CRD " + definition.name() + " (chart " + crds.chart()
                        + ") " + servedTimeout.toSeconds() + " s after it was installed");
            }
            sleepBriefly();
            missing = unservedVersions(definition);
        }
    }

    /** The {@code group/version} paths of the definition's served versions that discovery does not list yet. */
    private List<String> unservedVersions(ChartCrds.Definition definition) {
        Map<String, Object> spec = PodTemplates.spec(definition.object());
        String group = String.valueOf(spec.get("group"));
        String plural = String.valueOf(((Map<?, ?>) spec.get("names")).get("plural"));
        List<String> missing = new ArrayList<>();
        for (Object v : (List<?>) spec.get("versions")) {
            Map<?, ?> version = (Map<?, ?>) v;
            if (!Boolean.FALSE.equals(version.get("served"))) {
                String path = group + "/" + version.get("name");
                if (!discoveryLists(path, plural)) {
                    missing.add(plural + "." + path);
                }
            }
        }
        return missing;
    }

    private boolean discoveryLists(String groupVersion, String plural) {
        String body = retry.call("discover " + groupVersion, () -> {
            try {
                return client.raw("/apis/" + groupVersion);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404 || e.getCode() == 503) {
                    return null; // not served (yet)
                }
                throw e;
            }
        });
        if (body == null) {
            return false;
        }
        try {
            for (JsonNode resource : JSON.readTree(body).path("resources")) {
                if (plural.equals(resource.path("name").asText())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(RuntimeFailure.Reason.TIMEOUT, "interrupted while waiting for CRDs to be served");
        }
    }

    private static boolean isForbidden(RuntimeFailure e) {
        return e.getCause() instanceof KubernetesClientException k && k.getCode() == 403;
    }
}
