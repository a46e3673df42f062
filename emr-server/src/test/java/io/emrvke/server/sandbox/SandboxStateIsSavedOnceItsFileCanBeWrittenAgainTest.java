package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.client;
import static io.emrvke.server.sandbox.SandboxTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox cannot write its state file for a while (as on a full disk): once it can again, the
 * objects created meanwhile reach the file without any further change, so a restart finds them.
 */
class SandboxStateIsSavedOnceItsFileCanBeWrittenAgainTest {
    @TempDir
    Path dataDir;

    @Test
    void objectsCreatedWhileTheFileCouldNotBeWrittenAreSavedAfterwards() throws Exception {
        Path state = dataDir.resolve(SandboxConfig.STATE_FILE);
        // a folder where the temporary file of each save goes: every save fails, as on a full disk
        Path blocker = state.resolveSibling(state.getFileName() + ".tmp");
        Files.createDirectories(blocker.resolve("in-the-way"));
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.persistent(dataDir, 0, SandboxTestSupport.POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("made-while-failing").endMetadata().addToData("k", "v").build()).create();
            Thread.sleep(2 * SandboxConfig.DEFAULT_SNAPSHOT_DELAY_MS);
            assertThat(state).as("not saved while the file cannot be written").doesNotExist();

            // one rename takes the whole folder away: a save retried meanwhile either fails as before or works,
            // whereas deleting its content first let a retry empty it and race the test's own delete
            Files.move(blocker, dataDir.resolve("moved-away"), StandardCopyOption.ATOMIC_MOVE);

            eventually(Duration.ofSeconds(10), "the state file holds the ConfigMap", () ->
                    Files.exists(state) && read(state).contains("made-while-failing"));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
