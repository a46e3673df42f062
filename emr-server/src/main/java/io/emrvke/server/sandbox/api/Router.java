package io.emrvke.server.sandbox.api;

import java.util.Optional;

/**
 * Which verb a request is, as the API server routes it: health and discovery paths, then resource
 * paths by method, name and subresource. What is not served is a 404 that names nothing stored.
 */
final class Router {
    private static final String PAGE_NOT_FOUND = "404 page not found\n";
    private final Resources resources;
    private final Subresources subresources;
    private final Discovery discovery;
    private final OpenApi openApi;

    Router(Resources resources, Subresources subresources, Discovery discovery) {
        this.resources = resources;
        this.subresources = subresources;
        this.discovery = discovery;
        this.openApi = new OpenApi(resources.catalog);
    }

    static boolean isHealth(String path) {
        return path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")
                || path.startsWith("/healthz/") || path.startsWith("/livez/") || path.startsWith("/readyz/");
    }

    /** Answers everything but the streams (watches, followed logs), which the HTTP front keeps open. */
    Reply call(String method, String path, ApiRequest req) {
        try {
            if (isHealth(path)) {
                return Reply.text(200, "ok");
            }
            if (isUnknownGroup(path)) {
                return Reply.text(404, PAGE_NOT_FOUND); // no handler is registered there, as on the API server
            }
            if (req.path() == null) {
                Optional<com.fasterxml.jackson.databind.JsonNode> doc = !method.equals("GET") ? Optional.empty()
                        : path.startsWith("/openapi/") ? openApi.document(path) : discovery.document(path);
                if (doc.isPresent()) {
                    return Reply.json(200, doc.get());
                }
                if (path.equals("/api") || path.startsWith("/api/") || path.startsWith("/apis")
                        || path.startsWith("/openapi/")) {
                    throw ApiError.noSuchPath();
                }
                return Reply.text(404, PAGE_NOT_FOUND);
            }
            return resource(req, resolve(req));
        } catch (ApiError e) {
            return Reply.of(e);
        }
    }

    /** {@code /apis/<group>/...} of a group no resource is served in. */
    private boolean isUnknownGroup(String path) {
        if (!path.startsWith("/apis/")) {
            return false;
        }
        String rest = path.substring("/apis/".length());
        String group = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        return !group.isEmpty() && resources.catalog.all().stream().noneMatch(t -> t.group().equals(group));
    }

    /** The resource a path names, with namespace scoping checked; 404 when it is not served like that. */
    ResourceType resolve(ApiRequest req) {
        ResourcePath p = req.path();
        ResourceType type = resources.catalog.served(p.group(), p.version(), p.plural()).orElseThrow(
                ApiError::noSuchPath);
        if (p.namespace() != null && !type.namespaced()) {
            throw ApiError.noSuchPath();
        }
        if (type.namespaced() && p.namespace() == null && p.name() != null) {
            throw ApiError.noSuchPath();
        }
        return type;
    }

    private Reply resource(ApiRequest req, ResourceType type) {
        ResourcePath p = req.path();
        String m = req.method();
        if (!type.stored()) {
            if (m.equals("POST") && p.name() == null) {
                return subresources.review(req, type);
            }
            throw ApiError.methodNotAllowed();
        }
        if (p.name() == null) {
            return switch (m) {
                case "GET" -> resources.list(req, type);
                case "POST" -> {
                    if (type.namespaced() && p.namespace() == null) {
                        throw ApiError.methodNotAllowed();
                    }
                    yield resources.create(req, type);
                }
                case "DELETE" -> resources.deleteCollection(req, type);
                default -> throw ApiError.methodNotAllowed();
            };
        }
        String sub = p.subresource();
        if (sub == null) {
            return switch (m) {
                case "GET" -> resources.get(req, type);
                case "PUT" -> resources.update(req, type);
                case "PATCH" -> resources.patch(req, type);
                case "DELETE" -> resources.delete(req, type);
                default -> throw ApiError.methodNotAllowed();
            };
        }
        if (sub.equals("status") && type.hasStatus()) {
            return switch (m) {
                case "GET" -> resources.get(req, type);
                case "PUT" -> resources.update(req, type);
                case "PATCH" -> resources.patch(req, type);
                default -> throw ApiError.methodNotAllowed();
            };
        }
        if (sub.equals("scale") && type.hasScale()) {
            return subresources.scale(req, type);
        }
        if (type.is("", "pods")) {
            return podSubresource(req, type, sub, m);
        }
        throw ApiError.noSuchPath();
    }

    private Reply podSubresource(ApiRequest req, ResourceType pods, String sub, String m) {
        if (Subresources.refused(sub)) {
            return subresources.refuse(req, pods);
        }
        if (sub.equals("log")) {
            if (!m.equals("GET")) {
                throw ApiError.methodNotAllowed();
            }
            return Reply.text(200, subresources.log(req, pods));
        }
        if (sub.equals("binding")) {
            if (!m.equals("POST")) {
                throw ApiError.methodNotAllowed();
            }
            return subresources.bind(req, pods);
        }
        throw ApiError.noSuchPath();
    }
}
