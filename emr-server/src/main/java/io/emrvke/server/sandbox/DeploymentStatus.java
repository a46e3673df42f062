package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Deployment's status as the controller computes it (calculateStatus, syncRolloutStatus and the condition
 * helpers of deploymentutil): counts summed from its ReplicaSets, zero counts left out as the API does, and the
 * Available and Progressing conditions, whose transition time only moves when their status changes.
 */
final class DeploymentStatus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROGRESSING = "Progressing";

    record Counts(int replicas, int updated, int ready, int available, int unavailable) {
    }

    private final JsonNode old;
    private final long generation;
    private final List<ObjectNode> conditions = new ArrayList<>();
    private Integer collisionCount;
    private Counts counts;

    DeploymentStatus(JsonNode deployment) {
        this.old = deployment.path("status");
        this.generation = deployment.path("metadata").path("generation").asLong(1);
        old.path("conditions").forEach(c -> conditions.add(c.deepCopy()));
        this.collisionCount = old.has("collisionCount") ? old.path("collisionCount").asInt() : null;
    }

    int collisionCount() {
        return collisionCount == null ? 0 : collisionCount;
    }

    /** A ReplicaSet of another owner holds the name: the next hash includes a higher collision count. */
    void collide() {
        collisionCount = collisionCount() + 1;
    }

    ObjectNode progressing() {
        return find(PROGRESSING);
    }

    private ObjectNode find(String type) {
        for (ObjectNode c : conditions) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    /** SetDeploymentCondition: unchanged status and reason leave the condition alone. */
    void set(String type, String status, String reason, String message) {
        ObjectNode current = find(type);
        if (current != null && status.equals(current.path("status").asText())
                && reason.equals(current.path("reason").asText())) {
            return;
        }
        String now = StatusWriter.now();
        ObjectNode c = JSON.createObjectNode().put("type", type).put("status", status).put("lastUpdateTime", now)
                .put("lastTransitionTime", now).put("reason", reason).put("message", message);
        if (current != null && status.equals(current.path("status").asText())) {
            c.put("lastTransitionTime", current.path("lastTransitionTime").asText(now));
        }
        conditions.remove(current);
        conditions.add(c);
    }

    private void remove(String type) {
        conditions.removeIf(c -> type.equals(c.path("type").asText()));
    }

    /** checkPausedConditions: pausing and resuming are recorded, unless the rollout already timed out. */
    void paused(boolean paused, boolean hasDeadline) {
        ObjectNode cond = progressing();
        if (!hasDeadline || cond != null && "ProgressDeadlineExceeded".equals(cond.path("reason").asText())) {
            return;
        }
        boolean pausedBefore = cond != null && "DeploymentPaused".equals(cond.path("reason").asText());
        if (paused && !pausedBefore) {
            set(PROGRESSING, "Unknown", "DeploymentPaused", "Deployment is paused");
        } else if (!paused && pausedBefore) {
            set(PROGRESSING, "Unknown", "DeploymentResumed", "Deployment is resumed");
        }
    }

    boolean complete(Counts c, int desired) {
        return c.updated() == desired && c.replicas() == desired && c.available() == desired;
    }

    /**
     * Sets the counts and conditions; with {@code estimateProgress} also judges the rollout (complete,
     * progressing, or past its deadline). Returns how long until the deadline must be checked, or -1.
     */
    long update(Counts c, DeploymentController.Spec spec, String deployment, String newRs, boolean estimateProgress) {
        counts = c;
        if (c.available() >= spec.replicas() - spec.maxUnavailable()) {
            set("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.");
        } else {
            set("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");
        }
        if (!estimateProgress) {
            return -1;
        }
        Integer deadline = spec.progressDeadlineSeconds();
        if (deadline == null) {
            remove(PROGRESSING);
            return -1;
        }
        ObjectNode cond = progressing();
        boolean done = c.replicas() == c.updated() && cond != null
                && "NewReplicaSetAvailable".equals(cond.path("reason").asText());
        if (done) {
            return -1;
        }
        String subject = newRs == null ? "Deployment \"" + deployment + "\"" : "ReplicaSet \"" + newRs + "\"";
        if (complete(c, spec.replicas())) {
            set(PROGRESSING, "True", "NewReplicaSetAvailable", subject + " has successfully progressed.");
            return -1;
        }
        if (progressed(c)) {
            markProgress(subject + " is progressing.");
        } else if (timedOut(cond, deadline)) {
            set(PROGRESSING, "False", "ProgressDeadlineExceeded", subject + " has timed out progressing.");
            return -1;
        }
        ObjectNode now = progressing();
        if (now == null || "ProgressDeadlineExceeded".equals(now.path("reason").asText())) {
            return -1;
        }
        Instant due = Instant.parse(now.path("lastUpdateTime").asText(StatusWriter.now())).plusSeconds(deadline + 1);
        return Math.max(0, due.toEpochMilli() - System.currentTimeMillis());
    }

    /** DeploymentProgressing: more pods updated, ready or available, or fewer old ones, than last time. */
    private boolean progressed(Counts c) {
        int oldOld = old.path("replicas").asInt(0) - old.path("updatedReplicas").asInt(0);
        int newOld = c.replicas() - c.updated();
        return c.updated() > old.path("updatedReplicas").asInt(0) || newOld < oldOld
                || c.ready() > old.path("readyReplicas").asInt(0) || c.available() > old.path("availableReplicas").asInt(0);
    }

    /** Progress refreshes lastUpdateTime (and keeps lastTransitionTime while the condition stays True). */
    private void markProgress(String message) {
        ObjectNode current = progressing();
        String now = StatusWriter.now();
        ObjectNode c = JSON.createObjectNode().put("type", PROGRESSING).put("status", "True").put("lastUpdateTime", now)
                .put("lastTransitionTime", now).put("reason", "ReplicaSetUpdated").put("message", message);
        if (current != null && "True".equals(current.path("status").asText())) {
            c.put("lastTransitionTime", current.path("lastTransitionTime").asText(now));
        }
        conditions.remove(current);
        conditions.add(c);
    }

    private static boolean timedOut(ObjectNode cond, int deadline) {
        if (cond == null || "NewReplicaSetAvailable".equals(cond.path("reason").asText())) {
            return false;
        }
        if ("ProgressDeadlineExceeded".equals(cond.path("reason").asText())) {
            return true;
        }
        try {
            return Instant.parse(cond.path("lastUpdateTime").asText()).plusSeconds(deadline).isBefore(Instant.now());
        } catch (RuntimeException e) {
            return false;
        }
    }

    ObjectNode toJson() {
        ObjectNode s = JSON.createObjectNode().put("observedGeneration", generation);
        if (counts != null) {
            ReplicaSetController.putIfPositive(s, "replicas", counts.replicas());
            ReplicaSetController.putIfPositive(s, "updatedReplicas", counts.updated());
            ReplicaSetController.putIfPositive(s, "readyReplicas", counts.ready());
            ReplicaSetController.putIfPositive(s, "availableReplicas", counts.available());
            ReplicaSetController.putIfPositive(s, "unavailableReplicas", counts.unavailable());
        }
        if (!conditions.isEmpty()) {
            ArrayNode list = s.putArray("conditions");
            conditions.forEach(list::add);
        }
        if (collisionCount != null) {
            s.put("collisionCount", collisionCount);
        }
        return s;
    }
}
