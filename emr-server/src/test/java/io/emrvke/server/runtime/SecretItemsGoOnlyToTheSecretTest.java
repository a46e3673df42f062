package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretItemsGoOnlyToTheSecretTest {
    @Test
    @SuppressWarnings("unchecked")
    void secretFileItemsAndSecretEnvVarsLandInTheSecretAndNowhereElse() {
        RenderedRelease rendered = Fixtures.renderer().render(Fixtures.deployment("shs-s", List.of(
                Fixtures.file("spark-defaults.conf", ConfigFormat.PROPERTIES, Map.of(
                        "spark.hadoop.fs.s3a.secret.key", "s3-very-secret",
                        "spark.hadoop.fs.s3a.endpoint", "tos-s3.example.com")),
                Fixtures.file("__envs__", ConfigFormat.ENV, Map.of(
                        "DB_PASSWORD", "hunter2-pw", "LOG_LEVEL", "DEBUG")))));

        GenericKubernetesResource secret = rendered.find(ObjectKind.SECRET, "shs-s-secret").orElseThrow();
        Map<String, String> data = (Map<String, String>) secret.getAdditionalProperties().get("data");
        assertThat(decoded(data)).containsEntry("spark.hadoop.fs.s3a.secret.key", "s3-very-secret")
                .containsEntry("DB_PASSWORD", "hunter2-pw");

        for (GenericKubernetesResource object : rendered.objects()) {
            if (!object.getKind().equals("Secret")) {
                String json = object.toString() + object.getAdditionalProperties();
                assertThat(json).as(object.getKind()).doesNotContain("s3-very-secret").doesNotContain("hunter2-pw");
            }
        }
        assertThat(ConfigFilesRenderInTheirOwnFormatTest.configData(rendered, "shs-s").get("spark-defaults.conf"))
                .isEqualTo("spark.hadoop.fs.s3a.endpoint tos-s3.example.com\n");

        Map<String, Object> container = ((List<Map<String, Object>>) ((Map<String, Object>) PodTemplates
                .of(rendered.workload()).get(0).get("spec")).get("containers")).get(0);
        assertThat((List<Map<String, Object>>) container.get("env")).containsExactlyInAnyOrder(
                Map.of("name", "LOG_LEVEL", "value", "DEBUG"),
                Map.of("name", "DB_PASSWORD", "valueFrom",
                        Map.of("secretKeyRef", Map.of("name", "shs-s-secret", "key", "DB_PASSWORD"))));
    }

    @Test
    void noSecretIsRenderedWithoutSecretItems() {
        RenderedRelease rendered = Fixtures.renderer().render(Fixtures.deployment("shs-n", List.of(
                Fixtures.file("__envs__", ConfigFormat.ENV, Map.of("LOG_LEVEL", "DEBUG")))));

        assertThat(rendered.find(ObjectKind.SECRET, "shs-n-secret")).isEmpty();
    }

    private static Map<String, String> decoded(Map<String, String> data) {
        Map<String, String> out = new java.util.TreeMap<>();
        data.forEach((k, v) -> out.put(k, new String(java.util.Base64.getDecoder().decode(v),
                java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }
}
