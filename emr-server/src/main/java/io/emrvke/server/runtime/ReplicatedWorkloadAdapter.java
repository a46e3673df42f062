package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The apps/v1 workloads with one pod template and {@code spec.replicas} (Deployment, StatefulSet): restart
 * patches the template's restartedAt as {@code kubectl rollout restart} does and waits for the rollout; stop
 * records the size in an annotation and scales to 0; start restores the size.
 */
abstract class ReplicatedWorkloadAdapter implements WorkloadAdapter {
    private static final List<String> TEMPLATE = List.of("/spec/template");
    private final WorkloadKind kind;
    private final Function<KubernetesClient, MixedOperation<? extends HasMetadata, ?, ?>> objects;
    private final BiFunction<HasMetadata, Collection<Pod>, InstanceStatus> status;

    /**
     * @param objects the kind's typed client operations
     * @param status  the kind's status from the typed object and its pods
     */
    ReplicatedWorkloadAdapter(WorkloadKind kind,
                              Function<KubernetesClient, MixedOperation<? extends HasMetadata, ?, ?>> objects,
                              BiFunction<HasMetadata, Collection<Pod>, InstanceStatus> status) {
        this.kind = kind;
        this.objects = objects;
        this.status = status;
    }

    @Override
    public WorkloadKind kind() {
        return kind;
    }

    @Override
    public MixedOperation<? extends HasMetadata, ?, ?> objects(KubernetesClient client) {
        return objects.apply(client);
    }

    @Override
    public InstanceStatus status(HasMetadata workload, Collection<Pod> pods) {
        return status.apply(workload, pods);
    }

    @Override
    public List<String> podTemplatePointers(GenericKubernetesResource workload) {
        return TEMPLATE;
    }

    @Override
    public void checkSpec(ObjectValidation check, Map<String, Object> spec) {
        check.replicatedWorkload(spec);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void keepStopped(GenericKubernetesResource live, GenericKubernetesResource update) {
        if (ObjectFields.annotation(live, Labels.REPLICAS_BEFORE_STOP) != null) {
            // stopped: stay stopped, and start at the new revision's size
            Map<String, Object> spec = (Map<String, Object>) update.getAdditionalProperties().get("spec");
            update.getMetadata().getAnnotations().put(Labels.REPLICAS_BEFORE_STOP, String.valueOf(spec.get("replicas")));
            spec.put("replicas", 0);
        }
    }

    @Override
    public ActionResult restart(LiveWorkload w, String token, Duration timeout) {
        long generation = ObjectFields.generation(w.object());
        if (token.equals(ObjectFields.templateAnnotation(w.object(), Labels.RESTARTED_AT))) {
            InstanceStatus status = w.waitFor("finish restarting", rolledOut(generation), timeout);
            return new ActionResult(ActionResult.Outcome.ALREADY_DONE, token, status, "already restarted with token " + token);
        }
        Map<String, String> podAnnotations = new LinkedHashMap<>();
        podAnnotations.put(Labels.RESTARTED_AT, token);
        String checksum = ObjectFields.annotation(w.object(), Labels.CONFIG_CHECKSUM);
        if (checksum != null) {
            podAnnotations.put(Labels.CONFIG_CHECKSUM, checksum);
        }
        GenericKubernetesResource patched = w.mergePatch(
                Map.of("spec", Map.of("template", Map.of("metadata", Map.of("annotations", podAnnotations)))));
        InstanceStatus status = w.waitFor("finish restarting", rolledOut(ObjectFields.generation(patched)), timeout);
        return new ActionResult(ActionResult.Outcome.APPLIED, token, status, null);
    }

    @Override
    public ActionResult stop(LiveWorkload w, Duration timeout) {
        Predicate<InstanceStatus> stopped = s -> s.state() == InstanceState.STOPPED;
        int replicas = ObjectFields.replicas(w.object());
        if (replicas == 0) {
            return new ActionResult(ActionResult.Outcome.ALREADY_DONE, null, w.waitFor("stop", stopped, timeout), "already stopped");
        }
        GenericKubernetesResource patched = w.mergePatch(Map.of(
                "metadata", Map.of("annotations", Map.of(Labels.REPLICAS_BEFORE_STOP, String.valueOf(replicas))),
                "spec", Map.of("replicas", 0)));
        long generation = ObjectFields.generation(patched);
        return new ActionResult(ActionResult.Outcome.APPLIED, null,
                w.waitFor("stop", s -> stopped.test(s) && s.generation() >= generation, timeout), null);
    }

    @Override
    public ActionResult start(LiveWorkload w, Duration timeout) {
        if (ObjectFields.replicas(w.object()) > 0) {
            InstanceStatus status = w.waitFor("be ready", rolledOut(ObjectFields.generation(w.object())), timeout);
            return new ActionResult(ActionResult.Outcome.ALREADY_DONE, null, status, "already running");
        }
        String before = ObjectFields.annotation(w.object(), Labels.REPLICAS_BEFORE_STOP);
        List<Map<String, Object>> ops = new ArrayList<>();
        ops.add(Map.of("op", "add", "path", "/spec/replicas", "value", sizeBeforeStop(before)));
        if (before != null) {
            // JSON patch, because a merge patch with null is not a delete on every API server
            ops.add(Map.of("op", "remove", "path", "/metadata/annotations/" + ObjectFields.pointerKey(Labels.REPLICAS_BEFORE_STOP)));
        }
        long generation = ObjectFields.generation(w.jsonPatch(ops));
        return new ActionResult(ActionResult.Outcome.APPLIED, null,
                w.waitFor("be ready", s -> s.observed(generation) && s.state() == InstanceState.RUNNING, timeout), null);
    }

    private static Predicate<InstanceStatus> rolledOut(long generation) {
        return s -> s.observed(generation) && s.rolloutComplete();
    }

    /** The recorded size; 1 when the annotation is missing or unreadable (someone scaled to 0 by hand). */
    private static int sizeBeforeStop(String annotation) {
        try {
            int size = annotation == null ? 1 : Integer.parseInt(annotation.strip());
            return size > 0 ? size : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
