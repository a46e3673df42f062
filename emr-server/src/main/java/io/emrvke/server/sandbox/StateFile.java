package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.server.store.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's objects, API token and TLS identity on disk: one JSON document, 0600, replaced atomically
 * (temp file + rename). Token and TLS identity are kept so kubeconfigs written before a restart still work
 * after it.
 */
final class StateFile {
    private static final int FORMAT = 1;
    private final Path file;
    private final ObjectMapper json;

    /**
     * What the file holds: the objects, the API token and the TLS key and certificate (base64 PKCS#8 and
     * DER); those three are null when the file was written before the sandbox had them.
     */
    record State(List<JsonNode> objects, String token, String tlsKey, String tlsCertificate) {
    }

    StateFile(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
    }

    Path path() {
        return file;
    }

    State load() throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        if (!Files.exists(file)) {
            return new State(objects, null, null, null);
        }
        JsonNode doc = json.readTree(file.toFile());
        if (doc.path("format").asInt() != FORMAT) {
            throw new IOException(file + ": unknown sandbox state format " + doc.path("format"));
        }
        doc.path("objects").forEach(objects::add);
        return new State(objects, text(doc.path("token")), text(doc.path("tls").path("key")),
                text(doc.path("tls").path("certificate")));
    }

    private static String text(JsonNode n) {
        return n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    void save(State state) throws IOException {
        ObjectNode doc = json.createObjectNode().put("format", FORMAT).put("token", state.token());
        doc.putObject("tls").put("key", state.tlsKey()).put("certificate", state.tlsCertificate());
        List<JsonNode> objects = state.objects();
        doc.putArray("objects").addAll(objects);
        // owner-only, like everything in the data dir: the state holds the clusters' Secrets, token and TLS key
        PrivateFiles.write(file, json.writeValueAsBytes(doc));
    }
}
