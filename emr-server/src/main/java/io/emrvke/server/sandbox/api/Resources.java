package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The verbs on stored objects, with the API server's semantics: get, list (selectors, limit/continue),
 * create, update (resourceVersion conflicts), patch (JSON, merge, strategic merge), delete (propagation,
 * finalizers, namespace and CRD cascades) and delete collection; {@code dryRun=All} everywhere. Every
 * write runs under the store's write lock, from the checks to the listener.
 */
final class Resources {
    private static final String CRDS = "apiextensions.k8s.io/customresourcedefinitions";
    private static final String NAMESPACES = "/namespaces";

    final ResourceCatalog catalog;
    final Storage storage;
    final TableView tables;
    private volatile Admission admission = Admission.NONE;
    private volatile WriteListener listener = WriteListener.NONE;

    Resources(ResourceCatalog catalog, Storage storage) {
        this.catalog = catalog;
        this.storage = storage;
        this.tables = new TableView(catalog);
    }

    void admission(Admission a) {
        admission = a == null ? Admission.NONE : a;
    }

    void listener(WriteListener l) {
        listener = l == null ? WriteListener.NONE : l;
    }

    static String resourceKey(ResourceType type) {
        return type.group() + "/" + type.plural();
    }

    // ------------------------------------------------------------------ reads

    Reply get(ApiRequest req, ResourceType type) {
        ResourcePath p = req.path();
        ObjectNode obj = storage.read(() -> storage.get(resourceKey(type), p.namespace(), p.name()));
        if (obj == null) {
            throw ApiError.notFound(type, p.name());
        }
        return output(req, type, view(type, obj));
    }

    Reply list(ApiRequest req, ResourceType type) {
        LabelSelector labels = LabelSelector.parse(req.param("labelSelector"));
        FieldSelector fields = FieldSelector.parse(req.param("fieldSelector"), type);
        int limit = limit(req);
        Continue from = Continue.parse(req.param("continue"));
        String ns = req.path().namespace();
        List<ObjectNode> matched = new ArrayList<>();
        long[] version = new long[1];
        String[] nextKey = new String[1];
        int[] remaining = new int[1];
        storage.read(() -> {
            version[0] = from == null ? storage.resourceVersion() : from.resourceVersion();
            for (ObjectNode o : storage.list(resourceKey(type), ns)) {
                if (from != null && Storage.key(o.path("metadata").path("namespace").asText(null), Json.name(o))
                        .compareTo(from.start()) < 0) {
                    continue;
                }
                if (!labels.matches(o) || !fields.matches(o)) {
                    continue;
                }
                if (limit > 0 && matched.size() == limit) {
                    remaining[0]++;
                    if (nextKey[0] == null) {
                        nextKey[0] = Storage.key(o.path("metadata").path("namespace").asText(null), Json.name(o));
                    }
                    continue;
                }
                matched.add(o);
            }
            return null;
        });
        ObjectNode list = listOf(type, matched, version[0], req.internal());
        ObjectNode meta = (ObjectNode) list.get("metadata");
        if (nextKey[0] != null) {
            meta.put("continue", new Continue(version[0], nextKey[0]).token());
            if (labels.isEverything() && fields.isEverything()) {
                meta.put("remainingItemCount", remaining[0]);
            }
        }
        return output(req, type, list);
    }

    private static int limit(ApiRequest req) {
        String limit = req.param("limit");
        try {
            return limit == null ? 0 : Math.max(0, Integer.parseInt(limit));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("limit: Invalid value: \"" + limit + "\": must be an integer");
        }
    }

    /** Where a limited list goes on: the resourceVersion it was taken at and the first key not yet sent. */
    private record Continue(long resourceVersion, String start) {
        String token() {
            ObjectNode t = Json.object().put("v", "meta.k8s.io/v1").put("rv", resourceVersion).put("start", start);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(t.toString().getBytes(StandardCharsets.UTF_8));
        }

        static Continue parse(String token) {
            if (token == null || token.isEmpty()) {
                return null;
            }
            try {
                JsonNode t = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token));
                return new Continue(t.path("rv").asLong(), t.path("start").asText());
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw ApiError.badRequest("continue key is not valid: " + e.getMessage());
            }
        }
    }

    /**
     * A list as the API server sends it: {@code KindList} at the resourceVersion read; built-in kinds'
     * items without kind and apiVersion (the list says them), custom resources' items with.
     */
    ObjectNode listOf(ResourceType type, List<ObjectNode> items, long resourceVersion, boolean keepKinds) {
        ObjectNode list = Json.object().put("kind", type.kind() + "List").put("apiVersion", type.groupVersion());
        ObjectNode meta = list.putObject("metadata");
        if (type.custom()) {
            meta.put("continue", "");
        }
        meta.put("resourceVersion", String.valueOf(resourceVersion));
        ArrayNode array = list.putArray("items");
        for (ObjectNode o : items) {
            array.add(keepKinds || type.custom() ? view(type, o) : withoutKind(o));
        }
        return list;
    }

    private static ObjectNode withoutKind(ObjectNode o) {
        ObjectNode copy = Json.object();
        o.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("kind") && !f.getKey().equals("apiVersion")) {
                copy.set(f.getKey(), f.getValue());
            }
        });
        return copy;
    }

    /** The object at the version asked for (custom resources are stored once for all their versions). */
    static ObjectNode view(ResourceType type, ObjectNode obj) {
        if (type.groupVersion().equals(obj.path("apiVersion").asText())) {
            return obj;
        }
        ObjectNode copy = obj.objectNode();
        copy.put("apiVersion", type.groupVersion());
        obj.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("apiVersion")) {
                copy.set(f.getKey(), f.getValue());
            }
        });
        return copy;
    }

    Reply output(ApiRequest req, ResourceType type, JsonNode body) {
        return Reply.json(200, req.wantsTable() ? tables.render(type, body, req.param("includeObject")) : body);
    }

    // ------------------------------------------------------------------ create

    Reply create(ApiRequest req, ResourceType type) {
        ObjectNode obj = objectBody(req, type);
        ObjectNode meta = obj.withObjectProperty("metadata");
        String ns = req.path().namespace();
        if (type.namespaced()) {
            String given = meta.path("namespace").asText("");
            if (!given.isEmpty() && !given.equals(ns)) {
                throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on"
                        + " the request");
            }
            meta.put("namespace", ns);
        } else {
            meta.remove("namespace");
        }
        if (meta.path("name").asText("").isEmpty() && !meta.path("generateName").asText("").isEmpty()) {
            meta.put("name", ObjectRules.generatedName(meta.path("generateName").asText()));
        }
        String name = meta.path("name").asText("");
        if (name.isEmpty()) {
            throw ApiError.invalid(type, "", List.of(new Cause("FieldValueRequired", "metadata.name",
                    "Required value: name or generateName is required")));
        }
        checkPathSegment(type, name);
        boolean dryRun = req.dryRun();
        return storage.write(() -> {
            if (type.namespaced() && storage.get(NAMESPACES, null, ns) == null) {
                throw ApiError.namespaceNotFound(ns);
            }
            if (storage.get(resourceKey(type), ns, name) != null) {
                throw ApiError.alreadyExists(type, name);
            }
            ObjectRules.prepareCreate(type, obj);
            admit(type, obj, null);
            if (dryRun) {
                return Reply.json(201, view(type, obj));
            }
            ObjectNode stored = storage.put(resourceKey(type), obj, null);
            afterWrite(type, stored);
            listener.changed("POST", req.path().collectionPath(), stored);
            return Reply.json(201, view(type, stored));
        });
    }

    /** The body as an object of this resource's kind: apiVersion and kind defaulted from the URL, else checked. */
    private static ObjectNode objectBody(ApiRequest req, ResourceType type) {
        JsonNode body = req.json(type.kind());
        if (!body.isObject()) {
            throw ApiError.badRequest("the object provided is unrecognized (must be of type " + type.kind()
                    + "): the body is not a JSON object");
        }
        ObjectNode obj = ((ObjectNode) body).deepCopy();
        String kind = obj.path("kind").asText("");
        String apiVersion = obj.path("apiVersion").asText("");
        if (!kind.isEmpty() && !kind.equals(type.kind())) {
            throw ApiError.badRequest(kind + " in version \"" + type.version() + "\" cannot be handled as a "
                    + type.kind() + ": the kind does not match the URL's resource");
        }
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        if (!apiVersion.isEmpty() && !group.equals(type.group())) {
            throw ApiError.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
                    + type.kind() + ": no kind \"" + type.kind() + "\" is registered for version \"" + apiVersion + "\"");
        }
        if (!obj.path("metadata").isObject()) {
            obj.putObject("metadata");
        }
        obj.put("apiVersion", apiVersion.isEmpty() ? type.groupVersion() : apiVersion);
        obj.put("kind", type.kind());
        return obj;
    }

    /** Names that would not round-trip through a URL path, refused as the API server refuses them. */
    private static void checkPathSegment(ResourceType type, String name) {
        String why = name.equals(".") || name.equals("..") ? "may not be '" + name + "'"
                : name.contains("/") ? "may not contain '/'" : name.contains("%") ? "may not contain '%'" : null;
        if (why != null) {
            throw ApiError.invalid(type, name, List.of(new Cause("FieldValueInvalid", "metadata.name",
                    "Invalid value: \"" + name + "\": " + why)));
        }
    }

    private void admit(ResourceType type, ObjectNode obj, JsonNode old) {
        admission.refusal(obj, old).ifPresent(status -> {
            throw ApiError.of(status);
        });
        List<Cause> causes = admission.check(obj, old);
        if (causes != null && !causes.isEmpty()) {
            throw ApiError.invalid(type, Json.name(obj), causes);
        }
    }

    /** What the store does beyond storing: a CRD write changes what the catalog serves. */
    private void afterWrite(ResourceType type, JsonNode stored) {
        if ((type.group() + "/" + type.plural()).equals(CRDS)) {
            catalog.refresh(storage.list(CRDS, null).stream().map(o -> (JsonNode) o).toList());
        }
    }

    // ------------------------------------------------------------------ update and patch

    Reply update(ApiRequest req, ResourceType type) {
        ObjectNode desired = objectBody(req, type);
        ResourcePath p = req.path();
        String bodyName = desired.path("metadata").path("name").asText("");
        if (!bodyName.equals(p.name())) {
            throw ApiError.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL ("
                    + p.name() + ")");
        }
        String bodyNs = desired.path("metadata").path("namespace").asText("");
        if (type.namespaced() && !bodyNs.isEmpty() && !bodyNs.equals(p.namespace())) {
            throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the"
                    + " request");
        }
        boolean dryRun = req.dryRun();
        return storage.write(() -> {
            ObjectNode current = existing(type, p);
            String rv = desired.path("metadata").path("resourceVersion").asText("");
            if (rv.isEmpty() && type.custom()) {
                throw ApiError.invalid(type.qualifiedResource(), type.group(), type.plural(), p.name(),
                        List.of(new Cause("FieldValueInvalid", "metadata.resourceVersion",
                                "Invalid value: 0: must be specified for an update")));
            }
            return store(req, type, current, desired, rv, dryRun, "PUT");
        });
    }

    Reply patch(ApiRequest req, ResourceType type) {
        JsonNode patch = patchBody(req, type);
        ResourcePath p = req.path();
        boolean dryRun = req.dryRun();
        return storage.write(() -> {
            ObjectNode current = existing(type, p);
            JsonNode patched = applyPatch(req.mediaType(), current, patch);
            if (!patched.isObject()) {
                throw ApiError.badRequest("the patch made the object something other than a JSON object");
            }
            ObjectNode desired = (ObjectNode) patched;
            if (!Json.name(desired).equals(p.name())) {
                throw ApiError.badRequest("the name of the object (" + Json.name(desired)
                        + ") does not match the name on the URL (" + p.name() + ")");
            }
            String rv = desired.path("metadata").path("resourceVersion").asText("");
            return store(req, type, current, desired, rv, dryRun, "PATCH");
        });
    }

    /** The patch body for a supported patch type: strategic merge for built-in kinds only, no server-side apply. */
    static JsonNode patchBody(ApiRequest req, ResourceType type) {
        String media = req.mediaType();
        switch (media) {
            case "application/json-patch+json", "application/merge-patch+json" -> {
                return req.json(type.kind());
            }
            case "application/strategic-merge-patch+json" -> {
                if (type.custom()) {
                    throw ApiError.unsupportedMediaType("the body of the request was in an unknown format - accepted"
                            + " media types include: application/json-patch+json, application/merge-patch+json,"
                            + " application/apply-patch+yaml");
                }
                return req.json(type.kind());
            }
            case "application/apply-patch+yaml", "application/apply-patch+cbor" -> throw ApiError.unsupportedMediaType(
                    "server-side apply is not supported by the sandbox: apply without --server-side");
            default -> throw ApiError.unsupportedMediaType("415: Unsupported Media Type");
        }
    }

    static JsonNode applyPatch(String media, JsonNode current, JsonNode patch) {
        return switch (media) {
            case "application/json-patch+json" -> JsonPatch.apply(current, patch);
            case "application/strategic-merge-patch+json" -> StrategicMerge.apply(current, patch);
            default -> {
                if (!patch.isObject()) {
                    throw ApiError.badRequest("the merge patch must be a JSON object");
                }
                yield Json.mergePatch(current, patch);
            }
        };
    }

    private ObjectNode existing(ResourceType type, ResourcePath p) {
        ObjectNode current = storage.get(resourceKey(type), p.namespace(), p.name());
        if (current == null) {
            throw ApiError.notFound(type, p.name());
        }
        return current;
    }

    /**
     * The common end of update and patch (write lock held): the resourceVersion precondition, the fields
     * the server owns, status kept or taken as the path says, admission, then store (unless nothing
     * changed or it is a dry run), and an object with no finalizers left that was being deleted goes.
     */
    private Reply store(ApiRequest req, ResourceType type, ObjectNode current, ObjectNode desired, String rv,
                        boolean dryRun, String method) {
        ResourcePath p = req.path();
        if (!rv.isEmpty() && !rv.equals(current.path("metadata").path("resourceVersion").asText())) {
            throw ApiError.conflict(type, p.name());
        }
        boolean statusWrite = "status".equals(p.subresource());
        ObjectNode next = statusWrite ? ObjectRules.withStatusOf(current, desired)
                // the sandbox's own kubelet writes pod status with the pod, as it always has
                : ObjectRules.prepareUpdate(type, desired, current, req.internal());
        next.put("apiVersion", current.path("apiVersion").asText());
        if (type.namespaced()) {
            Json.meta(next).put("namespace", p.namespace());
        }
        Json.meta(next).put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
        admit(type, next, current);
        if (Json.sameJson(next, current)) {
            return Reply.json(200, view(type, current));
        }
        if (dryRun) {
            return Reply.json(200, view(type, next));
        }
        if (next.path("metadata").has("deletionTimestamp") && next.path("metadata").path("finalizers").isEmpty()) {
            ObjectNode gone = storage.remove(resourceKey(type), next);
            listener.changed("DELETE", p.mainPath(), gone);
            return Reply.json(200, view(type, gone));
        }
        ObjectNode stored = storage.put(resourceKey(type), next, current);
        afterWrite(type, stored);
        listener.changed(method, pathOf(req), stored);
        return Reply.json(200, view(type, stored));
    }

    private static String pathOf(ApiRequest req) {
        ResourcePath p = req.path();
        return p.subresource() == null ? p.mainPath() : p.mainPath() + "/" + p.subresource();
    }

    /** Stores a new version written by the server itself (scale, binding, orphaning): no request body. */
    ObjectNode rewrite(ResourceType type, ObjectNode current, ObjectNode next, String method, String path) {
        ObjectNode stored = storage.put(resourceKey(type), next, current);
        listener.changed(method, path, stored);
        return stored;
    }

    void check(ResourceType type, ObjectNode next, ObjectNode current) {
        admit(type, next, current);
    }

    // ------------------------------------------------------------------ delete

    /** DeleteOptions from the body and the query (the query wins, as kubectl sends either). */
    record DeleteOptions(String propagation, String uid, String resourceVersion, boolean dryRun) {
        static DeleteOptions of(ApiRequest req) {
            JsonNode body = Json.object();
            if (req.body() != null && !req.body().isBlank()) {
                body = req.json("DeleteOptions");
            }
            String propagation = req.param("propagationPolicy");
            if (propagation == null) {
                propagation = body.path("propagationPolicy").asText(
                        body.path("orphanDependents").asBoolean(false) ? "Orphan" : "Background");
            }
            if (!List.of("Background", "Foreground", "Orphan").contains(propagation)) {
                throw ApiError.badRequest("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported"
                        + " value: \"" + propagation + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
            }
            boolean dryRun = req.dryRun() || body.path("dryRun").toString().contains("All");
            JsonNode pre = body.path("preconditions");
            return new DeleteOptions(propagation, pre.path("uid").asText(null), pre.path("resourceVersion")
                    .asText(null), dryRun);
        }
    }

    Reply delete(ApiRequest req, ResourceType type) {
        DeleteOptions options = DeleteOptions.of(req);
        ResourcePath p = req.path();
        return storage.write(() -> {
            ObjectNode current = existing(type, p);
            checkPreconditions(type, current, options);
            Deleted result = deleteOne(type, current, options);
            return Reply.json(200, result.pending() || ObjectRules.deleteReturnsObject(type)
                    ? view(type, result.object()) : success(type, current));
        });
    }

    /** An object deleted, or only marked for deletion ({@code pending}) because finalizers hold it. */
    private record Deleted(ObjectNode object, boolean pending) {
    }

    private static void checkPreconditions(ResourceType type, JsonNode current, DeleteOptions options) {
        String uid = current.path("metadata").path("uid").asText();
        String rv = current.path("metadata").path("resourceVersion").asText();
        if (options.uid() != null && !options.uid().equals(uid)) {
            throw ApiError.conflict(type, Json.name(current), "Precondition failed: UID in precondition: "
                    + options.uid() + ", UID in object meta: " + uid);
        }
        if (options.resourceVersion() != null && !options.resourceVersion().equals(rv)) {
            throw ApiError.conflict(type, Json.name(current), "Precondition failed: ResourceVersion in precondition: "
                    + options.resourceVersion() + ", ResourceVersion in meta: " + rv);
        }
    }

    private static ObjectNode success(ResourceType type, JsonNode gone) {
        ObjectNode s = Json.object().put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Success");
        ObjectNode d = s.putObject("details").put("name", Json.name(gone));
        if (!type.group().isEmpty()) {
            d.put("group", type.group());
        }
        d.put("kind", type.plural()).put("uid", gone.path("metadata").path("uid").asText());
        return s;
    }

    /**
     * Deletes one object (write lock held) and returns it as deleted, or as marked for deletion when
     * finalizers hold it. Namespaces take their contents with them, CRDs their custom resources; Orphan
     * strips the owner from its dependents, Foreground deletes them first; Background leaves them to the
     * garbage collector.
     */
    private Deleted deleteOne(ResourceType type, ObjectNode current, DeleteOptions options) {
        ObjectNode marked = deleting(type, current);
        boolean held = !current.path("metadata").path("finalizers").isEmpty();
        if (options.dryRun()) {
            return new Deleted(marked, held);
        }
        String uid = current.path("metadata").path("uid").asText();
        if (options.propagation().equals("Orphan")) {
            orphanDependents(uid);
        } else if (options.propagation().equals("Foreground")) {
            deleteDependents(uid, options);
        }
        if (held) {
            return new Deleted(current.path("metadata").has("deletionTimestamp") ? current
                    : rewrite(type, current, marked, "DELETE", objectPath(type, current)), true);
        }
        if (type.is("", "namespaces")) {
            deleteContents(Json.name(current));
        }
        if ((type.group() + "/" + type.plural()).equals(CRDS)) {
            deleteCustomResources(current);
        }
        ObjectNode gone = storage.remove(resourceKey(type), type.is("", "namespaces") ? marked : current);
        afterWrite(type, gone);
        listener.changed("DELETE", objectPath(type, gone), gone);
        return new Deleted(marked, false);
    }

    /** The object as a graceful deletion leaves it: a deletion timestamp, a namespace Terminating. */
    private static ObjectNode deleting(ResourceType type, ObjectNode current) {
        ObjectNode marked = current.deepCopy();
        ObjectNode meta = Json.meta(marked);
        if (!meta.has("deletionTimestamp")) {
            meta.put("deletionTimestamp", ObjectRules.now());
            if (!type.is("", "namespaces")) { // a namespace's deletion has no grace period to record
                meta.put("deletionGracePeriodSeconds", type.is("", "pods")
                        ? current.path("spec").path("terminationGracePeriodSeconds").asLong(30) : 0);
            }
        }
        if (type.is("", "namespaces")) {
            marked.withObjectProperty("status").put("phase", "Terminating");
        }
        return marked;
    }

    static String objectPath(ResourceType type, JsonNode obj) {
        return type.collectionPath(Json.namespace(obj)) + "/" + Json.name(obj);
    }

    private void deleteContents(String namespace) {
        for (String resource : storage.resourcesIn(namespace)) {
            ResourceType type = typeOf(resource);
            for (ObjectNode o : storage.list(resource, namespace)) {
                if (type == null) {
                    continue;
                }
                ObjectNode gone = storage.remove(resource, o);
                listener.changed("DELETE", objectPath(type, gone), gone);
            }
        }
    }

    private void deleteCustomResources(JsonNode crd) {
        String resource = crd.path("spec").path("group").asText() + "/" + crd.path("spec").path("names")
                .path("plural").asText();
        ResourceType type = typeOf(resource);
        for (ObjectNode o : storage.list(resource, null)) {
            ObjectNode gone = storage.remove(resource, o);
            if (type != null) {
                listener.changed("DELETE", objectPath(type, gone), gone);
            }
        }
    }

    private ResourceType typeOf(String resource) {
        int slash = resource.indexOf('/');
        return catalog.byPlural(resource.substring(0, slash), resource.substring(slash + 1)).orElse(null);
    }

    /** Every stored object that names {@code uid} among its owners. */
    private List<Map.Entry<ResourceType, ObjectNode>> dependentsOf(String uid) {
        List<Map.Entry<ResourceType, ObjectNode>> found = new ArrayList<>();
        for (ObjectNode o : storage.all()) {
            for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
                if (uid.equals(ref.path("uid").asText())) {
                    ResourceType type = catalog.byKind(o.path("apiVersion").asText(), o.path("kind").asText())
                            .orElse(null);
                    if (type != null) {
                        found.add(Map.entry(type, o));
                    }
                    break;
                }
            }
        }
        return found;
    }

    private void orphanDependents(String uid) {
        for (Map.Entry<ResourceType, ObjectNode> d : dependentsOf(uid)) {
            ObjectNode next = d.getValue().deepCopy();
            ArrayNode refs = (ArrayNode) Json.meta(next).get("ownerReferences");
            for (int i = refs.size() - 1; i >= 0; i--) {
                if (uid.equals(refs.get(i).path("uid").asText())) {
                    refs.remove(i);
                }
            }
            if (refs.isEmpty()) {
                Json.meta(next).remove("ownerReferences");
            }
            rewrite(d.getKey(), d.getValue(), next, "PATCH", objectPath(d.getKey(), next));
        }
    }

    private void deleteDependents(String uid, DeleteOptions options) {
        for (Map.Entry<ResourceType, ObjectNode> d : dependentsOf(uid)) {
            ObjectNode still = storage.get(resourceKey(d.getKey()), d.getKey().namespaced()
                    ? Json.namespace(d.getValue()) : null, Json.name(d.getValue()));
            if (still != null) {
                deleteOne(d.getKey(), still, options);
            }
        }
    }

    Reply deleteCollection(ApiRequest req, ResourceType type) {
        DeleteOptions options = DeleteOptions.of(req);
        LabelSelector labels = LabelSelector.parse(req.param("labelSelector"));
        FieldSelector fields = FieldSelector.parse(req.param("fieldSelector"), type);
        return storage.write(() -> {
            List<ObjectNode> deleted = new ArrayList<>();
            for (ObjectNode o : storage.list(resourceKey(type), req.path().namespace())) {
                if (labels.matches(o) && fields.matches(o)) {
                    deleted.add(deleteOne(type, o, options).object());
                }
            }
            return output(req, type, listOf(type, deleted, storage.resourceVersion(), req.internal()));
        });
    }
}
