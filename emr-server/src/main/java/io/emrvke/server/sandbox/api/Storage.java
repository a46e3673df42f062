package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The objects, in memory: per resource ({@code group/plural}) a sorted map from {@code namespace/name}
 * to the stored object; one resourceVersion counter for everything; a bounded history of changes for
 * watches that resume. Stored objects are never modified (every write stores a new tree), so a reader
 * may use what it got after the lock is released.
 */
final class Storage {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, TreeMap<String, ObjectNode>> objects = new HashMap<>();
    private final ArrayDeque<Change> history = new ArrayDeque<>();
    private final int historyLimit;
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private long resourceVersion;
    /** Watches may resume from any resourceVersion at or after this one: later changes are all in history. */
    private long oldestResumable;

    Storage(int historyLimit) {
        this.historyLimit = historyLimit;
    }

    static String key(String namespace, String name) {
        return (namespace == null ? "" : namespace) + "/" + name;
    }

    <T> T read(Supplier<T> work) {
        lock.readLock().lock();
        try {
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    <T> T write(Supplier<T> work) {
        lock.writeLock().lock();
        try {
            return work.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    long resourceVersion() {
        return resourceVersion;
    }

    long oldestResumable() {
        return oldestResumable;
    }

    ObjectNode get(String resource, String namespace, String name) {
        TreeMap<String, ObjectNode> map = objects.get(resource);
        return map == null ? null : map.get(key(namespace, name));
    }

    /** The objects of a resource in key order, in one namespace or (null) all. */
    List<ObjectNode> list(String resource, String namespace) {
        TreeMap<String, ObjectNode> map = objects.get(resource);
        if (map == null) {
            return List.of();
        }
        NavigableMap<String, ObjectNode> range = namespace == null ? map
                : map.subMap(namespace + "/", true, namespace + "0", false); // '0' follows '/'
        return new ArrayList<>(range.values());
    }

    /** Every resource that has objects in {@code namespace}. */
    List<String> resourcesIn(String namespace) {
        List<String> found = new ArrayList<>();
        objects.forEach((resource, map) -> {
            if (!map.subMap(namespace + "/", true, namespace + "0", false).isEmpty()) {
                found.add(resource);
            }
        });
        return found;
    }

    /** Stores a new object or version under the next resourceVersion (write lock held). */
    ObjectNode put(String resource, ObjectNode obj, ObjectNode old) {
        long rv = ++resourceVersion;
        Json.meta(obj).put("resourceVersion", String.valueOf(rv));
        objects.computeIfAbsent(resource, r -> new TreeMap<>()).put(key(nsOf(obj), Json.name(obj)), obj);
        record(new Change(rv, old == null ? "ADDED" : "MODIFIED", resource, obj, old));
        return obj;
    }

    /** Removes an object; the DELETED event carries it at the deletion's resourceVersion. */
    ObjectNode remove(String resource, ObjectNode current) {
        long rv = ++resourceVersion;
        objects.get(resource).remove(key(nsOf(current), Json.name(current)));
        ObjectNode gone = current.deepCopy();
        Json.meta(gone).put("resourceVersion", String.valueOf(rv));
        record(new Change(rv, "DELETED", resource, gone, current));
        return gone;
    }

    private static String nsOf(ObjectNode obj) {
        String ns = Json.namespace(obj);
        return ns.isEmpty() ? null : ns;
    }

    private void record(Change change) {
        history.addLast(change);
        while (history.size() > historyLimit) {
            oldestResumable = history.removeFirst().resourceVersion();
        }
        for (Watcher w : watchers) {
            w.offer(change);
        }
    }

    /** Puts a saved object back as it was, resourceVersion included; no event (before serving). */
    void restore(String resource, ObjectNode obj) {
        objects.computeIfAbsent(resource, r -> new TreeMap<>()).put(key(nsOf(obj), Json.name(obj)), obj);
        try {
            resourceVersion = Math.max(resourceVersion, Long.parseLong(obj.path("metadata")
                    .path("resourceVersion").asText("0")));
        } catch (NumberFormatException e) {
            // a foreign resourceVersion: the counter moves on from the others
        }
    }

    /** From now on watches resume only from here: what happened before (an earlier life) is not in history. */
    void startHistory() {
        history.clear();
        oldestResumable = resourceVersion;
    }

    /** The changes after {@code resourceVersion}, oldest first (call with {@code >= oldestResumable()}). */
    List<Change> changesAfter(long version) {
        List<Change> out = new ArrayList<>();
        for (Change c : history) {
            if (c.resourceVersion() > version) {
                out.add(c);
            }
        }
        return out;
    }

    void subscribe(Watcher w) {
        watchers.add(w);
    }

    void unsubscribe(Watcher w) {
        watchers.remove(w);
    }

    /** Every stored object, for the state file. */
    List<ObjectNode> all() {
        List<ObjectNode> all = new ArrayList<>();
        objects.values().forEach(m -> all.addAll(m.values()));
        return all;
    }
}
