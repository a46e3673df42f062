package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's CRUD store plus a mirror of it for lookups. The store answers every GET, and finds the object
 * every write replaces, by testing every stored object's attributes against the request's, and hands back
 * JSON text; with a few hundred objects that made the controllers' gets and label-selector lists, and each
 * write under the store's global lock, the largest CPU cost of a wide restart. The mirror keeps the same
 * keys (the store's attribute sets, in the store's order) grouped by plural and by plural and name, and each
 * object parsed once, so a lookup tests only its group's objects, with the store's own matching.
 *
 * <p>Every change of the store goes through {@link #processEvent} (creates, updates, patches, status and
 * scale writes, deletes, restores; from HTTP clients and from the controllers alike), which runs under the
 * store's write lock; the mirror copies the outcome from the store's own map there, so it is exact. Should
 * the mirror ever disagree with the store, it switches itself off and lookups go to the store again.
 */
final class IndexedCrudStore extends KubernetesCrudDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(IndexedCrudStore.class);

    private final ObjectMapper json;
    private final ReentrantReadWriteLock mirrorLock = new ReentrantReadWriteLock();
    private final Map<AttributeSet, Stored> mirror = new LinkedHashMap<>();
    /** The mirror's objects by plural, and by plural and name, each in the store's order. */
    private final Map<String, Map<AttributeSet, Stored>> groups = new LinkedHashMap<>();
    private volatile boolean trusted = true;

    IndexedCrudStore(ObjectMapper json) {
        super(List.of());
        this.json = json;
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                             GenericKubernetesResource resource, String newState) {
        try {
            super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        } finally {
            // in finally: whatever part of the change the store made, the mirror copies it
            mirrorChange(oldAttributes, newState == null ? null : keyOrNull(pathAttributes, resource, newState),
                    newState);
        }
    }

    private AttributeSet keyOrNull(AttributeSet pathAttributes, GenericKubernetesResource resource, String newState) {
        try {
            return keyOf(pathAttributes, resource, newState);
        } catch (RuntimeException e) {
            distrust("cannot tell the key of a stored object: " + e);
            return null;
        }
    }

    /** The key the store files {@code newState} under: the same steps as {@code super.processEvent}. */
    private AttributeSet keyOf(AttributeSet pathAttributes, GenericKubernetesResource resource, String newState) {
        KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
        AttributeSet key = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
        return key.containsKey(KubernetesAttributesExtractor.PLURAL) ? key : AttributeSet.merge(pathAttributes, key);
    }

    private void mirrorChange(AttributeSet oldKey, AttributeSet newKey, String newState) {
        mirrorLock.writeLock().lock();
        try {
            if (oldKey != null && !map.containsKey(oldKey)) {
                remove(oldKey);
            }
            if (newKey != null) {
                String stored = map.get(newKey);
                if (stored == newState) {
                    remove(newKey); // the store's map moved it to the end: so does the mirror
                    put(newKey, new Stored(newState));
                } else {
                    distrust("the store did not file an object under the key the mirror computed: " + newKey);
                }
            }
        } finally {
            mirrorLock.writeLock().unlock();
        }
    }

    private void put(AttributeSet key, Stored value) {
        List<String> groups = groupsOf(key);
        if (groups == null) {
            distrust("an object filed under an unusual plural or name: " + key);
            return;
        }
        mirror.put(key, value);
        for (String g : groups) {
            this.groups.computeIfAbsent(g, x -> new LinkedHashMap<>()).put(key, value);
        }
    }

    private void remove(AttributeSet key) {
        if (mirror.remove(key) == null) {
            return;
        }
        for (String g : groupsOf(key)) {
            Map<AttributeSet, Stored> group = groups.get(g);
            if (group != null && group.remove(key) != null && group.isEmpty()) {
                groups.remove(g);
            }
        }
    }

    /**
     * The groups a stored object is in: all objects of its plural, and those of its plural and name (what a
     * get and a write look up). Null when its plural or name is not one plain value (never seen).
     */
    private static List<String> groupsOf(AttributeSet key) {
        String plural = plainValue(key, KubernetesAttributesExtractor.PLURAL);
        String name = plainValue(key, KubernetesAttributesExtractor.NAME);
        if (plural == null || name == null) {
            return null;
        }
        return name.isEmpty() ? List.of(pluralGroup(plural)) : List.of(pluralGroup(plural), nameGroup(plural, name));
    }

    /** The group a query needs to look at (each of its members is tested with the query); null if none fits. */
    private static String groupFor(AttributeSet query) {
        String plural = plainValue(query, KubernetesAttributesExtractor.PLURAL);
        String name = plainValue(query, KubernetesAttributesExtractor.NAME);
        if (plural == null || plural.isEmpty() || name == null) {
            return null;
        }
        return name.isEmpty() ? pluralGroup(plural) : nameGroup(plural, name);
    }

    private static String pluralGroup(String plural) {
        return plural;
    }

    private static String nameGroup(String plural, String name) {
        return plural + "/" + name;
    }

    /** The one value of an attribute; "" when there is none; null when it is not one plain value. */
    private static String plainValue(AttributeSet set, String attribute) {
        Attribute a = set.getAttribute(attribute);
        if (a == null) {
            return "";
        }
        boolean plain = a.getType() == AttributeType.WITH && a.getValues().size() == 1;
        return plain ? a.getValues().get(0).toString() : null;
    }

    private void distrust(String why) {
        if (trusted) {
            trusted = false;
            LOG.warn("sandbox read index switched off, reads go to the store: {}", why);
        }
    }

    /**
     * The store looks up the object a write replaces by testing every stored object; the mirror has the same
     * objects in the same order, so it answers the same with only those of the same plural and name.
     */
    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        String group = trusted ? groupFor(attributes) : null;
        if (group == null) {
            return super.findResource(attributes);
        }
        mirrorLock.readLock().lock();
        try {
            for (Map.Entry<AttributeSet, Stored> e : groups.getOrDefault(group, Map.of()).entrySet()) {
                if (e.getKey().matches(attributes)) {
                    return new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue().text);
                }
            }
            return null;
        } finally {
            mirrorLock.readLock().unlock();
        }
    }

    /**
     * What a GET of {@code path} (no subresource; no query but a label selector) finds, as copies the caller
     * may change: for a named path at most one object. Null when the mirror cannot answer; ask the store then.
     */
    List<JsonNode> find(String path) {
        if (!trusted || !answerable(path)) {
            return null;
        }
        AttributeSet query = attributeExtractor.fromPath(path);
        String group = groupFor(query);
        if (group == null) {
            return null;
        }
        boolean named = query.containsKey(KubernetesAttributesExtractor.NAME);
        List<Stored> hits = new ArrayList<>();
        mirrorLock.readLock().lock();
        try {
            for (Map.Entry<AttributeSet, Stored> e : groups.getOrDefault(group, Map.of()).entrySet()) {
                if (e.getKey().matches(query)) {
                    hits.add(e.getValue());
                    if (named) {
                        break;
                    }
                }
            }
        } finally {
            mirrorLock.readLock().unlock();
        }
        return copies(hits);
    }

    private List<JsonNode> copies(List<Stored> hits) {
        List<JsonNode> out = new ArrayList<>(hits.size());
        for (Stored s : hits) {
            JsonNode tree = s.tree(json);
            if (tree == null) {
                return null; // unreadable JSON: let the store's answer speak for itself
            }
            out.add(tree.deepCopy());
        }
        return out;
    }

    private static boolean answerable(String path) {
        ApiPath api = ApiPath.parse(path);
        if (api == null || api.subresource() != null) {
            return false;
        }
        int q = path.indexOf('?');
        return q < 0 || (path.startsWith("labelSelector=", q + 1) && path.indexOf('&', q) < 0);
    }

    /** One stored object: the store's text, parsed on first read only (most objects are never read here). */
    private static final class Stored {
        private final String text;
        private volatile JsonNode tree;

        Stored(String text) {
            this.text = text;
        }

        JsonNode tree(ObjectMapper json) {
            JsonNode t = tree;
            if (t == null) {
                try {
                    t = json.readTree(text);
                } catch (IOException e) {
                    return null;
                }
                tree = t;
            }
            return t;
        }
    }
}
