package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * What kube-controller-manager's garbage collector does, through {@code metadata.ownerReferences}: it keeps a
 * graph of owners and dependents from every write the API accepted, and
 * <ul>
 * <li>when an owner is gone (background deletion, the default) deletes the dependents that have no other owner
 *     left, and removes the gone owner from those that do;</li>
 * <li>when an owner is being deleted with the {@code foregroundDeletion} finalizer deletes its dependents first
 *     (those that own others in the foreground too) and removes the finalizer once no dependent that blocks
 *     its owner's deletion is left;</li>
 * <li>when an owner is being deleted with the {@code orphan} finalizer removes it from its dependents'
 *     ownerReferences, then removes the finalizer;</li>
 * <li>deletes an object created with owners none of which exists (checked against the API, as the real one
 *     does for owners it has not seen).</li>
 * </ul>
 * The API server turns a delete's {@code propagationPolicy} into those finalizers. Work runs on one lane of
 * the control loop and always reads the object again first: a notification is only a hint.
 */
final class GarbageCollector {
    static final String FOREGROUND = "foregroundDeletion";
    static final String ORPHAN = "orphan";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LANE = "garbage-collector";

    private record Owner(String uid, String apiVersion, String kind, String name, boolean blocks) {
    }

    /** An object in the graph; {@code deleting}: it has a deletionTimestamp (finalizers hold it). */
    private record Node(String path, String namespace, List<Owner> owners, boolean deleting) {
    }

    private final ObjectStore store;
    private final ControlLoop loop;
    /** Where an owner reference points: (reference, namespace of the dependent) → the owner's API path. */
    private final BiFunction<JsonNode, String, String> ownerPath;
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> dependents = new ConcurrentHashMap<>();
    private final Map<String, String> uidByPath = new ConcurrentHashMap<>();

    GarbageCollector(ObjectStore store, ControlLoop loop, BiFunction<JsonNode, String, String> ownerPath) {
        this.store = store;
        this.loop = loop;
        this.ownerPath = ownerPath;
    }

    /** Builds the graph from what the store holds (at start, and after a restore). */
    void seed(List<JsonNode> objects, BiFunction<JsonNode, String, String> pathOf) {
        for (JsonNode obj : objects) {
            String path = pathOf.apply(obj, obj.path("metadata").path("namespace").asText(null));
            if (path != null && tracked(obj)) {
                upsert(path, obj);
            }
        }
        for (JsonNode obj : objects) {
            String uid = Pods.uid(obj);
            Node node = nodes.get(uid);
            if (node == null) {
                continue;
            }
            if (!node.owners().isEmpty()) {
                enqueue("verify/" + uid, () -> attemptToDelete(uid));
            }
            if (obj.path("metadata").has("deletionTimestamp")) {
                enqueue("finalize/" + uid, () -> finalizeOwner(uid));
            }
        }
    }

    /** A write the API accepted: keeps the graph and queues what it makes necessary. */
    void observe(String method, ApiPath path, JsonNode result) {
        if (path.plural().equals("events") || path.subresource() != null && !"status".equals(path.subresource())) {
            return;
        }
        if (result != null && result.has("items") && result.path("items").isArray()) {
            result.path("items").forEach(item -> observeObject("DELETE", pathOf(path, item), item));
            return;
        }
        if (result == null || !result.path("metadata").hasNonNull("uid")) {
            String known = path.name() == null ? null : uidByPath.get(path.mainPath());
            if (known != null) {
                enqueue("finalize/" + known, () -> finalizeOwner(known)); // gone or changed: look again
            }
            return;
        }
        observeObject(method, pathOf(path, result), result);
    }

    private static String pathOf(ApiPath path, JsonNode obj) {
        String name = Pods.name(obj);
        return ApiPath.collection(path.group(), path.version(), path.namespace(), path.plural()) + "/" + name;
    }

    private void observeObject(String method, String path, JsonNode obj) {
        if (!tracked(obj)) {
            return;
        }
        String uid = Pods.uid(obj);
        JsonNode meta = obj.path("metadata");
        boolean held = meta.path("finalizers").isArray() && !meta.path("finalizers").isEmpty();
        if (method.equals("DELETE") && !held) {
            gone(uid);
            return;
        }
        boolean isNew = upsert(path, obj);
        if (isNew && !nodes.get(uid).owners().isEmpty() && anyOwnerUnknown(uid)) {
            enqueue("verify/" + uid, () -> attemptToDelete(uid));
        }
        if (method.equals("DELETE") || meta.has("deletionTimestamp") && holdsFor(meta, FOREGROUND, ORPHAN)) {
            enqueue("finalize/" + uid, () -> finalizeOwner(uid));
        }
    }

    /** Objects worth tracking: all but events (never owners) and those without a uid. */
    private static boolean tracked(JsonNode obj) {
        return !obj.path("kind").asText().equals("Event") && !Pods.uid(obj).isEmpty();
    }

    private static boolean holdsFor(JsonNode meta, String... finalizers) {
        for (JsonNode f : meta.path("finalizers")) {
            for (String wanted : finalizers) {
                if (wanted.equals(f.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Records the object; true when it was not in the graph before. */
    private boolean upsert(String path, JsonNode obj) {
        String uid = Pods.uid(obj);
        List<Owner> owners = new ArrayList<>();
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            owners.add(new Owner(ref.path("uid").asText(), ref.path("apiVersion").asText(), ref.path("kind").asText(),
                    ref.path("name").asText(), ref.path("blockOwnerDeletion").asBoolean(false)));
        }
        Node before = nodes.put(uid, new Node(path, obj.path("metadata").path("namespace").asText(null), owners,
                obj.path("metadata").has("deletionTimestamp")));
        uidByPath.put(path, uid);
        if (before != null) {
            before.owners().forEach(o -> dependentsOf(o.uid()).remove(uid));
        }
        owners.forEach(o -> dependentsOf(o.uid()).add(uid));
        return before == null;
    }

    private Set<String> dependentsOf(String ownerUid) {
        return dependents.computeIfAbsent(ownerUid, k -> ConcurrentHashMap.newKeySet());
    }

    private boolean anyOwnerUnknown(String uid) {
        return nodes.get(uid).owners().stream().anyMatch(o -> !nodes.containsKey(o.uid()));
    }

    /** The object is gone: its dependents may have to go too, an owner waiting for it may finish. */
    private void gone(String uid) {
        Node node = nodes.remove(uid);
        if (node == null) {
            return;
        }
        uidByPath.remove(node.path(), uid);
        for (Owner o : node.owners()) {
            Set<String> siblings = dependents.get(o.uid());
            if (siblings != null) {
                siblings.remove(uid);
            }
            Node owner = nodes.get(o.uid());
            if (owner != null && owner.deleting()) {
                enqueue("finalize/" + o.uid(), () -> finalizeOwner(o.uid())); // it may have waited for this one
            }
        }
        Set<String> orphans = dependents.remove(uid);
        if (orphans != null) {
            for (String dependent : orphans) {
                enqueue("verify/" + dependent, () -> attemptToDelete(dependent));
            }
        }
    }

    private void enqueue(String key, Runnable work) {
        loop.enqueue(LANE, key, work);
    }

    // ---- work (on the garbage collector's lane) ----

    /**
     * A dependent whose owners may be gone: deleted when none exists any more, in the foreground when an owner
     * waits for it; otherwise references to gone owners are removed.
     */
    private void attemptToDelete(String uid) {
        Node node = nodes.get(uid);
        JsonNode obj = node == null ? null : current(uid, node.path());
        if (obj == null) {
            return;
        }
        List<String> absent = new ArrayList<>();
        boolean solid = false;
        boolean ownerWaits = false;
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            JsonNode owner = liveOwner(ref, node.namespace());
            if (owner == null) {
                absent.add(ref.path("uid").asText());
            } else if (owner.path("metadata").has("deletionTimestamp")
                    && holdsFor(owner.path("metadata"), FOREGROUND)) {
                ownerWaits |= ref.path("blockOwnerDeletion").asBoolean(false);
            } else {
                solid = true;
            }
        }
        if (solid) {
            if (!absent.isEmpty()) {
                removeOwners(node.path(), obj, absent);
            }
        } else if (!absent.isEmpty() || ownerWaits) {
            delete(uid, node.path(), obj, ownerWaits);
        }
    }

    /** The owner an ownerReference points at, or null when no object with that uid exists. */
    private JsonNode liveOwner(JsonNode ref, String namespace) {
        String uid = ref.path("uid").asText();
        Node known = nodes.get(uid);
        String path = known != null ? known.path() : ownerPath.apply(ref, namespace);
        JsonNode owner = path == null ? null : store.get(path);
        return owner != null && uid.equals(Pods.uid(owner)) ? owner : null;
    }

    /** Deletes a dependent; one that owns others and whose owner waits for it is deleted in the foreground. */
    private void delete(String uid, String path, JsonNode obj, boolean foreground) {
        Set<String> own = dependents.get(uid);
        if (foreground && own != null && !own.isEmpty() && !holdsFor(obj.path("metadata"), FOREGROUND)) {
            List<String> finalizers = finalizers(obj);
            finalizers.add(FOREGROUND);
            if (store.mergePatch(path, finalizersPatch(finalizers)) == null) {
                return;
            }
        }
        store.delete(path);
        if (current(uid, path) != null) {
            finalizeOwner(uid);
        }
    }

    /** The object with that uid as stored now; null (and forgotten) when it is gone or replaced. */
    private JsonNode current(String uid, String path) {
        JsonNode obj = store.get(path);
        if (obj == null || !uid.equals(Pods.uid(obj))) {
            gone(uid);
            return null;
        }
        return obj;
    }

    /** An object being deleted that holds the orphan or foregroundDeletion finalizer: do what it waits for. */
    private void finalizeOwner(String uid) {
        Node node = nodes.get(uid);
        JsonNode obj = node == null ? null : current(uid, node.path());
        if (obj == null) {
            return;
        }
        JsonNode meta = obj.path("metadata");
        if (!meta.has("deletionTimestamp")) {
            return;
        }
        List<String> finalizers = finalizers(obj);
        boolean changed = false;
        if (finalizers.contains(ORPHAN)) {
            orphanDependents(uid);
            finalizers.remove(ORPHAN);
            changed = true;
        }
        if (finalizers.contains(FOREGROUND) && deleteDependentsInForeground(uid)) {
            finalizers.remove(FOREGROUND);
            changed = true;
        }
        if (changed) {
            store.mergePatch(node.path(), finalizersPatch(finalizers));
            current(uid, node.path()); // the last finalizer gone, the store deleted it
        }
    }

    private void orphanDependents(String ownerUid) {
        for (String dependent : List.copyOf(dependents.getOrDefault(ownerUid, Set.of()))) {
            Node node = nodes.get(dependent);
            JsonNode obj = node == null ? null : current(dependent, node.path());
            if (obj != null) {
                removeOwners(node.path(), obj, List.of(ownerUid));
            }
        }
    }

    /** Deletes the owner's dependents; true once none that blocks the owner's deletion is left. */
    private boolean deleteDependentsInForeground(String ownerUid) {
        boolean blocked = false;
        for (String dependent : List.copyOf(dependents.getOrDefault(ownerUid, Set.of()))) {
            Node node = nodes.get(dependent);
            JsonNode obj = node == null ? null : current(dependent, node.path());
            if (obj == null) {
                continue;
            }
            boolean blocks = node.owners().stream().anyMatch(o -> o.uid().equals(ownerUid) && o.blocks());
            if (!obj.path("metadata").has("deletionTimestamp")) {
                delete(dependent, node.path(), obj, true);
            }
            blocked |= blocks && nodes.containsKey(dependent);
        }
        return !blocked;
    }

    private void removeOwners(String path, JsonNode obj, List<String> ownerUids) {
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            if (!ownerUids.contains(ref.path("uid").asText())) {
                kept.add(ref);
            }
        }
        ObjectNode patch = JSON.createObjectNode();
        if (kept.isEmpty()) {
            patch.putObject("metadata").putNull("ownerReferences");
        } else {
            patch.putObject("metadata").set("ownerReferences", kept);
        }
        JsonNode updated = store.mergePatch(path, patch);
        if (updated != null) {
            upsert(path, updated);
        }
    }

    private static List<String> finalizers(JsonNode obj) {
        List<String> list = new ArrayList<>();
        obj.path("metadata").path("finalizers").forEach(f -> list.add(f.asText()));
        return list;
    }

    private static ObjectNode finalizersPatch(List<String> finalizers) {
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode meta = patch.putObject("metadata");
        if (finalizers.isEmpty()) {
            meta.putNull("finalizers");
        } else {
            ArrayNode list = meta.putArray("finalizers");
            finalizers.forEach(list::add);
        }
        return patch;
    }
}
