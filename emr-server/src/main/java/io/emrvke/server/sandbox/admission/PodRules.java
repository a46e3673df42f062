package io.emrvke.server.sandbox.admission;

import static io.emrvke.server.sandbox.admission.Fields.at;
import static io.emrvke.server.sandbox.admission.Fields.has;
import static io.emrvke.server.sandbox.admission.Fields.list;
import static io.emrvke.server.sandbox.admission.Fields.number;
import static io.emrvke.server.sandbox.admission.Fields.text;
import static io.emrvke.server.sandbox.admission.Problems.child;
import static io.emrvke.server.sandbox.admission.Problems.index;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pods and pod templates as k8s.io/kubernetes' core validation checks them (ValidatePodTemplateSpec,
 * ValidatePodSpec, validateContainers), for the fields emr-vke's charts and a kubectl user write: volumes,
 * containers (names, images, ports, env, volume mounts, pull policy, resources), restart and DNS policy, node
 * selector and node affinity, service account, host and subdomain names. Fields the API server defaults
 * (restartPolicy, dnsPolicy, imagePullPolicy, protocols, terminationMessagePolicy, grace period) may be absent.
 * Not checked: probes, lifecycle hooks, security contexts, tolerations, topology spread, DNS config. Fields of
 * features Kubernetes 1.34 has off (a regular container's restartPolicy) are dropped by the server, not refused.
 */
final class PodRules {
    private static final int MAX_INT32 = Integer.MAX_VALUE;
    /** Volume sources in the order validateVolumeSource visits them: JSON member, then its name in paths. */
    private static final List<String[]> VOLUME_SOURCES = List.of(new String[][] {
        {"emptyDir", "emptyDir"}, {"hostPath", "hostPath"}, {"gitRepo", "gitRepo"},
        {"gcePersistentDisk", "gcePersistentDisk"}, {"awsElasticBlockStore", "awsElasticBlockStore"},
        {"secret", "secret"}, {"nfs", "nfs"}, {"iscsi", "iscsi"}, {"glusterfs", "glusterfs"}, {"flocker", "flocker"},
        {"persistentVolumeClaim", "persistentVolumeClaim"}, {"rbd", "rbd"}, {"cinder", "cinder"},
        {"cephfs", "cephFS"}, {"quobyte", "quobyte"}, {"downwardAPI", "downwarAPI"}, {"fc", "fc"},
        {"flexVolume", "flexVolume"}, {"configMap", "configMap"}, {"azureFile", "azureFile"},
        {"vsphereVolume", "vsphereVolume"}, {"photonPersistentDisk", "photonPersistentDisk"},
        {"portworxVolume", "portworxVolume"}, {"azureDisk", "azureDisk"}, {"storageos", "storageos"},
        {"projected", "projected"}, {"scaleIO", "scaleIO"}, {"csi", "csi"}, {"ephemeral", "ephemeral"},
        {"image", "image"}});
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    private static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default",
            "None");
    private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");

    private PodRules() {
    }

    /** ValidatePodTemplateSpec: labels and annotations at the template (not its metadata), then the spec. */
    static void template(Problems p, JsonNode template, String path) {
        JsonNode meta = at(template, "metadata");
        MetaRules.labels(p, at(meta, "labels"), child(path, "labels"));
        MetaRules.annotations(p, at(meta, "annotations"), child(path, "annotations"));
        JsonNode spec = at(template, "spec");
        spec(p, spec, child(path, "spec"));
        if (!list(spec, "ephemeralContainers").isEmpty()) {
            p.forbidden(child(path, "spec.ephemeralContainers"), "ephemeral containers not allowed in pod template");
        }
    }

    /** A Pod's own checks after its spec's: images without surrounding whitespace, no ephemeral containers. */
    static void podOnly(Problems p, JsonNode spec) {
        for (String kind : List.of("containers", "initContainers")) {
            List<JsonNode> containers = list(spec, kind);
            for (int i = 0; i < containers.size(); i++) {
                String image = text(containers.get(i), "image");
                if (!image.equals(image.strip())) {
                    p.invalid(child(index(child("spec", kind), i), "image"), image,
                            "must not have leading or trailing whitespace");
                }
            }
        }
        if (!list(spec, "ephemeralContainers").isEmpty()) {
            p.forbidden("spec.ephemeralContainers", "cannot be set on create");
        }
        if (!text(spec, "nodeName").isEmpty() && !list(spec, "schedulingGates").isEmpty()) {
            p.forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared");
        }
    }

    /** ValidatePodSpec. */
    static void spec(Problems p, JsonNode spec, String path) {
        Set<String> volumes = volumes(p, list(spec, "volumes"), child(path, "volumes"));
        containers(p, list(spec, "containers"), volumes, child(path, "containers"));
        initContainers(p, spec, volumes, child(path, "initContainers"));
        policy(p, text(spec, "restartPolicy"), RESTART_POLICIES, child(path, "restartPolicy"));
        policy(p, text(spec, "dnsPolicy"), DNS_POLICIES, child(path, "dnsPolicy"));
        MetaRules.labels(p, at(spec, "nodeSelector"), child(path, "nodeSelector"));
        nodeAffinity(p, at(at(spec, "affinity"), "nodeAffinity"), child(path, "affinity.nodeAffinity"));
        named(p, spec, "serviceAccountName", path, Formats.DNS_SUBDOMAIN_NAME);
        named(p, spec, "nodeName", path, Formats.DNS_SUBDOMAIN_NAME);
        if (has(spec, "activeDeadlineSeconds")) {
            long deadline = number(spec, "activeDeadlineSeconds", 0);
            if (deadline < 1 || deadline > MAX_INT32) {
                p.invalid(child(path, "activeDeadlineSeconds"), deadline, Formats.inclusiveRangeError(1, MAX_INT32));
            }
        }
        for (String member : List.of("hostname", "subdomain")) {
            String value = text(spec, member);
            if (!value.isEmpty()) {
                p.invalid(child(path, member), value, Formats.dnsLabel(value));
            }
        }
        named(p, spec, "priorityClassName", path, Formats.DNS_SUBDOMAIN_NAME);
    }

    // ------------------------------------------------------------------ volumes

    /** ValidateVolumes: the names of the volumes that are valid, for the mounts to refer to. */
    private static Set<String> volumes(Problems p, List<JsonNode> volumes, String path) {
        Set<String> valid = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            String at = index(path, i);
            JsonNode volume = volumes.get(i);
            String name = text(volume, "name");
            Problems found = new Problems();
            volumeSource(found, volume, at);
            if (name.isEmpty()) {
                found.required(child(at, "name"), "");
            } else {
                found.invalid(child(at, "name"), name, Formats.dnsLabel(name));
            }
            if (valid.contains(name)) {
                found.duplicate(child(at, "name"), name);
            }
            if (found.isEmpty()) {
                valid.add(name);
            }
            found.causes().forEach(p::add);
        }
        return valid;
    }

    /** One source per volume (none means emptyDir, as the API server defaults it); each source's own rules. */
    private static void volumeSource(Problems p, JsonNode volume, String path) {
        int sources = 0;
        for (String[] source : VOLUME_SOURCES) {
            if (!has(volume, source[0])) {
                continue;
            }
            String at = child(path, source[1]);
            if (sources++ > 0) {
                p.forbidden(at, "may not specify more than 1 volume type");
                continue;
            }
            JsonNode value = at(volume, source[0]);
            switch (source[0]) {
                case "secret" -> keyedSource(p, value, "secretName", at);
                case "configMap" -> keyedSource(p, value, "name", at);
                case "persistentVolumeClaim" -> requiredText(p, value, "claimName", at);
                case "hostPath" -> requiredText(p, value, "path", at);
                default -> {
                }
            }
        }
    }

    /** A Secret or ConfigMap volume: the object's name, file modes and items. */
    private static void keyedSource(Problems p, JsonNode source, String nameMember, String path) {
        requiredText(p, source, nameMember, path);
        fileMode(p, source, "defaultMode", path);
        List<JsonNode> items = list(source, "items");
        for (int i = 0; i < items.size(); i++) {
            String at = index(child(path, "items"), i);
            requiredText(p, items.get(i), "key", at);
            requiredText(p, items.get(i), "path", at);
            fileMode(p, items.get(i), "mode", at);
        }
    }

    private static void fileMode(Problems p, JsonNode node, String member, String path) {
        if (has(node, member)) {
            long mode = number(node, member, 0);
            if (mode < 0 || mode > 0777) {
                p.invalid(child(path, member), mode, "must be a number between 0 and 0777 (octal), both inclusive");
            }
        }
    }

    // ------------------------------------------------------------------ containers

    private static void containers(Problems p, List<JsonNode> containers, Set<String> volumes, String path) {
        if (containers.isEmpty()) {
            p.required(path, "");
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            String at = index(path, i);
            JsonNode container = containers.get(i);
            container(p, container, volumes, at);
            if (!names.add(text(container, "name"))) {
                p.duplicate(child(at, "name"), text(container, "name"));
            }
        }
    }

    private static void initContainers(Problems p, JsonNode spec, Set<String> volumes, String path) {
        Set<String> names = new HashSet<>();
        list(spec, "containers").forEach(c -> names.add(text(c, "name")));
        List<JsonNode> containers = list(spec, "initContainers");
        for (int i = 0; i < containers.size(); i++) {
            String at = index(path, i);
            JsonNode container = containers.get(i);
            container(p, container, volumes, at);
            String name = text(container, "name");
            if (names.contains(name)) {
                p.duplicate(child(at, "name"), name);
            } else if (!name.isEmpty()) {
                names.add(name);
            }
        }
    }

    /** validateContainerCommon. */
    private static void container(Problems p, JsonNode c, Set<String> volumes, String path) {
        String name = text(c, "name");
        if (name.isEmpty()) {
            p.required(child(path, "name"), "");
        } else {
            p.invalid(child(path, "name"), name, Formats.dnsLabel(name));
        }
        if (text(c, "image").isEmpty()) {
            p.required(child(path, "image"), "");
        }
        policy(p, text(c, "terminationMessagePolicy"), MESSAGE_POLICIES, child(path, "terminationMessagePolicy"));
        ports(p, list(c, "ports"), child(path, "ports"));
        env(p, list(c, "env"), child(path, "env"));
        envFrom(p, list(c, "envFrom"), child(path, "envFrom"));
        volumeMounts(p, list(c, "volumeMounts"), volumes, child(path, "volumeMounts"));
        policy(p, text(c, "imagePullPolicy"), PULL_POLICIES, child(path, "imagePullPolicy"));
        Resources.container(p, at(c, "resources"), child(path, "resources"));
    }

    private static void ports(Problems p, List<JsonNode> ports, String path) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            String at = index(path, i);
            JsonNode port = ports.get(i);
            String name = text(port, "name");
            if (!name.isEmpty()) {
                List<String> problems = Formats.portName(name);
                if (!problems.isEmpty()) {
                    p.invalid(child(at, "name"), name, problems);
                } else if (!names.add(name)) {
                    p.duplicate(child(at, "name"), name);
                }
            }
            long containerPort = number(port, "containerPort", 0);
            if (containerPort == 0) {
                p.required(child(at, "containerPort"), "");
            } else {
                p.invalid(child(at, "containerPort"), containerPort, Formats.portNumber(containerPort));
            }
            long hostPort = number(port, "hostPort", 0);
            if (hostPort != 0) {
                p.invalid(child(at, "hostPort"), hostPort, Formats.portNumber(hostPort));
            }
            protocol(p, port, at);
        }
    }

    static void protocol(Problems p, JsonNode port, String path) {
        String protocol = text(port, "protocol");
        if (!protocol.isEmpty() && !PROTOCOLS.contains(protocol)) {
            p.notSupported(child(path, "protocol"), protocol, PROTOCOLS);
        }
    }

    private static void env(Problems p, List<JsonNode> env, String path) {
        for (int i = 0; i < env.size(); i++) {
            String at = index(path, i);
            JsonNode variable = env.get(i);
            String name = text(variable, "name");
            if (name.isEmpty()) {
                p.required(child(at, "name"), "");
            } else {
                p.invalid(child(at, "name"), name, Formats.envVarName(name));
            }
            valueFrom(p, variable, child(at, "valueFrom"));
        }
    }

    /** validateEnvVarValueFrom for the ConfigMap, Secret and field sources. */
    private static void valueFrom(Problems p, JsonNode variable, String path) {
        JsonNode from = at(variable, "valueFrom");
        if (from.isMissingNode()) {
            return;
        }
        int sources = 0;
        for (String source : List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")) {
            if (has(from, source)) {
                sources++;
                if (source.endsWith("KeyRef")) {
                    keySelector(p, at(from, source), child(path, source));
                }
            }
        }
        if (sources == 0) {
            p.invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or "
                    + "`secretKeyRef`");
        } else if (!text(variable, "value").isEmpty()) {
            p.invalid(path, "", "may not be specified when `value` is not empty");
        } else if (sources > 1) {
            p.invalid(path, "", "may not have more than one field specified at a time");
        }
    }

    private static void keySelector(Problems p, JsonNode selector, String path) {
        String name = text(selector, "name");
        p.invalid(child(path, "name"), name, Formats.dnsSubdomain(name));
        String key = text(selector, "key");
        if (key.isEmpty()) {
            p.required(child(path, "key"), "");
        } else {
            p.invalid(child(path, "key"), key, Formats.configMapKey(key));
        }
    }

    private static void envFrom(Problems p, List<JsonNode> envFrom, String path) {
        for (int i = 0; i < envFrom.size(); i++) {
            String at = index(path, i);
            JsonNode source = envFrom.get(i);
            String prefix = text(source, "prefix");
            if (!prefix.isEmpty()) {
                p.invalid(child(at, "prefix"), prefix, Formats.envVarName(prefix));
            }
            int sources = 0;
            for (String ref : List.of("configMapRef", "secretRef")) {
                if (has(source, ref)) {
                    sources++;
                    String name = text(at(source, ref), "name");
                    if (name.isEmpty()) {
                        p.required(child(child(at, ref), "name"), "");
                    } else {
                        p.invalid(child(child(at, ref), "name"), name, Formats.DNS_SUBDOMAIN_NAME.check(name, true));
                    }
                }
            }
            if (sources == 0) {
                p.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`");
            } else if (sources > 1) {
                p.invalid(path, "", "may not have more than one field specified at a time");
            }
        }
    }

    private static void volumeMounts(Problems p, List<JsonNode> mounts, Set<String> volumes, String path) {
        Set<String> mountPoints = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            String at = index(path, i);
            JsonNode mount = mounts.get(i);
            String name = text(mount, "name");
            if (name.isEmpty()) {
                p.required(child(at, "name"), "");
            }
            if (!volumes.contains(name)) {
                p.notFound(child(at, "name"), name);
            }
            String mountPath = text(mount, "mountPath");
            if (mountPath.isEmpty()) {
                p.required(child(at, "mountPath"), "");
            }
            if (!mountPoints.add(mountPath)) {
                p.invalid(child(at, "mountPath"), mountPath, "must be unique");
            }
        }
    }

    // ------------------------------------------------------------------ scheduling

    private static void nodeAffinity(Problems p, JsonNode affinity, String path) {
        JsonNode required = at(affinity, "requiredDuringSchedulingIgnoredDuringExecution");
        if (required.isMissingNode()) {
            return;
        }
        String termsPath = child(path, "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
        List<JsonNode> terms = list(required, "nodeSelectorTerms");
        if (terms.isEmpty()) {
            p.required(termsPath, "must have at least one node selector term");
            return;
        }
        for (int i = 0; i < terms.size(); i++) {
            List<JsonNode> expressions = list(terms.get(i), "matchExpressions");
            for (int j = 0; j < expressions.size(); j++) {
                Selectors.requirement(p, expressions.get(j), index(child(index(termsPath, i), "matchExpressions"), j),
                        true);
            }
        }
    }

    // ------------------------------------------------------------------ plumbing

    /** A defaulted enumeration: absent or empty takes the default; anything else must be supported. */
    private static void policy(Problems p, String value, List<String> supported, String path) {
        if (!value.isEmpty() && !supported.contains(value)) {
            p.notSupported(path, value, supported);
        }
    }

    private static void named(Problems p, JsonNode spec, String member, String path, Formats.NameRule rule) {
        String value = text(spec, member);
        if (!value.isEmpty()) {
            p.invalid(child(path, member), value, rule.check(value, false));
        }
    }

    private static void requiredText(Problems p, JsonNode node, String member, String path) {
        if (text(node, member).isEmpty()) {
            p.required(child(path, member), "");
        }
    }
}
