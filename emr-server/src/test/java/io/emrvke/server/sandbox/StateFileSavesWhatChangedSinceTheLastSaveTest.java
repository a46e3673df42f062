package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file keeps each unchanged object's JSON between saves; what changed must still reach the file. */
class StateFileSavesWhatChangedSinceTheLastSaveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void replacedAndReversionedObjectsAreSavedAsTheyAreNowAndRemovedOnesAreGone() throws Exception {
        StateFile file = new StateFile(dir.resolve(SandboxConfig.STATE_FILE), JSON);
        ObjectNode replaced = object("replaced", "1", "before");
        ObjectNode reversioned = object("reversioned", "1", "before");
        ObjectNode unchanged = object("unchanged", "1", "same");
        ObjectNode removed = object("removed", "1", "gone soon");
        file.save(new StateFile.State(List.of(replaced, reversioned, unchanged, removed), "token", null, null));

        ObjectNode replacement = object("replaced", "2", "after");
        reversioned.put("data", "after");
        ((ObjectNode) reversioned.get("metadata")).put("resourceVersion", "3");
        file.save(new StateFile.State(List.of(replacement, reversioned, unchanged), "token", "key", "cert"));

        StateFile.State loaded = new StateFile(dir.resolve(SandboxConfig.STATE_FILE), JSON).load();
        assertThat(loaded.objects()).containsExactly(replacement, reversioned, unchanged);
        assertThat(loaded.objects()).extracting(o -> o.path("data").asText()).containsExactly("after", "after", "same");
        assertThat(loaded.token()).isEqualTo("token");
        assertThat(loaded.tlsKey()).isEqualTo("key");
        assertThat(loaded.tlsCertificate()).isEqualTo("cert");
    }

    private static ObjectNode object(String name, String resourceVersion, String data) {
        ObjectNode o = JSON.createObjectNode().put("kind", "ConfigMap");
        o.putObject("metadata").put("name", name).put("resourceVersion", resourceVersion);
        o.put("data", data);
        return o;
    }
}
