package io.emrvke.server.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where catalog files come from: the jar's resources or a directory with the same layout. */
interface CatalogSource {

    /** For messages, e.g. {@code bundled catalog} or {@code catalog directory /etc/emr-vke/catalog}. */
    String label();

    /** The text of a file given relative to the catalog root, empty when there is no such file. */
    Optional<String> read(String relativePath);

    /** The charts folder of this source on the file system, if it has one. */
    Optional<Path> chartsDirectory();

    static CatalogSource bundled() {
        return new CatalogSource() {
            @Override
            public String label() {
                return "bundled catalog";
            }

            @Override
            public Optional<String> read(String relativePath) {
                try (InputStream in = Catalog.class.getClassLoader().getResourceAsStream("catalog/" + relativePath)) {
                    return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Optional<Path> chartsDirectory() {
                // The bundled charts are resources; the runtime extracts them itself.
                return Optional.empty();
            }
        };
    }

    static CatalogSource directory(Path root) {
        if (!Files.isDirectory(root)) {
            throw new CatalogException("Catalog directory " + root + " does not exist or is not a directory.");
        }
        return new CatalogSource() {
            @Override
            public String label() {
                return "catalog directory " + root;
            }

            @Override
            public Optional<String> read(String relativePath) {
                Path file = root.resolve(relativePath);
                if (!Files.isRegularFile(file)) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new CatalogException("Cannot read " + file + ": " + e.getMessage(), e);
                }
            }

            @Override
            public Optional<Path> chartsDirectory() {
                Path charts = root.resolve("charts");
                return Files.isDirectory(charts) ? Optional.of(charts) : Optional.empty();
            }
        };
    }
}
