package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.catalog.ComponentAction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one codec of RunApplicationAction params: what it writes it reads back, and it reads version 1 rows too. */
class RunActionPayloadReadsEveryStoredVersionTest {
    private static final String SECRET = "s3cr3t-Value";

    /** Exactly what store migration V5 and the servers before PayloadVersion 2 wrote. */
    private static final String VERSION_1 = "{\"ActionName\":\"restart\",\"ApplicationConfigs\":["
            + "{\"ConfigFileName\":\"celeborn-defaults.conf\","
            + "\"ConfigItemKey\":\"celeborn.worker.flusher.buffer.size\",\"ConfigItemValue\":\"512k\"},"
            + "{\"ConfigFileName\":\"__envs__\",\"ConfigItemKey\":\"METRICS_PASSWORD\",\"Secret\":true}]}";

    @Test
    void whatIsEncodedDecodesToTheSamePayloadWithTheSecretValueKeptApart() {
        RunActionPayload payload = new RunActionPayload(ComponentAction.RESTART, List.of(
                new ConfigItem("ray.conf", "worker_replicas", "3"),
                new ConfigItem("__envs__", "DB_PASSWORD", SECRET)));

        RunActionPayload.Encoded encoded = payload.encode();

        assertThat(encoded.params()).doesNotContain(SECRET).contains("\"PayloadVersion\":2")
                .contains("{\"ConfigFileName\":\"__envs__\",\"ConfigItemKey\":\"DB_PASSWORD\",\"Secret\":true}");
        assertThat(encoded.secretValues().byName()).containsExactly(Map.entry("__envs__/DB_PASSWORD", SECRET));
        Map<String, String> stored = encoded.secretValues().byName();
        assertThat(RunActionPayload.decode(encoded.params(), name -> Optional.ofNullable(stored.get(name))))
                .isEqualTo(payload);
    }

    @Test
    void aVersionOneRowOfAnExistingDataDirIsStillRead() {
        RunActionPayload read = RunActionPayload.decode(VERSION_1,
                name -> name.equals("__envs__/METRICS_PASSWORD") ? Optional.of(SECRET) : Optional.empty());

        assertThat(read.action()).isEqualTo(ComponentAction.RESTART);
        assertThat(read.changes()).containsExactly(
                new ConfigItem("celeborn-defaults.conf", "celeborn.worker.flusher.buffer.size", "512k"),
                new ConfigItem("__envs__", "METRICS_PASSWORD", SECRET));
    }

    @Test
    void paramsWithoutChangesAreAnActionAlone() {
        assertThat(RunActionPayload.decode("{\"ActionName\":\"stop\"}", name -> Optional.empty()))
                .isEqualTo(new RunActionPayload(ComponentAction.STOP, List.of()));
    }

    @Test
    void aMissingSecretValueNamesTheItemButNeverAValue() {
        assertThatThrownBy(() -> RunActionPayload.decode(VERSION_1, name -> Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("METRICS_PASSWORD").hasMessageContaining("__envs__")
                .hasMessageNotContaining("512k");
    }

    @Test
    void aNewerVersionOrUnreadableParamsAreRefusedRatherThanGuessed() {
        assertThatThrownBy(() -> RunActionPayload.decode("{\"PayloadVersion\":3,\"ActionName\":\"stop\"}",
                name -> Optional.empty())).isInstanceOf(IllegalStateException.class).hasMessageContaining("version 3");
        assertThatThrownBy(() -> RunActionPayload.decode("not json", name -> Optional.empty()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RunActionPayload.decode("{\"ActionName\":\"explode\"}", name -> Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("explode");
    }
}
