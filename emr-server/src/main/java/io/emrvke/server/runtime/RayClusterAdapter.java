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
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * KubeRay's ray.io/v1 RayCluster: stop and start through {@code spec.suspend}; restart is suspend, wait for no
 * pods, resume, wait ready, since KubeRay has no restart verb and does not roll pods on template changes.
 */
final class RayClusterAdapter implements WorkloadAdapter {
    private static final Predicate<InstanceStatus> STOPPED = s -> s.state() == InstanceState.STOPPED;
    private static final Predicate<InstanceStatus> RUNNING = s -> s.state() == InstanceState.RUNNING;

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.RAY_CLUSTER;
    }

    @Override
    public MixedOperation<? extends HasMetadata, ?, ?> objects(KubernetesClient client) {
        return client.genericKubernetesResources(ObjectKind.of(kind()).context());
    }

    @Override
    public InstanceStatus status(HasMetadata workload, Collection<Pod> pods) {
        return StatusDeriver.ofRayCluster((GenericKubernetesResource) workload, pods);
    }

    /** The head group's template, then one per worker group. */
    @Override
    public List<String> podTemplatePointers(GenericKubernetesResource workload) {
        List<String> pointers = new ArrayList<>(List.of("/spec/headGroupSpec/template"));
        if (PodTemplates.spec(workload).get("workerGroupSpecs") instanceof List<?> groups) {
            for (int i = 0; i < groups.size(); i++) {
                pointers.add("/spec/workerGroupSpecs/" + i + "/template");
            }
        }
        return pointers;
    }

    /** The pod templates are checked as the pods KubeRay makes of them: the CRD checks little, the pods are refused. */
    @Override
    public void checkSpec(ObjectValidation check, Map<String, Object> spec) {
        Map<String, Object> head = ObjectValidation.map(spec.get("headGroupSpec"));
        rayStartParams(check, "spec.headGroupSpec.rayStartParams", head.get("rayStartParams"));
        check.podTemplate("spec.headGroupSpec.template", ObjectValidation.map(head.get("template")));
        List<Object> groups = ObjectValidation.list(spec.get("workerGroupSpecs"));
        for (int i = 0; i < groups.size(); i++) {
            String at = "spec.workerGroupSpecs[" + i + "]";
            Map<String, Object> group = ObjectValidation.map(groups.get(i));
            // the group name becomes the value of the ray.io/group label of its pods
            check.rule(at + ".groupName", group.get("groupName"), KubernetesRules::labelValue);
            for (String count : List.of("replicas", "minReplicas", "maxReplicas")) {
                if (group.containsKey(count)) {
                    check.whole(at + "." + count, group.get(count), KubernetesRules::count);
                }
            }
            rayStartParams(check, at + ".rayStartParams", group.get("rayStartParams"));
            check.podTemplate(at + ".template", ObjectValidation.map(group.get("template")));
        }
    }

    /** The RayCluster CRD types rayStartParams as map[string]string: {@code num-cpus: 2} is refused. */
    private static void rayStartParams(ObjectValidation check, String path, Object params) {
        ObjectValidation.map(params).forEach((key, value) -> {
            if (!(value instanceof String)) {
                check.violation(path + "." + key, value, "must be a string (the RayCluster CRD refuses a number or"
                        + " boolean here)");
            }
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public void keepStopped(GenericKubernetesResource live, GenericKubernetesResource update) {
        if (ObjectFields.suspended(live)) {
            ((Map<String, Object>) update.getAdditionalProperties().get("spec")).put("suspend", true);
        }
    }

    /** suspend → no pods → resume → ready; the token is written with the suspend, so a re-run resumes the same restart. */
    @Override
    public ActionResult restart(LiveWorkload w, String token, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        GenericKubernetesResource ray = w.object();
        boolean suspended = ObjectFields.suspended(ray);
        boolean ours = token.equals(ObjectFields.annotation(ray, KubernetesRuntime.RESTART_TOKEN));
        if (ours && !suspended) {
            InstanceStatus status = w.waitFor("be ready", RUNNING, ObjectFields.remaining(deadline));
            return new ActionResult(ActionResult.Outcome.ALREADY_DONE, token, status, "already restarted with token " + token);
        }
        if (!ours) {
            String checksum = ObjectFields.annotation(ray, Labels.CONFIG_CHECKSUM);
            if (suspended) {
                // a stopped RayCluster stays stopped; it starts with fresh pods anyway
                w.jsonPatch(tokenOps(ray, token, checksum, false));
                return new ActionResult(ActionResult.Outcome.APPLIED, token, w.status(), "stopped; restart token recorded");
            }
            w.jsonPatch(tokenOps(ray, token, checksum, true));
        }
        w.waitFor("stop its pods", STOPPED, ObjectFields.remaining(deadline));
        w.mergePatch(Map.of("spec", Map.of("suspend", false)));
        InstanceStatus status = w.waitFor("be ready", RUNNING, ObjectFields.remaining(deadline));
        return new ActionResult(ActionResult.Outcome.APPLIED, token, status, null);
    }

    private List<Map<String, Object>> tokenOps(GenericKubernetesResource ray, String token, String checksum, boolean suspend) {
        List<Map<String, Object>> ops = new ArrayList<>();
        ops.add(Map.of("op", "add", "path", "/metadata/annotations/" + ObjectFields.pointerKey(KubernetesRuntime.RESTART_TOKEN), "value", token));
        for (String template : podTemplatePointers(ray)) {
            ops.add(Map.of("op", "add", "path", template + "/metadata/annotations/" + ObjectFields.pointerKey(Labels.RESTARTED_AT), "value", token));
            if (checksum != null) {
                ops.add(Map.of("op", "add", "path", template + "/metadata/annotations/" + ObjectFields.pointerKey(Labels.CONFIG_CHECKSUM), "value", checksum));
            }
        }
        if (suspend) {
            ops.add(Map.of("op", "add", "path", "/spec/suspend", "value", true));
        }
        return ops;
    }

    @Override
    public ActionResult stop(LiveWorkload w, Duration timeout) {
        return setSuspend(w, true, "stop", STOPPED, "already stopped", timeout);
    }

    @Override
    public ActionResult start(LiveWorkload w, Duration timeout) {
        return setSuspend(w, false, "be ready", RUNNING, "already running", timeout);
    }

    private static ActionResult setSuspend(LiveWorkload w, boolean suspend, String goal, Predicate<InstanceStatus> reached,
                                           String alreadyDone, Duration timeout) {
        if (ObjectFields.suspended(w.object()) == suspend) {
            return new ActionResult(ActionResult.Outcome.ALREADY_DONE, null, w.waitFor(goal, reached, timeout), alreadyDone);
        }
        w.mergePatch(Map.of("spec", Map.of("suspend", suspend)));
        return new ActionResult(ActionResult.Outcome.APPLIED, null, w.waitFor(goal, reached, timeout), null);
    }
}
