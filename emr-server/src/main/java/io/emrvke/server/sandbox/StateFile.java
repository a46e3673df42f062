package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.server.store.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The sandbox's objects on disk: one JSON document, 0600, replaced atomically (temp file + rename). */
final class StateFile {
    private static final int FORMAT = 1;
    private final Path file;
    private final ObjectMapper json;

    StateFile(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
    }

    Path path() {
        return file;
    }

    List<JsonNode> load() throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        if (!Files.exists(file)) {
            return objects;
        }
        JsonNode doc = json.readTree(file.toFile());
        if (doc.path("format").asInt() != FORMAT) {
            throw new IOException(file + ": unknown sandbox state format " + doc.path("format"));
        }
        doc.path("objects").forEach(objects::add);
        return objects;
    }

    void save(List<String> objects) throws IOException {
        ObjectNode doc = json.createObjectNode().put("format", FORMAT);
        ArrayNode list = doc.putArray("objects");
        for (String o : objects) {
            list.add(json.readTree(o));
        }
        // owner-only, like everything in the data dir: the state holds the clusters' Secrets
        PrivateFiles.write(file, json.writeValueAsBytes(doc));
    }
}
