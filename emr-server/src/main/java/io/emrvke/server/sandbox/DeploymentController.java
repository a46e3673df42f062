package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What kube-controller-manager's Deployment controller does: one ReplicaSet per pod template
 * ({@code <deploy>-<pod-template-hash>}, found again by template when rolled back), numbered by the
 * {@code deployment.kubernetes.io/revision} annotation (earlier numbers kept in {@code revision-history}), rolled
 * with maxSurge/maxUnavailable (or Recreate), scaled proportionally when the Deployment is scaled mid-rollout,
 * old ReplicaSets scaled to 0 and kept up to {@code revisionHistoryLimit}, ScalingReplicaSet events, and a status
 * summed from the ReplicaSets with the Progressing/Available conditions and their real reasons
 * (NewReplicaSetCreated, FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded,
 * DeploymentPaused/Resumed, MinimumReplicasAvailable/Unavailable). It syncs its ReplicaSets' pods itself
 * ({@link ReplicaSetController#sync}) on its own lane.
 */
final class DeploymentController {
    static final String KIND = "Deployment";
    static final String HASH_LABEL = "pod-template-hash";
    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    /** Deployment annotations a ReplicaSet does not inherit (deploymentutil.annotationsToSkip). */
    private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration", REVISION,
            REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to");
    private static final int MAX_REVISION_HISTORY_CHARS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final EventRecorder events;
    private final ReplicaSetController replicaSets;
    private final StatusWriter statusWriter;
    private final Requeue requeue;

    DeploymentController(ObjectStore store, EventRecorder events, ReplicaSetController replicaSets, Requeue requeue) {
        this.store = store;
        this.events = events;
        this.replicaSets = replicaSets;
        this.statusWriter = new StatusWriter(store);
        this.requeue = requeue;
    }

    static String path(String namespace, String name) {
        return ApiPath.collection("apps", "v1", namespace, "deployments") + "/" + name;
    }

    void reconcile(String namespace, String name) {
        JsonNode d = store.get(path(namespace, name));
        if (d == null || Owners.deleting(d)) {
            return; // the garbage collector removes what it owned
        }
        new Rollout(d).run();
    }

    /** The spec fields a rollout reads, with the API's defaults for those left out. */
    record Spec(int replicas, boolean rolling, int maxSurge, int maxUnavailable, boolean paused, int minReadySeconds,
                int revisionHistoryLimit, Integer progressDeadlineSeconds) {
        static Spec of(JsonNode d) {
            JsonNode spec = d.path("spec");
            int replicas = spec.path("replicas").asInt(1);
            boolean rolling = !"Recreate".equals(spec.path("strategy").path("type").asText());
            JsonNode ru = spec.path("strategy").path("rollingUpdate");
            int surge = rolling ? scaled(ru.path("maxSurge"), "25%", replicas, true) : 0;
            int unavailable = rolling ? scaled(ru.path("maxUnavailable"), "25%", replicas, false) : 0;
            if (rolling && surge == 0 && unavailable == 0) {
                unavailable = 1; // ResolveFenceposts: both rounding to zero would never progress
            }
            if (replicas == 0 || !rolling) {
                unavailable = 0;
            }
            Integer deadline = spec.has("progressDeadlineSeconds") ? spec.path("progressDeadlineSeconds").asInt() : 600;
            if (deadline != null && deadline == Integer.MAX_VALUE) {
                deadline = null;
            }
            return new Spec(replicas, rolling, surge, Math.min(unavailable, replicas),
                    spec.path("paused").asBoolean(false), spec.path("minReadySeconds").asInt(0),
                    spec.path("revisionHistoryLimit").asInt(10), deadline);
        }

        /** intstr.GetScaledValueFromIntOrPercent. */
        private static int scaled(JsonNode value, String fallback, int total, boolean roundUp) {
            String v = value.isMissingNode() || value.isNull() ? fallback : value.asText();
            if (v.endsWith("%")) {
                try {
                    double pct = Integer.parseInt(v.substring(0, v.length() - 1)) * total / 100.0;
                    return (int) (roundUp ? Math.ceil(pct) : Math.floor(pct));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
            return value.asInt(0);
        }
    }

    /** One reconcile of one Deployment: the ReplicaSets as they are now, changed step by step. */
    private final class Rollout {
        private final JsonNode d;
        private final String ns;
        private final Spec spec;
        private final List<ReplicaSetController.Synced> all = new ArrayList<>();
        private ReplicaSetController.Synced newRs;
        private final DeploymentStatus status;
        private long requeueInMs = -1;
        /** Paused or scaled: the controller only scales and reports, it does not judge rollout progress. */
        private boolean syncOnly;

        Rollout(JsonNode d) {
            this.d = d;
            this.ns = d.path("metadata").path("namespace").asText();
            this.spec = Spec.of(d);
            this.status = new DeploymentStatus(d);
        }

        void run() {
            load();
            newRs = findNew();
            syncOnly = spec.paused() || isScalingEvent();
            if (syncOnly) {
                if (newRs != null) {
                    syncNewAnnotations();
                }
                scale();
                if (spec.paused()) {
                    cleanup();
                }
                status.paused(spec.paused(), spec.progressDeadlineSeconds() != null);
            } else {
                status.paused(false, spec.progressDeadlineSeconds() != null);
                if (spec.rolling()) {
                    rolling();
                } else {
                    recreate();
                }
            }
            writeRevision();
            finish();
        }

        // ---- the ReplicaSets ----

        private void load() {
            Map<String, String> selector = Pods.matchLabels(d);
            JsonNode fullSelector = d.path("spec").path("selector");
            List<JsonNode> owned = Owners.claim(store, d, fullSelector,
                    store.list(ReplicaSetController.collection(ns) + Pods.labelQuery(selector)),
                    rs -> ReplicaSetController.path(ns, Pods.name(rs)));
            owned.sort(Comparator.comparing((JsonNode rs) -> rs.path("metadata").path("creationTimestamp").asText(""))
                    .thenComparing(Pods::name));
            List<JsonNode> pods = owned.isEmpty() ? List.of() : store.list(Pods.collection(ns) + Pods.labelQuery(selector));
            deleteLegacyPods(pods);
            for (JsonNode rs : owned) {
                List<JsonNode> mine = Owners.claim(store, rs, rs.path("spec").path("selector"), pods,
                        p -> Pods.path(ns, Pods.name(p)));
                all.add(track(replicaSets.sync(rs, mine)));
            }
        }

        /** Pods an earlier sandbox made for the Deployment itself (before it had ReplicaSets): its ReplicaSets replace them. */
        private void deleteLegacyPods(List<JsonNode> pods) {
            for (JsonNode p : pods) {
                if (Owners.controlledBy(p, d)) {
                    store.delete(Pods.path(ns, Pods.name(p)));
                }
            }
        }

        private ReplicaSetController.Synced track(ReplicaSetController.Synced synced) {
            if (synced.nextAvailableInMs() >= 0) {
                requeueIn(synced.nextAvailableInMs());
            }
            return synced;
        }

        /**
         * FindNewReplicaSet: the oldest ReplicaSet with the Deployment's template. The one labelled with the
         * template's hash is tried first, so that a reconcile does not compare every old template.
         */
        private ReplicaSetController.Synced findNew() {
            JsonNode template = d.path("spec").path("template");
            String hash = templateHash(template, status.collisionCount());
            for (ReplicaSetController.Synced rs : all) {
                if (hash.equals(Pods.label(rs.rs(), HASH_LABEL)) && sameTemplate(rs.rs().path("spec").path("template"), template)) {
                    return rs;
                }
            }
            for (ReplicaSetController.Synced rs : all) {
                if (!hash.equals(Pods.label(rs.rs(), HASH_LABEL)) && sameTemplate(rs.rs().path("spec").path("template"), template)) {
                    return rs;
                }
            }
            return null;
        }

        private List<ReplicaSetController.Synced> old() {
            List<ReplicaSetController.Synced> old = new ArrayList<>(all);
            old.remove(newRs);
            return old;
        }

        private List<ReplicaSetController.Synced> active(List<ReplicaSetController.Synced> list) {
            return list.stream().filter(rs -> rs != null && rs.replicas() > 0).toList();
        }

        private long maxOldRevision() {
            long max = 0;
            for (ReplicaSetController.Synced rs : old()) {
                max = Math.max(max, revisionOf(rs.rs()));
            }
            return max;
        }

        private void replace(ReplicaSetController.Synced before, ReplicaSetController.Synced after) {
            int i = all.indexOf(before);
            if (i >= 0) {
                all.set(i, after);
            } else {
                all.add(after);
            }
            if (before == newRs) {
                newRs = after;
            }
        }

        // ---- new ReplicaSet: find, create, annotate ----

        /** The new ReplicaSet, created (scaled as far as the surge allows) when there is none. */
        private boolean ensureNew() {
            if (newRs != null) {
                syncNewAnnotations();
                if (status.progressing() == null && spec.progressDeadlineSeconds() != null) {
                    status.set("Progressing", "True", "FoundNewReplicaSet",
                            "Found new replica set \"" + Pods.name(newRs.rs()) + "\"");
                }
                return true;
            }
            String hash = templateHash(d.path("spec").path("template"), status.collisionCount());
            ObjectNode rs = newReplicaSet(hash);
            int replicas = newReplicas(0);
            rs.with("spec").put("replicas", replicas);
            JsonNode created = store.create(ReplicaSetController.collection(ns), rs);
            if (created == null) {
                return adoptOrCollide(Pods.name(rs));
            }
            if (replicas > 0) {
                events.normal(EventRecorder.Source.DEPLOYMENT, d, "ScalingReplicaSet",
                        "Scaled up replica set " + Pods.name(created) + " from 0 to " + replicas);
            }
            if (spec.progressDeadlineSeconds() != null) {
                status.set("Progressing", "True", "NewReplicaSetCreated",
                        "Created new replica set \"" + Pods.name(created) + "\"");
            }
            newRs = track(replicaSets.sync(created, List.of()));
            all.add(newRs);
            return true;
        }

        /** The name is taken: ours after all (a stale read), or a collision, which changes the hash next time. */
        private boolean adoptOrCollide(String name) {
            JsonNode existing = store.get(ReplicaSetController.path(ns, name));
            if (existing != null && Owners.controlledBy(existing, d)
                    && sameTemplate(existing.path("spec").path("template"), d.path("spec").path("template"))) {
                newRs = track(replicaSets.sync(existing, replicaSets.podsOf(existing)));
                all.add(newRs);
                return true;
            }
            status.collide();
            requeueIn(0);
            return false;
        }

        private ObjectNode newReplicaSet(String hash) {
            JsonNode template = d.path("spec").path("template");
            ObjectNode rs = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", ReplicaSetController.KIND);
            ObjectNode meta = rs.putObject("metadata").put("name", replicaSetName(Pods.name(d), hash)).put("namespace", ns);
            ObjectNode labels = meta.putObject("labels");
            template.path("metadata").path("labels").fields().forEachRemaining(f -> labels.set(f.getKey(), f.getValue()));
            labels.put(HASH_LABEL, hash);
            ObjectNode annotations = meta.putObject("annotations");
            copyAnnotations(annotations);
            annotations.put(DESIRED_REPLICAS, Integer.toString(spec.replicas()))
                    .put(MAX_REPLICAS, Integer.toString(spec.replicas() + spec.maxSurge()))
                    .put(REVISION, Long.toString(maxOldRevision() + 1));
            meta.putArray("ownerReferences").add(Owners.controllerRef(d));
            ObjectNode rsSpec = rs.putObject("spec").put("replicas", 0);
            if (spec.minReadySeconds() > 0) {
                rsSpec.put("minReadySeconds", spec.minReadySeconds());
            }
            ObjectNode selector = d.path("spec").path("selector").deepCopy();
            selector.with("matchLabels").put(HASH_LABEL, hash);
            rsSpec.set("selector", selector);
            ObjectNode rsTemplate = template.deepCopy();
            rsTemplate.with("metadata").with("labels").put(HASH_LABEL, hash);
            rsSpec.set("template", rsTemplate);
            return rs;
        }

        private void copyAnnotations(ObjectNode into) {
            d.path("metadata").path("annotations").fields().forEachRemaining(f -> {
                if (!NOT_COPIED.contains(f.getKey())) {
                    into.set(f.getKey(), f.getValue());
                }
            });
        }

        /**
         * The new ReplicaSet carries the Deployment's annotations and the highest revision; when it had a lower
         * one (a rollback to it), that one moves to its revision history.
         */
        private void syncNewAnnotations() {
            JsonNode rs = newRs.rs();
            JsonNode had = rs.path("metadata").path("annotations");
            ObjectNode wanted = had.isObject() ? (ObjectNode) had.deepCopy() : JSON.createObjectNode();
            copyAnnotations(wanted);
            long newRevision = maxOldRevision() + 1;
            long oldRevision = revisionOf(rs);
            if (oldRevision < newRevision) {
                wanted.put(REVISION, Long.toString(newRevision));
                if (had.has(REVISION)) {
                    wanted.put(REVISION_HISTORY, appendHistory(had.path(REVISION_HISTORY).asText(""), had.path(REVISION).asText()));
                }
            }
            boolean minReadyChanged = rs.path("spec").path("minReadySeconds").asInt(0) != spec.minReadySeconds();
            if (wanted.equals(had) && !minReadyChanged) {
                return;
            }
            ObjectNode patch = JSON.createObjectNode();
            patch.putObject("metadata").set("annotations", wanted);
            if (minReadyChanged) {
                patch.putObject("spec").put("minReadySeconds", spec.minReadySeconds());
            }
            JsonNode updated = store.mergePatch(ReplicaSetController.path(ns, Pods.name(rs)), patch);
            if (updated != null) {
                replace(newRs, new ReplicaSetController.Synced(withStatus(updated, newRs.rs()), newRs.pods(),
                        newRs.nextAvailableInMs(), updated));
            }
        }

        private String appendHistory(String history, String revision) {
            if (history.isEmpty()) {
                return revision;
            }
            List<String> revisions = new ArrayList<>(List.of(history.split(",")));
            int length = history.length() + revision.length() + 1;
            while (length > MAX_REVISION_HISTORY_CHARS && !revisions.isEmpty()) {
                length -= revisions.remove(0).length() + 1;
            }
            revisions.add(revision);
            return String.join(",", revisions);
        }

        /** The Deployment's revision annotation follows its new ReplicaSet's. */
        private void writeRevision() {
            if (newRs == null) {
                return;
            }
            String revision = newRs.rs().path("metadata").path("annotations").path(REVISION).asText(null);
            if (revision == null || revision.equals(d.path("metadata").path("annotations").path(REVISION).asText(null))) {
                return;
            }
            ObjectNode patch = JSON.createObjectNode();
            patch.putObject("metadata").putObject("annotations").put(REVISION, revision);
            store.mergePatch(path(ns, Pods.name(d)), patch);
        }

        // ---- scaling ----

        /** Scales one ReplicaSet (and records the replica annotations), then syncs its pods. */
        private boolean scaleTo(ReplicaSetController.Synced rs, int replicas) {
            JsonNode obj = rs.rs();
            String desired = Integer.toString(spec.replicas());
            String max = Integer.toString(spec.replicas() + spec.maxSurge());
            JsonNode annotations = obj.path("metadata").path("annotations");
            boolean sizeChanges = rs.replicas() != replicas;
            if (!sizeChanges && desired.equals(annotations.path(DESIRED_REPLICAS).asText(null))
                    && max.equals(annotations.path(MAX_REPLICAS).asText(null))) {
                return false;
            }
            ObjectNode patch = JSON.createObjectNode();
            patch.putObject("metadata").putObject("annotations").put(DESIRED_REPLICAS, desired).put(MAX_REPLICAS, max);
            patch.putObject("spec").put("replicas", replicas);
            JsonNode updated = store.mergePatch(ReplicaSetController.path(ns, Pods.name(obj)), patch);
            if (updated == null) {
                return false;
            }
            if (sizeChanges) {
                events.normal(EventRecorder.Source.DEPLOYMENT, d, "ScalingReplicaSet", "Scaled "
                        + (replicas > rs.replicas() ? "up" : "down") + " replica set " + Pods.name(obj) + " from "
                        + rs.replicas() + " to " + replicas);
            }
            replace(rs, track(replicaSets.sync(updated, rs.pods())));
            return sizeChanges;
        }

        /** NewRSNewReplicas: as far up as the surge allows, never beyond the desired count. */
        private int newReplicas(int current) {
            if (!spec.rolling()) {
                return spec.replicas();
            }
            int total = all.stream().mapToInt(ReplicaSetController.Synced::replicas).sum();
            int maxTotal = spec.replicas() + spec.maxSurge();
            if (total >= maxTotal) {
                return current;
            }
            return current + Math.min(maxTotal - total, spec.replicas() - current);
        }

        private void rolling() {
            if (!ensureNew()) {
                return;
            }
            // the real controller waits for the next event after each step; its own writes would wake it up,
            // and here they are not reported back to this reconcile, so it takes the next step at once
            for (int step = 0; step < 5; step++) {
                if (!scaleUpNew() && !scaleDownOld()) {
                    break;
                }
            }
            if (complete()) {
                cleanup();
            }
        }

        private boolean scaleUpNew() {
            if (newRs.replicas() == spec.replicas()) {
                return false;
            }
            int target = newRs.replicas() > spec.replicas() ? spec.replicas() : newReplicas(newRs.replicas());
            return scaleTo(newRs, target);
        }

        /** reconcileOldReplicaSets: unhealthy old pods first, then as many as availability allows. */
        private boolean scaleDownOld() {
            List<ReplicaSetController.Synced> old = active(old());
            int oldCount = old.stream().mapToInt(ReplicaSetController.Synced::replicas).sum();
            if (oldCount == 0) {
                return false;
            }
            int allCount = all.stream().mapToInt(ReplicaSetController.Synced::replicas).sum();
            int minAvailable = spec.replicas() - spec.maxUnavailable();
            int newUnavailable = newRs.replicas() - newRs.statusInt("availableReplicas");
            int maxScaledDown = allCount - minAvailable - newUnavailable;
            if (maxScaledDown <= 0) {
                return false;
            }
            int cleaned = 0;
            for (ReplicaSetController.Synced rs : old) {
                int unhealthy = rs.replicas() - rs.statusInt("availableReplicas");
                if (cleaned >= maxScaledDown || unhealthy <= 0) {
                    continue;
                }
                int down = Math.min(maxScaledDown - cleaned, unhealthy);
                scaleTo(rs, rs.replicas() - down);
                cleaned += down;
            }
            return cleaned + scaleDownForAvailability() > 0;
        }

        private int scaleDownForAvailability() {
            int minAvailable = spec.replicas() - spec.maxUnavailable();
            int available = all.stream().mapToInt(rs -> rs.statusInt("availableReplicas")).sum();
            if (available <= minAvailable) {
                return 0;
            }
            int budget = available - minAvailable;
            int done = 0;
            for (ReplicaSetController.Synced rs : active(old())) {
                if (done >= budget) {
                    break;
                }
                int down = Math.min(rs.replicas(), budget - done);
                scaleTo(rs, rs.replicas() - down);
                done += down;
            }
            return done;
        }

        /** Recreate: every old pod gone first, then the new ReplicaSet at full size. */
        private void recreate() {
            for (ReplicaSetController.Synced rs : active(old())) {
                scaleTo(rs, 0);
            }
            boolean oldPodsLeft = old().stream().anyMatch(rs -> !rs.pods().isEmpty());
            if (oldPodsLeft || !ensureNew()) {
                return;
            }
            scaleTo(newRs, spec.replicas());
            if (complete()) {
                cleanup();
            }
        }

        private boolean isScalingEvent() {
            List<ReplicaSetController.Synced> list = new ArrayList<>(old());
            list.add(newRs);
            for (ReplicaSetController.Synced rs : active(list)) {
                String desired = rs.rs().path("metadata").path("annotations").path(DESIRED_REPLICAS).asText(null);
                if (desired != null && !desired.equals(Integer.toString(spec.replicas()))) {
                    return true;
                }
            }
            return false;
        }

        /** The controller's scale(): one active ReplicaSet takes the new size; several share it in proportion. */
        private void scale() {
            List<ReplicaSetController.Synced> active = active(all);
            if (active.size() <= 1) {
                ReplicaSetController.Synced target = active.isEmpty() ? latest() : active.get(0);
                if (target != null) {
                    scaleTo(target, spec.replicas());
                }
                return;
            }
            if (newRs != null && newRs.replicas() == spec.replicas()
                    && newRs.statusInt("availableReplicas") == spec.replicas()) {
                for (ReplicaSetController.Synced rs : active(old())) {
                    scaleTo(rs, 0);
                }
                return;
            }
            if (spec.rolling()) {
                scaleProportionally(active);
            }
        }

        private ReplicaSetController.Synced latest() {
            if (newRs != null) {
                return newRs;
            }
            return all.isEmpty() ? null : all.get(all.size() - 1);
        }

        private void scaleProportionally(List<ReplicaSetController.Synced> active) {
            int current = active.stream().mapToInt(ReplicaSetController.Synced::replicas).sum();
            int allowed = spec.replicas() > 0 ? spec.replicas() + spec.maxSurge() : 0;
            int toAdd = allowed - current;
            if (toAdd == 0) {
                return;
            }
            List<ReplicaSetController.Synced> order = new ArrayList<>(active);
            order.sort(Comparator.comparingInt(ReplicaSetController.Synced::replicas).reversed());
            Map<ReplicaSetController.Synced, Integer> sizes = new java.util.LinkedHashMap<>();
            int added = 0;
            for (ReplicaSetController.Synced rs : order) {
                int maxBefore = rs.rs().path("metadata").path("annotations").path(MAX_REPLICAS).asInt(current);
                int share = maxBefore == 0 ? 0 : Math.round((float) rs.replicas() * allowed / maxBefore) - rs.replicas();
                share = toAdd > 0 ? Math.min(share, toAdd - added) : Math.max(share, toAdd - added);
                sizes.put(rs, rs.replicas() + share);
                added += share;
            }
            ReplicaSetController.Synced largest = order.get(0);
            sizes.put(largest, Math.max(0, sizes.get(largest) + toAdd - added));
            sizes.forEach(this::scaleTo);
        }

        /** Old ReplicaSets beyond revisionHistoryLimit, emptied, are deleted oldest revision first. */
        private void cleanup() {
            List<ReplicaSetController.Synced> old = new ArrayList<>(old());
            int surplus = old.size() - spec.revisionHistoryLimit();
            if (surplus <= 0) {
                return;
            }
            old.sort(Comparator.comparingLong(rs -> revisionOf(rs.rs())));
            for (ReplicaSetController.Synced rs : old.subList(0, surplus)) {
                JsonNode obj = rs.rs();
                if (rs.replicas() == 0 && rs.statusInt("replicas") == 0 && !Owners.deleting(obj)) {
                    store.delete(ReplicaSetController.path(ns, Pods.name(obj)));
                    all.remove(rs);
                }
            }
        }

        // ---- status ----

        private boolean complete() {
            return status.complete(summary(), spec.replicas());
        }

        private DeploymentStatus.Counts summary() {
            int replicas = 0;
            int ready = 0;
            int available = 0;
            int specTotal = 0;
            for (ReplicaSetController.Synced rs : all) {
                replicas += rs.statusInt("replicas");
                ready += rs.statusInt("readyReplicas");
                available += rs.statusInt("availableReplicas");
                specTotal += rs.replicas();
            }
            int updated = newRs == null ? 0 : newRs.statusInt("replicas");
            return new DeploymentStatus.Counts(replicas, updated, ready, available, Math.max(0, specTotal - available));
        }

        private void finish() {
            DeploymentStatus.Counts counts = summary();
            String newName = newRs == null ? null : Pods.name(newRs.rs());
            long deadlineIn = status.update(counts, spec, Pods.name(d), newName, !syncOnly);
            if (deadlineIn >= 0) {
                requeueIn(deadlineIn);
            }
            statusWriter.write(path(ns, Pods.name(d)), d, status.toJson());
            // the ReplicaSets' statuses after the Deployment's: what waits for a rollout reads the latter
            all.forEach(replicaSets::writeStatus);
            if (requeueInMs >= 0) {
                requeue.after(KIND, ns, Pods.name(d), requeueInMs);
            }
        }

        private void requeueIn(long ms) {
            requeueInMs = requeueInMs < 0 ? Math.max(0, ms) : Math.min(requeueInMs, Math.max(0, ms));
        }
    }

    static String replicaSetName(String deployment, String hash) {
        int max = 253 - 1 - hash.length();
        return (deployment.length() > max ? deployment.substring(0, max) : deployment) + "-" + hash;
    }

    static String templateHash(JsonNode template, int collisionCount) {
        JsonNode normal = JsonTools.withoutEmpty(template);
        return JsonTools.stableHash(collisionCount == 0 ? normal
                : JSON.createObjectNode().put("collisionCount", collisionCount).set("template", normal));
    }

    /** EqualIgnoreHash: the templates without the pod-template-hash label, empty and absent fields alike. */
    static boolean sameTemplate(JsonNode a, JsonNode b) {
        return JsonTools.canonical(JsonTools.withoutEmpty(withoutHash(a)))
                .equals(JsonTools.canonical(JsonTools.withoutEmpty(withoutHash(b))));
    }

    private static JsonNode withoutHash(JsonNode template) {
        if (!template.path("metadata").path("labels").has(HASH_LABEL)) {
            return template;
        }
        ObjectNode copy = template.deepCopy();
        ((ObjectNode) copy.get("metadata").get("labels")).remove(HASH_LABEL);
        return copy;
    }

    static long revisionOf(JsonNode rs) {
        try {
            return Long.parseLong(rs.path("metadata").path("annotations").path(REVISION).asText("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An object as stored after a metadata write, with the status this reconcile computed for it. */
    private static JsonNode withStatus(JsonNode updated, JsonNode computed) {
        ObjectNode copy = updated.deepCopy();
        if (computed.has("status")) {
            copy.set("status", computed.get("status"));
        }
        return copy;
    }

}
