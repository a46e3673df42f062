package io.emrvke.server.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small catalog directories for tests. */
public final class TestCatalogs {
    static final String VALID_RELEASE = """
            releaseVersion: TEST-1.0.0
            applications:
              - name: Base
                version: "1.0"
                configFiles:
                  - name: base.conf
                    format: properties
                    defaults:
                      base.port: "8080"
                  - name: __envs__
                    format: env
                components:
                  - name: BaseServer
                    workloadKind: Deployment
                    chart: base-server
                    image: "x/base:1.0"
                    replicas: 1
                    supportedActions: [start, stop, restart]
                    configFiles: [base.conf, __envs__]
              - name: Top
                version: "2.0"
                dependsOn: [Base]
                configFiles:
                  - name: __envs__
                    format: env
                components:
                  - name: TopServer
                    workloadKind: StatefulSet
                    chart: top-server
                    image: "x/top:2.0"
                    replicas: 3
                    supportedActions: [start, restart]
                    configFiles: [__envs__]
            """;

    private TestCatalogs() {
    }

    /** A catalog directory with one release file per {@code version → text} pair, listed in that order. */
    public static Path write(Path dir, String... versionAndText) {
        try {
            Files.createDirectories(dir.resolve("releases"));
            StringBuilder index = new StringBuilder("releases:\n");
            for (int i = 0; i < versionAndText.length; i += 2) {
                index.append("  - ").append(versionAndText[i]).append('\n');
                Files.writeString(dir.resolve("releases/" + versionAndText[i] + ".yaml"), versionAndText[i + 1]);
            }
            Files.writeString(dir.resolve("index.yaml"), index.toString());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
