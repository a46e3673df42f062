package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Derives an {@link InstanceStatus} from a workload and its pods (pure: no API calls). */
public final class StatusDeriver {
    /** Container waiting reasons that do not go away by waiting: the instance is FAILED. */
    private static final Set<String> FAILING_REASONS = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
            "CreateContainerConfigError", "CreateContainerError", "InvalidImageName", "RunContainerError");
    /** Pod label naming the group of a RayCluster pod (ours, then KubeRay's). */
    private static final List<String> RAY_GROUP_LABELS = List.of("emr-vke.io/ray-group", "ray.io/group");

    private StatusDeriver() {
    }

    public static InstanceStatus ofDeployment(Deployment d, Collection<Pod> pods) {
        var status = d.getStatus();
        int desired = orZero(d.getSpec().getReplicas(), 1);
        return ofReplicaWorkload(WorkloadKind.DEPLOYMENT, d.getMetadata().getName(), desired,
                generation(d.getMetadata().getGeneration()),
                status == null ? 0 : orZero(status.getObservedGeneration()),
                status == null ? 0 : orZero(status.getReadyReplicas(), 0),
                status == null ? 0 : orZero(status.getUpdatedReplicas(), 0),
                status == null ? null : status.getReplicas(),
                d.getSpec().getTemplate().getMetadata() == null ? null : annotation(d.getSpec().getTemplate().getMetadata().getAnnotations()),
                pods);
    }

    public static InstanceStatus ofStatefulSet(StatefulSet s, Collection<Pod> pods) {
        var status = s.getStatus();
        int desired = orZero(s.getSpec().getReplicas(), 1);
        return ofReplicaWorkload(WorkloadKind.STATEFUL_SET, s.getMetadata().getName(), desired,
                generation(s.getMetadata().getGeneration()),
                status == null ? 0 : orZero(status.getObservedGeneration()),
                status == null ? 0 : orZero(status.getReadyReplicas(), 0),
                status == null ? 0 : orZero(status.getUpdatedReplicas(), 0),
                status == null ? null : status.getReplicas(),
                s.getSpec().getTemplate().getMetadata() == null ? null : annotation(s.getSpec().getTemplate().getMetadata().getAnnotations()),
                pods);
    }

    private static InstanceStatus ofReplicaWorkload(WorkloadKind kind, String name, int desired, long generation,
                                                    long observedGeneration, int ready, int updated, Integer statusReplicas,
                                                    String token, Collection<Pod> pods) {
        boolean observed = observedGeneration >= generation;
        boolean complete = observed && updated >= desired && ready >= desired
                && (statusReplicas == null || statusReplicas == desired)
                && (desired > 0 || pods.isEmpty());
        Map<String, Integer> expected = Map.of(name, desired);
        PodReport report = PodReport.of(pods, p -> name, expected);
        InstanceState state;
        if (desired == 0) {
            state = pods.isEmpty() ? InstanceState.STOPPED : InstanceState.STOPPING;
        } else if (report.failing()) {
            state = InstanceState.FAILED;
        } else {
            state = complete ? InstanceState.RUNNING : InstanceState.STARTING;
        }
        String message = switch (state) {
            case RUNNING, STOPPED -> null;
            case STOPPING -> pods.size() + " pods of " + name + " still terminating";
            default -> !observed ? "waiting for the controller to observe generation " + generation
                    : report.describe().orElse(updated < desired ? updated + " of " + desired + " pods of " + name + " updated"
                    : "rollout of " + name + " in progress");
        };
        return new InstanceStatus(state, desired, ready, kind, name, message,
                generation, observedGeneration, pods.size(), complete, token);
    }

    @SuppressWarnings("unchecked")
    public static InstanceStatus ofRayCluster(GenericKubernetesResource ray, Collection<Pod> pods) {
        String name = ray.getMetadata().getName();
        Map<String, Object> spec = PodTemplates.spec(ray);
        boolean suspended = Boolean.TRUE.equals(spec.get("suspend"));
        Map<String, Integer> expected = new TreeMap<>();
        expected.put(name + "-head", 1);
        if (spec.get("workerGroupSpecs") instanceof List<?> groups) {
            for (Object g : groups) {
                Map<String, Object> group = (Map<String, Object>) g;
                expected.put(name + "-" + group.get("groupName"), group.get("replicas") instanceof Number n ? n.intValue() : 0);
            }
        }
        int desired = suspended ? 0 : expected.values().stream().mapToInt(Integer::intValue).sum();
        PodReport report = PodReport.of(pods, p -> name + "-" + rayGroup(p), expected);
        Object rayState = ray.getAdditionalProperties().get("status") instanceof Map<?, ?> st ? st.get("state") : null;
        String token = PodTemplates.of(ray).stream().map(t -> PodTemplates.annotations(t).get(Labels.RESTARTED_AT))
                .filter(Objects::nonNull).findFirst().orElse(null);
        InstanceState state;
        String message = null;
        if (suspended) {
            state = pods.isEmpty() ? InstanceState.STOPPED : InstanceState.STOPPING;
            message = pods.isEmpty() ? null : pods.size() + " pods of " + name + " still terminating";
        } else if ("failed".equalsIgnoreCase(String.valueOf(rayState)) || report.failing()) {
            state = InstanceState.FAILED;
            message = report.describe().orElse("KubeRay reports " + name + " failed");
        } else if (report.ready() >= desired && pods.size() == desired) {
            state = InstanceState.RUNNING;
        } else {
            state = InstanceState.STARTING;
            message = report.describe().orElse(pods.size() + " pods of " + name + ", " + desired + " wanted");
        }
        long generation = generation(ray.getMetadata().getGeneration());
        return new InstanceStatus(state, desired, report.ready(), WorkloadKind.RAY_CLUSTER, name, message,
                generation, generation, pods.size(), state == InstanceState.RUNNING || state == InstanceState.STOPPED, token);
    }

    static boolean isReady(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        return pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Why a pod is not ready, in kubectl's words (waiting reason, Unschedulable, phase), or null if unknown. */
    static String notReadyReason(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return "Terminating";
        }
        var status = pod.getStatus();
        if (status == null) {
            return "Pending";
        }
        List<ContainerStatus> containers = new ArrayList<>();
        if (status.getInitContainerStatuses() != null) {
            containers.addAll(status.getInitContainerStatuses());
        }
        if (status.getContainerStatuses() != null) {
            containers.addAll(status.getContainerStatuses());
        }
        for (ContainerStatus c : containers) {
            if (c.getState() != null && c.getState().getWaiting() != null && c.getState().getWaiting().getReason() != null) {
                return c.getState().getWaiting().getReason();
            }
            if (c.getState() != null && c.getState().getTerminated() != null && c.getState().getTerminated().getReason() != null) {
                return c.getState().getTerminated().getReason();
            }
        }
        if (status.getConditions() != null) {
            for (PodCondition c : status.getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return c.getReason() == null ? "Unschedulable" : c.getReason();
                }
            }
        }
        return status.getPhase();
    }

    static boolean isFailingReason(String reason) {
        return reason != null && (FAILING_REASONS.contains(reason) || "Failed".equals(reason));
    }

    private static String rayGroup(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        for (String key : RAY_GROUP_LABELS) {
            String group = labels == null ? null : labels.get(key);
            if (group != null) {
                return "headgroup".equals(group) ? "head" : group;
            }
        }
        return "pod";
    }

    private static String annotation(Map<String, String> annotations) {
        return annotations == null ? null : annotations.get(Labels.RESTARTED_AT);
    }

    private static long generation(Long g) {
        return g == null ? 0 : g;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static int orZero(Integer v, int dflt) {
        return v == null ? dflt : v;
    }

    /** Pods grouped by the workload (or RayCluster group) they belong to, with why they are not ready. */
    record PodReport(Map<String, int[]> groups, Map<String, Set<String>> reasons, int ready, boolean failing) {
        static PodReport of(Collection<Pod> pods, java.util.function.Function<Pod, String> groupOf, Map<String, Integer> expected) {
            Map<String, int[]> groups = new TreeMap<>(); // group -> {pods, ready, expected}
            Map<String, Set<String>> reasons = new TreeMap<>();
            expected.forEach((g, n) -> groups.put(g, new int[] {0, 0, n}));
            int ready = 0;
            boolean failing = false;
            for (Pod pod : pods) {
                String group = groupOf.apply(pod);
                int[] counts = groups.computeIfAbsent(group, g -> new int[] {0, 0, 0});
                counts[0]++;
                if (isReady(pod)) {
                    counts[1]++;
                    ready++;
                } else {
                    String reason = notReadyReason(pod);
                    if (reason != null) {
                        reasons.computeIfAbsent(group, g -> new TreeSet<>()).add(reason);
                        failing |= isFailingReason(reason);
                    }
                }
            }
            return new PodReport(groups, reasons, ready, failing);
        }

        /** "2 of 3 pods of ray-1-worker not ready: CrashLoopBackOff; 1 of 1 pods of ray-1-head not ready: 1 not created". */
        java.util.Optional<String> describe() {
            List<String> parts = new ArrayList<>();
            groups.forEach((group, c) -> {
                int wanted = Math.max(c[2], c[0]);
                int notReady = wanted - c[1];
                if (notReady > 0) {
                    List<String> why = new ArrayList<>(reasons.getOrDefault(group, Set.of()));
                    if (c[0] < c[2]) {
                        why.add((c[2] - c[0]) + " not created");
                    }
                    parts.add(notReady + " of " + wanted + " pods of " + group + " not ready"
                            + (why.isEmpty() ? "" : ": " + String.join(", ", why)));
                }
            });
            return parts.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join("; ", parts));
        }
    }
}
