package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A --kubeconfig that cannot name a cluster is refused at start with one line that says why and what to do. */
class UnusableKubeconfigIsRefusedWithTheReasonTest {
    @TempDir
    Path dir;
    private final TargetRegistry targets = new TargetRegistry(Fixtures.renderer());

    @AfterEach
    void close() {
        targets.close();
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.kubeconfig");
        assertThatThrownBy(() -> targets.register("prod", missing, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--kubeconfig " + missing + ": file not found or not readable");
    }

    @Test
    void anEmptyFileSaysSo() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> targets.register("prod", empty, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--kubeconfig " + empty + ": the file is empty");
    }

    @Test
    void yamlThatDoesNotParseGivesTheParsersFirstLineOnly() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken"), "garbage: [\n");
        assertThatThrownBy(() -> targets.register("prod", broken, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--kubeconfig " + broken + ": not a readable kubeconfig (")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aFileWithoutACurrentContextAsksForOne() throws Exception {
        Path noContext = Files.writeString(dir.resolve("no-context"), "apiVersion: v1\nkind: Config\nclusters: []\n");
        assertThatThrownBy(() -> targets.register("prod", noContext, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no current-context")
                .hasMessageContaining("--kubeconfig " + noContext + "#CONTEXT");
    }

    @Test
    void anUnknownContextIsNamed() throws Exception {
        Path one = Files.writeString(dir.resolve("one"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: ctx, context: {cluster: c, user: u}}]
                current-context: ctx
                """);
        assertThatThrownBy(() -> targets.register("prod", one, "other"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#other");
    }
}
