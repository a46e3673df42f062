package io.emrvke.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the store key is found: {@code EMR_VKE_STORE_KEY} (base64) when set, else the key file
 * {@code <data-dir>/store.key}, which is created (0600) when the store has no key yet. The file sits
 * next to the {@code store/} folder, not in it, so that a copy of the database alone reveals no secret.
 *
 * @param environmentValue the variable's value, or null
 * @param file             the key file, or null when there is no data directory (then only the variable)
 */
public record KeySource(String environmentValue, Path file) {
    public static final String ENV = "EMR_VKE_STORE_KEY";
    public static final String FILE_NAME = "store.key";
    private static final Logger log = LoggerFactory.getLogger(KeySource.class);
    private static final String FILE_ENTRY = ENV + "=";

    public KeySource {
        environmentValue = environmentValue == null || environmentValue.isBlank() ? null : environmentValue;
    }

    /** The variable from {@code env}, else the key file of {@code dataDir} (null: none). */
    public static KeySource of(Path dataDir, Map<String, String> env) {
        return new KeySource(env.get(ENV), dataDir == null ? null : dataDir.resolve(FILE_NAME));
    }

    /**
     * The key given: the variable, else the key file when it exists.
     *
     * @throws IllegalArgumentException when the one given is not a key (the message names it, never its text)
     */
    public Optional<StoreKey> given() {
        if (environmentValue != null) {
            return Optional.of(StoreKey.parse(environmentValue, ENV));
        }
        if (file != null && Files.exists(file)) {
            return Optional.of(StoreKey.parse(readFile(), "the key file " + file));
        }
        return Optional.empty();
    }

    /** A new key, written to the key file (0600) before any secret is sealed with it. */
    public StoreKey createFile() {
        if (file == null) {
            throw new IllegalStateException("no key file to create");
        }
        StoreKey key = StoreKey.generate("the key file " + file);
        String text = "# emr-vke store key: decrypts the secrets in the store. Keep it private, back it up"
                + " apart from the store,\n# and give it to every server sharing the store (this file or "
                + ENV + ").\n" + FILE_ENTRY + key.encoded() + "\n";
        try {
            PrivateFiles.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the store key file " + file + ": " + e.getMessage(), e);
        }
        log.info("Generated the store key {} in {} (keep it: without it the store's secrets cannot be read)",
                key.id(), file);
        return key;
    }

    private String readFile() {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.trim();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    return trimmed.startsWith(FILE_ENTRY) ? trimmed.substring(FILE_ENTRY.length()) : trimmed;
                }
            }
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the store key file " + file + ": " + e.getMessage(), e);
        }
    }
}
