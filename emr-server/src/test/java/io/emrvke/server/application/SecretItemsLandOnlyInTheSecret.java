package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.emrvke.server.runtime.ObjectKind;
import io.emrvke.server.runtime.ReleaseSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secret config items reach the Secret and no other object: one body for both targets. */
abstract class SecretItemsLandOnlyInTheSecret extends RunsOnEitherTarget {
    private static final String FILE_SECRET = "s3cr3t-in-file-91";
    private static final String ENV_SECRET = "s3cr3t-in-env-37";

    SecretItemsLandOnlyInTheSecret() {
        super("emr-e2e-secret");
    }

    /** From {@code data}: an API server never returns {@code stringData} (it is write-only, merged into data). */
    private static String decoded(Secret secret, String key) {
        assertThat(secret.getStringData()).as("stringData of a Secret read back").isNullOrEmpty();
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    @Test
    void secretFileAndEnvItemsGoToTheSecretAndNowhereElse() {
        ReleaseSpec spec = target.deploy(RuntimeTarget.spec(ns, "hms-x1", "Hive", "HiveMetastore", Map.of(
                "hive-site.xml", Map.of("javax.jdo.option.ConnectionPassword", FILE_SECRET),
                "__envs__", Map.of("DB_PASSWORD", ENV_SECRET))));

        Secret secret = target.client.secrets().inNamespace(ns).withName("hms-x1-secret").get();
        assertThat(decoded(secret, "javax.jdo.option.ConnectionPassword")).isEqualTo(FILE_SECRET);
        assertThat(decoded(secret, "DB_PASSWORD")).isEqualTo(ENV_SECRET);

        var configMap = target.client.configMaps().inNamespace(ns).withName("hms-x1-config").get();
        assertThat(configMap.getData().toString()).doesNotContain(FILE_SECRET).doesNotContain(ENV_SECRET)
                .doesNotContain("ConnectionPassword").contains("hive.metastore.port");
        String deployment = target.client.getKubernetesSerialization()
                .asJson(target.get(ObjectKind.of(WorkloadKind.DEPLOYMENT), ns, "hms-x1"));
        assertThat(deployment).doesNotContain(FILE_SECRET).doesNotContain(ENV_SECRET);
        var pod = target.pods(spec.ref()).get(0);
        assertThat(target.client.getKubernetesSerialization().asJson(pod)).doesNotContain(FILE_SECRET).doesNotContain(ENV_SECRET);
        EnvVar password = pod.getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("DB_PASSWORD")).findFirst().orElseThrow();
        assertThat(password.getValue()).isNull();
        assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hms-x1-secret");
        assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("DB_PASSWORD");
    }
}
