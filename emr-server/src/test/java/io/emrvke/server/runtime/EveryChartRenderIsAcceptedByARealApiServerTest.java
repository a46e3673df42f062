package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.emrvke.server.application.ReleaseSpecs;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.ConfigFileSpec;
import io.emrvke.server.catalog.Release;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every object every chart of the newest release renders, with the catalog defaults and with each documented
 * config item set, is accepted by a real API server with strict field validation (server-side dry run: nothing
 * is created but a scratch namespace and the operators' CRDs emr-vke would install anyway); so are the CRD
 * files the charts carry. Runs against the admin kubeconfig in EMR_VKE_REALK8S_KUBECONFIG; without it the test
 * is skipped with the reason, and fails instead under CI=true when EMR_VKE_REALK8S_REQUIRED=1.
 */
@Tag("realk8s")
class EveryChartRenderIsAcceptedByARealApiServerTest {
    private static final Pattern LEADING_NUMBER = Pattern.compile("([0-9]+)(.*)");
    private static final String NODE_POOL_LABEL = "sandbox.emr-vke.io/node-pool";
    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void connect() throws IOException {
        String kubeconfig = System.getenv("EMR_VKE_REALK8S_KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isBlank()) {
            String reason = "EMR_VKE_REALK8S_KUBECONFIG is not set: no real API server to validate the charts "
                    + "against (start one with e2e/realk8s/cluster up)";
            if ("true".equals(System.getenv("CI")) && "1".equals(System.getenv("EMR_VKE_REALK8S_REQUIRED"))) {
                fail(reason + ", but EMR_VKE_REALK8S_REQUIRED=1 under CI");
            }
            System.out.println("SKIPPED EveryChartRenderIsAcceptedByARealApiServerTest: " + reason);
            Assumptions.abort(reason);
        }
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Path.of(kubeconfig)))).build();
        namespace = "emr-vke-strict-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                .build()).create();
    }

    @AfterAll
    static void cleanUp() {
        if (client != null) {
            client.namespaces().withName(namespace).delete();
            client.close();
        }
    }

    @Test
    void strictValidationIsReallyOnAndRefusesAnUnknownField() {
        var configMap = new ConfigMapBuilder().withNewMetadata().withName("strict-probe").endMetadata().build();
        configMap.getAdditionalProperties().put("unknownField", "x");

        assertThatThrownBy(() -> client.configMaps().inNamespace(namespace).resource(configMap).dryRun()
                .fieldValidation(Validation.STRICT).create())
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining("unknownField");
    }

    @Test
    void everyCrdFileTheChartsCarryIsAcceptedAsADefinition() {
        List<String> refused = new ArrayList<>();
        ChartRepository charts = Fixtures.renderer().charts();
        for (String chart : charts.chartNames()) {
            for (ChartCrds.Definition definition : charts.crds(chart).definitions()) {
                GenericKubernetesResource renamed = underScratchGroup(definition.object());
                try {
                    client.genericKubernetesResources(CrdInstaller.CRD).resource(renamed).dryRun()
                            .fieldValidation(Validation.STRICT).create();
                } catch (KubernetesClientException e) {
                    refused.add(chart + " " + definition.name() + ": " + e.getMessage());
                }
            }
        }
        assertThat(refused).isEmpty();
    }

    @Test
    void everyObjectOfEveryChartIsAcceptedWithDefaultsAndWithEachDocumentedItemSet() {
        Release newest = Catalog.loadBundled().releases().get(0);
        ChartRenderer renderer = new ChartRenderer(Fixtures.renderer().charts(), "");
        List<String> refused = new ArrayList<>();
        int accepted = 0;
        for (ApplicationSpec app : newest.applications()) {
            for (ComponentSpec component : app.components()) {
                installCrds(renderer, component.chart());
                for (var variant : variants(app, component).entrySet()) {
                    ReleaseSpec spec = ReleaseSpecs.forInstance("emr-strict", namespace, component.chart() + "-s1",
                            app, component, variant.getValue(),
                            new NodePlacement(NODE_POOL_LABEL, List.of("pool-a", "pool-b")));
                    for (GenericKubernetesResource object : renderer.render(spec).objects()) {
                        String refusal = dryRunCreate(object);
                        if (refusal == null) {
                            accepted++;
                        } else {
                            refused.add(component.name() + " [" + variant.getKey() + "] " + object.getKind() + " "
                                    + object.getMetadata().getName() + ": " + refusal);
                        }
                    }
                }
            }
        }
        System.out.println("strict dry run: " + accepted + " objects accepted, " + refused.size() + " refused");
        assertThat(refused).isEmpty();
        assertThat(accepted).isGreaterThan(newest.applications().size() * 3);
    }

    /** The chart's CRDs as emr-vke would install them (an administrator's own stay as they are). */
    private static void installCrds(ChartRenderer renderer, String chart) {
        ChartCrds crds = renderer.charts().crds(chart);
        if (!crds.isEmpty()) {
            new CrdInstaller("real", client, Retry.defaults(), Duration.ofSeconds(60)).ensure(crds);
        }
    }

    private static String dryRunCreate(GenericKubernetesResource object) {
        ObjectKind kind = ObjectKind.of(object.getApiVersion(), object.getKind());
        try {
            client.genericKubernetesResources(kind.context()).inNamespace(namespace).resource(object).dryRun()
                    .fieldValidation(Validation.STRICT).create();
            return null;
        } catch (KubernetesClientException e) {
            return e.getMessage();
        }
    }

    /** Catalog defaults, then each item of each file the component mounts changed on its own, then a secret. */
    private static Map<String, Map<String, Map<String, String>>> variants(ApplicationSpec app,
                                                                          ComponentSpec component) {
        Map<String, Map<String, Map<String, String>>> variants = new LinkedHashMap<>();
        variants.put("defaults", Map.of());
        for (ConfigFileSpec file : app.configFilesOf(component)) {
            file.defaults().forEach((key, value) ->
                    variants.put(file.name() + " " + key + "=" + changed(value), Map.of(file.name(),
                            Map.of(key, changed(value)))));
        }
        variants.put("__envs__ ve_secret_key", Map.of("__envs__", Map.of("ve_secret_key", "not-a-real-secret")));
        return variants;
    }

    /** Another valid value of the same shape: a number (with its unit) one higher, a flipped flag, a longer text. */
    private static String changed(String value) {
        Matcher number = LEADING_NUMBER.matcher(value);
        if (number.matches()) {
            return (Long.parseLong(number.group(1)) + 1) + number.group(2);
        }
        if (value.equals("true") || value.equals("false")) {
            return String.valueOf(!Boolean.parseBoolean(value));
        }
        return value + "-changed \"quoted\" & <escaped>";
    }

    /** The definition under group {@code strict-check.<group>}: a dry run that cannot clash with the real one. */
    @SuppressWarnings("unchecked")
    private static GenericKubernetesResource underScratchGroup(GenericKubernetesResource crd) {
        GenericKubernetesResource copy = client.getKubernetesSerialization().clone(crd);
        Map<String, Object> spec = (Map<String, Object>) copy.getAdditionalProperties().get("spec");
        String group = "strict-check." + spec.get("group");
        spec.put("group", group);
        copy.getMetadata().setName(((Map<String, Object>) spec.get("names")).get("plural") + "." + group);
        return copy;
    }
}
