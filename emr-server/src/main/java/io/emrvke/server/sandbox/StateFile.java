package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.server.store.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's objects, API token and TLS identity on disk: one JSON document, 0600, replaced atomically
 * (temp file + rename). Token and TLS identity are kept so kubeconfigs written before a restart still work
 * after it.
 */
final class StateFile {
    private static final int FORMAT = 1;
    private static final byte[] OBJECTS_START = ",\"objects\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OBJECTS_END = "]}".getBytes(StandardCharsets.US_ASCII);
    private final Path file;
    private final ObjectMapper json;
    /** The JSON of the objects of the last save, by object identity. */
    private Map<JsonNode, Serialized> serialized = new IdentityHashMap<>();

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

    /**
     * Writes the state. Each object's JSON is kept from the previous save while its resourceVersion is the same
     * (a stored object is replaced, never changed in place, when it changes): a save then serialises only what
     * changed, not the CRDs' schemas (two thirds of the file) and every Event again, five times a second while
     * workloads churn.
     */
    synchronized void save(State state) throws IOException {
        ObjectNode head = json.createObjectNode().put("format", FORMAT).put("token", state.token());
        head.putObject("tls").put("key", state.tlsKey()).put("certificate", state.tlsCertificate());
        byte[] headJson = json.writeValueAsBytes(head);
        List<Serialized> parts = new ArrayList<>();
        Map<JsonNode, Serialized> next = new IdentityHashMap<>();
        for (JsonNode object : state.objects()) {
            Serialized s = serialized(object);
            next.put(object, s);
            parts.add(s);
        }
        // owner-only, like everything in the data dir: the state holds the clusters' Secrets, token and TLS key;
        // streamed, as the file is a megabyte or more and saved several times a second while objects change
        PrivateFiles.write(file, out -> {
            out.write(headJson, 0, headJson.length - 1); // without its closing brace: the objects follow
            out.write(OBJECTS_START);
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(parts.get(i).json());
            }
            out.write(OBJECTS_END);
        });
        serialized = next;
    }

    private Serialized serialized(JsonNode object) throws IOException {
        String version = object.path("metadata").path("resourceVersion").asText("");
        Serialized known = serialized.get(object);
        if (known != null && known.resourceVersion().equals(version)) {
            return known;
        }
        return new Serialized(version, json.writeValueAsBytes(object));
    }

    private record Serialized(String resourceVersion, byte[] json) {
    }
}
