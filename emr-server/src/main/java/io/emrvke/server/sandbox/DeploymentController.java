package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What kube-controller-manager does for a Deployment, without ReplicaSets: pods named
 * {@code <deploy>-<template-hash>-<5>}, a rolling update with the default 25% surge / 25%
 * unavailable (at least one surge pod), scale, pause, and a status that tells the truth.
 */
final class DeploymentController {
    static final String KIND = "Deployment";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectStore store;
    private final StatusWriter statusWriter;

    DeploymentController(ObjectStore store) {
        this.store = store;
        this.statusWriter = new StatusWriter(store);
    }

    static String path(String namespace, String name) {
        return ApiPath.collection("apps", "v1", namespace, "deployments") + "/" + name;
    }

    void reconcile(String namespace, String name) {
        JsonNode deploy = store.get(path(namespace, name));
        Map<String, String> selector = Pods.matchLabels(deploy);
        List<JsonNode> pods = Pods.controlledBy(store, namespace, KIND, name, selector);
        if (deploy == null || deploy.path("metadata").has("deletionTimestamp")) {
            Pods.deleteAll(store, pods);
            return;
        }
        pods = Workloads.dropOrphans(store, deploy, pods);
        String hash = JsonTools.stableHash(deploy.path("spec").path("template"));
        int desired = deploy.path("spec").path("replicas").asInt(1);
        if (!deploy.path("spec").path("paused").asBoolean(false)) {
            if (roll(deploy, pods, hash, desired)) {
                pods = Workloads.dropOrphans(store, deploy, Pods.controlledBy(store, namespace, KIND, name, selector));
            }
        }
        statusWriter.write(path(namespace, name), deploy, status(deploy, pods, hash, desired));
    }

    /** One rolling-update step; true when it created or deleted a pod (the caller then lists again). */
    private boolean roll(JsonNode deploy, List<JsonNode> pods, String hash, int desired) {
        List<JsonNode> current = new ArrayList<>();
        List<JsonNode> old = new ArrayList<>();
        for (JsonNode p : pods) {
            (hash.equals(Pods.label(p, "pod-template-hash")) ? current : old).add(p);
        }
        int maxSurge = Math.max(1, (int) Math.ceil(desired * 0.25));
        int maxUnavailable = (int) Math.floor(desired * 0.25);
        // surplus new pods go first, not-ready ones before ready ones
        current.sort(Comparator.comparing(Pods::isReady));
        boolean changed = false;
        while (current.size() > desired) {
            JsonNode extra = current.remove(0);
            Pods.deleteAll(store, List.of(extra));
            changed = true;
        }
        int toCreate = Math.min(desired - current.size(), desired + maxSurge - current.size() - old.size());
        for (int i = 0; i < toCreate; i++) {
            createPod(deploy, hash);
            changed = true;
        }
        // old pods that are not ready serve no one: remove them at once
        List<JsonNode> oldReady = new ArrayList<>();
        for (JsonNode p : old) {
            if (Pods.isReady(p)) {
                oldReady.add(p);
            } else {
                Pods.deleteAll(store, List.of(p));
                changed = true;
            }
        }
        long readyCurrent = current.stream().filter(Pods::isReady).count();
        long deletable = readyCurrent + oldReady.size() - (desired - maxUnavailable);
        for (int i = 0; i < deletable && i < oldReady.size(); i++) {
            Pods.deleteAll(store, List.of(oldReady.get(i)));
            changed = true;
        }
        return changed;
    }

    private void createPod(JsonNode deploy, String hash) {
        String base = Pods.name(deploy) + "-" + hash + "-";
        for (int attempt = 0; attempt < 5; attempt++) {
            JsonNode pod = Pods.fromTemplate(deploy, deploy.path("spec").path("template"),
                    base + Pods.randomSuffix(), Map.of("pod-template-hash", hash));
            if (store.create(Pods.collection(deploy.path("metadata").path("namespace").asText()), pod) != null) {
                return;
            }
        }
    }

    private static ObjectNode status(JsonNode deploy, List<JsonNode> pods, String hash, int desired) {
        int updated = 0;
        int ready = 0;
        for (JsonNode p : pods) {
            updated += hash.equals(Pods.label(p, "pod-template-hash")) ? 1 : 0;
            ready += Pods.isReady(p) ? 1 : 0;
        }
        JsonNode old = deploy.path("status");
        ObjectNode s = JSON.createObjectNode()
                .put("observedGeneration", deploy.path("metadata").path("generation").asLong(1))
                .put("replicas", pods.size()).put("updatedReplicas", updated)
                .put("readyReplicas", ready).put("availableReplicas", ready);
        if (pods.size() > ready) {
            s.put("unavailableReplicas", pods.size() - ready);
        }
        int minAvailable = desired - (int) Math.floor(desired * 0.25);
        boolean complete = updated == desired && pods.size() == desired && ready == desired;
        s.putArray("conditions")
                .add(StatusWriter.condition(old, "Available", ready >= minAvailable,
                        ready >= minAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                        ready >= minAvailable ? "Deployment has minimum availability."
                                : "Deployment does not have minimum availability."))
                .add(StatusWriter.condition(old, "Progressing", true,
                        complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                        complete ? "Deployment \"" + Pods.name(deploy) + "\" has successfully progressed."
                                : "Deployment \"" + Pods.name(deploy) + "\" is progressing."));
        return s;
    }
}
