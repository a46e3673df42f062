package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A refusal with the Status a real API server answers: code, reason, message and details worded as
 * kube-apiserver words them (clients match on reason and code; people read the message).
 */
final class ApiError extends RuntimeException {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int code;
    private final String reason;
    private final ObjectNode details;

    ApiError(int code, String reason, String message, ObjectNode details) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.details = details;
    }

    int code() {
        return code;
    }

    String reason() {
        return reason;
    }

    /** The Status object of this refusal. */
    ObjectNode status() {
        ObjectNode s = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("message", getMessage()).put("reason", reason);
        if (details != null) {
            s.set("details", details);
        }
        s.put("code", code);
        return s;
    }

    /** The refusal a validator worded as a whole Status body. */
    static ApiError of(ObjectNode status) {
        JsonNode details = status.get("details");
        return new ApiError(status.path("code").asInt(422), status.path("reason").asText("Invalid"),
                status.path("message").asText(), details instanceof ObjectNode d ? d : null);
    }

    private static ObjectNode details(ResourceType type, String name) {
        ObjectNode d = JSON.createObjectNode();
        if (name != null && !name.isEmpty()) {
            d.put("name", name);
        }
        if (!type.group().isEmpty()) {
            d.put("group", type.group());
        }
        return d.put("kind", type.plural());
    }

    static ApiError notFound(ResourceType type, String name) {
        return new ApiError(404, "NotFound", type.qualifiedResource() + " \"" + name + "\" not found",
                details(type, name));
    }

    static ApiError namespaceNotFound(String namespace) {
        return new ApiError(404, "NotFound", "namespaces \"" + namespace + "\" not found",
                JSON.createObjectNode().put("name", namespace).put("kind", "namespaces"));
    }

    /** A path the server does not serve: no resource, no subresource, no such version. */
    static ApiError noSuchPath() {
        return new ApiError(404, "NotFound", "the server could not find the requested resource",
                JSON.createObjectNode());
    }

    static ApiError alreadyExists(ResourceType type, String name) {
        return new ApiError(409, "AlreadyExists", type.qualifiedResource() + " \"" + name + "\" already exists",
                details(type, name));
    }

    static ApiError conflict(ResourceType type, String name) {
        return conflict(type, name, "the object has been modified; please apply your changes to the latest version"
                + " and try again");
    }

    static ApiError conflict(ResourceType type, String name, String why) {
        return new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + type.qualifiedResource() + " \""
                + name + "\": " + why, details(type, name));
    }

    /**
     * 422 Invalid as the API server formats it: {@code Kind.group "name" is invalid: field: message}, the
     * causes in brackets when there are several.
     */
    static ApiError invalid(String qualifiedKind, String group, String kind, String name, List<Cause> causes) {
        StringBuilder summary = new StringBuilder();
        for (Cause c : causes) {
            summary.append(summary.length() == 0 ? "" : ", ").append(c.field().isEmpty() ? "" : c.field() + ": ")
                    .append(c.message());
        }
        String listed = causes.size() > 1 ? "[" + summary + "]" : summary.toString();
        ObjectNode d = JSON.createObjectNode();
        if (name != null && !name.isEmpty()) {
            d.put("name", name);
        }
        if (group != null && !group.isEmpty()) {
            d.put("group", group);
        }
        d.put("kind", kind);
        ArrayNode list = d.putArray("causes");
        for (Cause c : causes) {
            ObjectNode n = list.addObject().put("reason", c.reason()).put("message", c.message());
            if (!c.field().isEmpty()) {
                n.put("field", c.field());
            }
        }
        return new ApiError(422, "Invalid", qualifiedKind + " \"" + (name == null ? "" : name) + "\" is invalid: "
                + listed, d);
    }

    static ApiError invalid(ResourceType type, String name, List<Cause> causes) {
        return invalid(type.qualifiedKind(), type.group(), type.kind(), name, causes);
    }

    /** A patch that cannot be applied: 422 with no causes, as the API server answers. */
    static ApiError invalidPatch(String message) {
        return new ApiError(422, "Invalid", message, JSON.createObjectNode());
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "BadRequest", message, null);
    }

    static ApiError methodNotAllowed() {
        return new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                JSON.createObjectNode());
    }

    static ApiError unsupportedMediaType(String message) {
        return new ApiError(415, "UnsupportedMediaType", message, JSON.createObjectNode());
    }

    static ApiError expired(String message) {
        return new ApiError(410, "Expired", message, null);
    }

    static ApiError unauthorized() {
        return new ApiError(401, "Unauthorized", "Unauthorized", null);
    }

    static ApiError internal(String message) {
        return new ApiError(500, "InternalError", message, null);
    }
}
