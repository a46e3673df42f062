package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.ComponentSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --registry-prefix mirrors every catalog image under one registry without two images sharing a name. */
class RegistryPrefixKeepsTheUpstreamRegistryAsAPathTest {
    private final ChartRenderer mirrored = new ChartRenderer(Fixtures.renderer().charts(), "cr.example.com/emr/");

    @Test
    void aRegistryHostBecomesThePathBelowThePrefix() {
        assertThat(mirrored.imageFor("quay.io/kuberay/operator:v1.1.1"))
                .isEqualTo("cr.example.com/emr/quay.io/kuberay/operator:v1.1.1");
        assertThat(mirrored.imageFor("ghcr.io/kubeflow/spark-operator:v1beta2-1.4.3-3.5.0"))
                .isEqualTo("cr.example.com/emr/ghcr.io/kubeflow/spark-operator:v1beta2-1.4.3-3.5.0");
    }

    @Test
    void dockerHubReferencesArePrefixedAsWritten() {
        assertThat(mirrored.imageFor("rayproject/ray:2.39.0")).isEqualTo("cr.example.com/emr/rayproject/ray:2.39.0");
        assertThat(mirrored.imageFor("zookeeper:3.7.1")).isEqualTo("cr.example.com/emr/zookeeper:3.7.1");
    }

    @Test
    void everyBundledImageMapsToItsOwnMirroredName() {
        List<String> images = Catalog.loadBundled().releases().stream()
                .flatMap(r -> r.applications().stream()).flatMap(a -> a.components().stream())
                .map(ComponentSpec::image).distinct().toList();

        List<String> mirroredImages = images.stream().map(mirrored::imageFor).distinct().toList();

        assertThat(mirroredImages).hasSameSizeAs(images)
                .allSatisfy(i -> assertThat(i).startsWith("cr.example.com/emr/"));
    }

    @Test
    void withoutAPrefixThePodRunsTheUpstreamReference() {
        ChartRenderer upstream = new ChartRenderer(Fixtures.renderer().charts(), "");

        assertThat(upstream.imageFor("quay.io/kuberay/operator:v1.1.1")).isEqualTo("quay.io/kuberay/operator:v1.1.1");
    }
}
