package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emrvke.server.api.InstanceActions;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.ConfigFileSpec;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.runtime.NodePlacement;
import io.emrvke.server.runtime.ObjectValidation;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RenderedRelease;
import io.emrvke.server.sandbox.admission.Admission;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every component of every bundled release, with its catalog defaults, a secret env item, the longest release
 * name an instance may have and a cluster on two node pools, renders objects a real API server accepts: the
 * request-time and apply-time checks never refuse what the catalog itself ships, and neither does the sandbox's
 * API server.
 */
class EveryCatalogComponentRendersObjectsKubernetesAcceptsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONGEST_RELEASE_NAME = "r".repeat(InstanceActions.MAX_RELEASE_NAME);

    static Stream<Arguments> components() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (Release release : Catalog.loadBundled().releases()) {
            for (ApplicationSpec app : release.applications()) {
                for (ComponentSpec component : app.components()) {
                    out.add(Arguments.of(release.version(), app, component));
                }
            }
        }
        return out.build();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("components")
    void catalogDefaultsRenderObjectsKubernetesAccepts(String release, ApplicationSpec app, ComponentSpec component) {
        Map<String, Map<String, String>> items = new LinkedHashMap<>();
        if (app.configFilesOf(component).stream().map(ConfigFileSpec::name).anyMatch("__envs__"::equals)) {
            items.put("__envs__", Map.of("SERVICE_PASSWORD", "pw"));
        }
        ReleaseSpec spec = ReleaseSpecs.forInstance("emr-c1ab", "emr-c1ab", LONGEST_RELEASE_NAME, app, component,
                items, new NodePlacement("emr-vke.io/node-pool", List.of("np-big-data", "np-ray")));

        RenderedRelease rendered = RuntimeFixtures.renderer().render(spec);
        List<ObjectValidation.Violation> violations = ObjectValidation.violations(rendered);

        assertThat(violations).extracting(ObjectValidation.Violation::describe).isEmpty();
        for (GenericKubernetesResource object : rendered.objects()) {
            JsonNode json = JSON.valueToTree(object);
            assertThat(Admission.refusal(json, null)).as("the sandbox's API server refuses %s %s",
                    object.getKind(), object.getMetadata().getName()).isEmpty();
        }
    }
}
