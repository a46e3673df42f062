package io.emrvke.server.sandbox.admission;

import static io.emrvke.server.sandbox.admission.Fields.at;
import static io.emrvke.server.sandbox.admission.Fields.has;
import static io.emrvke.server.sandbox.admission.Fields.list;
import static io.emrvke.server.sandbox.admission.Fields.number;
import static io.emrvke.server.sandbox.admission.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Deployments and StatefulSets as k8s.io/kubernetes' apps validation checks them: counts, the selector and the
 * template's labels it must match, the pod template (restartPolicy Always), the update strategy, and on update
 * what may not change (a Deployment's selector; anything of a StatefulSet's spec but its replicas, template,
 * update strategy and a few more). Absent fields are read with the defaults the API server gives them.
 */
final class WorkloadRules {
    private static final String NEGATIVE = "must be greater than or equal to 0";
    private static final String STATEFUL_SET_SPEC_FORBIDDEN = "updates to statefulset spec for fields other than"
            + " 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit',"
            + " 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
    private static final String PERCENT_25 = "25%";

    private WorkloadRules() {
    }

    // ------------------------------------------------------------------ Deployment

    static void deployment(Problems p, JsonNode deployment) {
        MetaRules.createCore(p, at(deployment, "metadata"), true, Formats.DNS_SUBDOMAIN_NAME);
        deploymentSpec(p, at(deployment, "spec"));
    }

    static void deploymentUpdate(Problems p, JsonNode deployment, JsonNode old) {
        MetaRules.updateCore(p, at(deployment, "metadata"), at(old, "metadata"));
        deploymentSpec(p, at(deployment, "spec"));
        JsonNode selector = Selectors.json(at(at(deployment, "spec"), "selector"));
        if (!selector.equals(Selectors.json(at(at(old, "spec"), "selector")))) {
            p.invalid("spec.selector", selector, "field is immutable");
        }
    }

    /** ValidateDeploymentSpec. */
    private static void deploymentSpec(Problems p, JsonNode spec) {
        nonNegative(p, number(spec, "replicas", 1), "spec.replicas");
        JsonNode template = at(spec, "template");
        if (selectorAndTemplate(p, at(spec, "selector"), template, "deployment", "invalid label selector", true)) {
            restartsAlways(p, template, "ReplicaSet");
        }
        strategy(p, at(spec, "strategy"));
        long minReady = number(spec, "minReadySeconds", 0);
        nonNegative(p, minReady, "spec.minReadySeconds");
        nonNegative(p, number(spec, "revisionHistoryLimit", 10), "spec.revisionHistoryLimit");
        long deadline = number(spec, "progressDeadlineSeconds", 600);
        nonNegative(p, deadline, "spec.progressDeadlineSeconds");
        if (deadline <= minReady) {
            p.invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds");
        }
    }

    /** ValidateDeploymentStrategy, with the defaults: RollingUpdate, 25% unavailable, 25% surge. */
    private static void strategy(Problems p, JsonNode strategy) {
        String type = text(strategy, "type").isEmpty() ? "RollingUpdate" : text(strategy, "type");
        JsonNode rolling = at(strategy, "rollingUpdate");
        switch (type) {
            case "Recreate" -> {
                if (!rolling.isMissingNode()) {
                    p.forbidden("spec.strategy.rollingUpdate",
                            "may not be specified when strategy `type` is 'Recreate'");
                }
            }
            case "RollingUpdate" -> {
                JsonNode unavailable = orDefault(at(rolling, "maxUnavailable"), PERCENT_25);
                JsonNode surge = orDefault(at(rolling, "maxSurge"), PERCENT_25);
                String path = "spec.strategy.rollingUpdate";
                intOrPercent(p, unavailable, path + ".maxUnavailable");
                intOrPercent(p, surge, path + ".maxSurge");
                if (intOrPercentValue(unavailable) == 0 && intOrPercentValue(surge) == 0) {
                    p.invalid(path + ".maxUnavailable", unavailable, "may not be 0 when `maxSurge` is 0");
                }
                notOver100Percent(p, unavailable, path + ".maxUnavailable");
            }
            default -> p.notSupported("spec.strategy", Fields.struct("Type", Fields.JSON.textNode(type),
                    "RollingUpdate", rolling.isMissingNode() ? Fields.JSON.nullNode() : internalRollingUpdate(rolling)),
                    List.of("Recreate", "RollingUpdate"));
        }
    }

    // ------------------------------------------------------------------ StatefulSet

    static void statefulSet(Problems p, JsonNode set) {
        MetaRules.createCore(p, at(set, "metadata"), true, Formats.DNS_LABEL_NAME);
        statefulSetSpec(p, at(set, "spec"), true, true);
    }

    static void statefulSetUpdate(Problems p, JsonNode set, JsonNode old) {
        MetaRules.updateCore(p, at(set, "metadata"), at(old, "metadata"));
        Problems oldProblems = new Problems();
        statefulSetSpec(oldProblems, at(old, "spec"), false, true);
        statefulSetSpec(p, at(set, "spec"), false, oldProblems.isEmpty());
        JsonNode spec = at(set, "spec");
        JsonNode oldSpec = at(old, "spec");
        boolean changed = !Selectors.json(at(spec, "selector")).equals(Selectors.json(at(oldSpec, "selector")))
                || !text(spec, "serviceName").equals(text(oldSpec, "serviceName"))
                || !podManagementPolicy(spec).equals(podManagementPolicy(oldSpec))
                || !at(spec, "volumeClaimTemplates").equals(at(oldSpec, "volumeClaimTemplates"));
        if (changed) {
            p.forbidden("spec", STATEFUL_SET_SPEC_FORBIDDEN);
        }
    }

    /** ValidateStatefulSetSpec; an update tolerates a stored bad service name and skips a stored bad template. */
    private static void statefulSetSpec(Problems p, JsonNode spec, boolean create, boolean checkTemplate) {
        String policy = podManagementPolicy(spec);
        if (!policy.equals("OrderedReady") && !policy.equals("Parallel")) {
            p.invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'");
        }
        updateStrategy(p, at(spec, "updateStrategy"));
        nonNegative(p, number(spec, "replicas", 1), "spec.replicas");
        nonNegative(p, number(spec, "minReadySeconds", 0), "spec.minReadySeconds");
        if (has(spec, "ordinals")) {
            nonNegative(p, number(at(spec, "ordinals"), "start", 0), "spec.ordinals.start");
        }
        String serviceName = text(spec, "serviceName");
        if (create && !serviceName.isEmpty()) {
            p.invalid("spec.serviceName", serviceName, Formats.dnsLabel(serviceName));
        }
        JsonNode template = withClaimVolumes(spec);
        if (selectorAndTemplate(p, at(spec, "selector"), template, "statefulset", "", checkTemplate)) {
            // the template's labels and annotations once more, as ValidatePodTemplateSpecForStatefulSet does
            MetaRules.labels(p, at(at(template, "metadata"), "labels"), "spec.template.labels");
            MetaRules.annotations(p, at(at(template, "metadata"), "annotations"), "spec.template.annotations");
        }
        restartsAlways(p, at(spec, "template"), "StatefulSet");
    }

    private static void updateStrategy(Problems p, JsonNode strategy) {
        String type = text(strategy, "type").isEmpty() ? "RollingUpdate" : text(strategy, "type");
        JsonNode rolling = at(strategy, "rollingUpdate");
        String path = "spec.updateStrategy.rollingUpdate";
        switch (type) {
            case "OnDelete" -> {
                if (!rolling.isMissingNode()) {
                    p.invalid(path, internalStatefulRollingUpdate(rolling),
                            "only allowed for updateStrategy 'RollingUpdate'");
                }
            }
            case "RollingUpdate" -> nonNegative(p, number(rolling, "partition", 0), path + ".partition");
            default -> p.invalid("spec.updateStrategy", Fields.struct("Type", Fields.JSON.textNode(type),
                    "RollingUpdate", rolling.isMissingNode() ? Fields.JSON.nullNode()
                            : internalStatefulRollingUpdate(rolling)), "must be 'RollingUpdate' or 'OnDelete'");
        }
    }

    /** The pod template as the StatefulSet's pods get it: a volume per claim template, ahead of the others. */
    private static JsonNode withClaimVolumes(JsonNode spec) {
        JsonNode template = at(spec, "template");
        List<JsonNode> claims = list(spec, "volumeClaimTemplates");
        if (claims.isEmpty() || !template.isObject() || !at(template, "spec").isObject()) {
            return template;
        }
        ObjectNode copy = template.deepCopy();
        ObjectNode podSpec = (ObjectNode) copy.get("spec");
        Set<String> claimNames = new LinkedHashSet<>();
        ArrayNode volumes = Fields.JSON.arrayNode();
        for (JsonNode claim : claims) {
            String name = text(at(claim, "metadata"), "name");
            claimNames.add(name);
            volumes.addObject().put("name", name).putObject("persistentVolumeClaim").put("claimName", name);
        }
        for (JsonNode volume : list(podSpec, "volumes")) {
            if (!claimNames.contains(text(volume, "name"))) {
                volumes.add(volume);
            }
        }
        podSpec.set("volumes", volumes);
        return copy;
    }

    private static String podManagementPolicy(JsonNode spec) {
        return text(spec, "podManagementPolicy").isEmpty() ? "OrderedReady" : text(spec, "podManagementPolicy");
    }

    // ------------------------------------------------------------------ shared

    /**
     * The selector is required and not empty, and converts to a selector; the template's labels match it; the
     * template is a valid pod template. False when the selector does not convert (nothing more is checked).
     */
    private static boolean selectorAndTemplate(Problems p, JsonNode selector, JsonNode template, String kind,
                                               String badSelector, boolean checkTemplate) {
        boolean empty = list(selector, "matchExpressions").isEmpty() && Fields.entries(selector, "matchLabels").isEmpty();
        if (selector.isMissingNode()) {
            p.required("spec.selector", "");
        } else {
            Selectors.validate(p, selector, "spec.selector");
            if (empty) {
                p.invalid("spec.selector", Selectors.json(selector), "empty selector is invalid for " + kind);
            }
        }
        Optional<Predicate<JsonNode>> matches = Selectors.asPredicate(selector);
        if (matches.isEmpty()) {
            p.invalid("spec.selector", Selectors.json(selector), badSelector);
            return false;
        }
        JsonNode labels = at(at(template, "metadata"), "labels");
        boolean everything = !selector.isMissingNode() && empty;
        if (!everything && !matches.get().test(labels)) {
            p.invalid("spec.template.metadata.labels", Fields.goMap(labels),
                    "`selector` does not match template `labels`");
        }
        if (checkTemplate) {
            PodRules.template(p, template, "spec.template");
        }
        return true;
    }

    /** A controller's pods restart Always and have no deadline. */
    private static void restartsAlways(Problems p, JsonNode template, String controller) {
        String restartPolicy = text(at(template, "spec"), "restartPolicy");
        if (!restartPolicy.isEmpty() && !restartPolicy.equals("Always")) {
            p.notSupported("spec.template.spec.restartPolicy", restartPolicy, List.of("Always"));
        }
        if (has(at(template, "spec"), "activeDeadlineSeconds")) {
            p.forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in " + controller
                    + " is not Supported");
        }
    }

    private static void nonNegative(Problems p, long value, String path) {
        if (value < 0) {
            p.invalid(path, value, NEGATIVE);
        }
    }

    /** ValidatePositiveIntOrPercent: a percent string, or a number not below 0. */
    private static void intOrPercent(Problems p, JsonNode value, String path) {
        if (value.isTextual()) {
            p.invalid(path, value, Formats.percent(value.asText()));
        } else {
            nonNegative(p, value.asLong(), path);
        }
    }

    /** getIntOrPercentValue: the percent's number, the number, or 0 for text that is neither. */
    private static long intOrPercentValue(JsonNode value) {
        if (!value.isTextual()) {
            return value.asLong();
        }
        String text = value.asText();
        if (Formats.percent(text).isEmpty()) {
            return Long.parseLong(text.substring(0, text.length() - 1));
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void notOver100Percent(Problems p, JsonNode value, String path) {
        if (value.isTextual() && Formats.percent(value.asText()).isEmpty() && intOrPercentValue(value) > 100) {
            p.invalid(path, value, "must not be greater than 100%");
        }
    }

    private static JsonNode orDefault(JsonNode value, String defaultValue) {
        return value.isMissingNode() ? Fields.JSON.textNode(defaultValue) : value;
    }

    /** apps.RollingUpdateDeployment as Go's JSON writes the internal type: field names, no tags. */
    private static JsonNode internalRollingUpdate(JsonNode rolling) {
        return Fields.JSON.objectNode()
                .<ObjectNode>set("MaxUnavailable", orZero(at(rolling, "maxUnavailable")))
                .set("MaxSurge", orZero(at(rolling, "maxSurge")));
    }

    /** apps.RollingUpdateStatefulSetStrategy; maxUnavailable is dropped (feature MaxUnavailableStatefulSet is off). */
    private static JsonNode internalStatefulRollingUpdate(JsonNode rolling) {
        return Fields.JSON.objectNode().put("Partition", number(rolling, "partition", 0))
                .set("MaxUnavailable", Fields.JSON.nullNode());
    }

    private static JsonNode orZero(JsonNode value) {
        return value.isMissingNode() ? Fields.JSON.numberNode(0) : value;
    }
}
