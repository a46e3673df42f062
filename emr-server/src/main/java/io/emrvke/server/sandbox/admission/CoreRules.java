package io.emrvke.server.sandbox.admission;

import static io.emrvke.server.sandbox.admission.Fields.at;
import static io.emrvke.server.sandbox.admission.Fields.has;
import static io.emrvke.server.sandbox.admission.Fields.list;
import static io.emrvke.server.sandbox.admission.Fields.number;
import static io.emrvke.server.sandbox.admission.Fields.text;
import static io.emrvke.server.sandbox.admission.Problems.child;
import static io.emrvke.server.sandbox.admission.Problems.index;
import static io.emrvke.server.sandbox.admission.Problems.key;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.kubernetes.Syntax;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The core group's kinds emr-vke uses besides pods: Namespace, ConfigMap, Secret, ServiceAccount and Service,
 * as k8s.io/kubernetes' core validation checks them on create and update.
 */
final class CoreRules {
    private static final String IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set";
    private static final List<String> SERVICE_TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer",
            "NodePort");
    private static final List<String> SESSION_AFFINITIES = List.of("ClientIP", "None");

    private CoreRules() {
    }

    static void namespace(Problems p, JsonNode ns) {
        MetaRules.createCore(p, at(ns, "metadata"), false, Formats.DNS_LABEL_NAME);
        for (JsonNode finalizer : list(at(ns, "spec"), "finalizers")) {
            String name = finalizer.asText();
            p.invalid("spec.finalizers", name, Formats.qualifiedName(name));
            MetaRules.kubeFinalizer(p, name, "spec.finalizers");
        }
    }

    static void serviceAccount(Problems p, JsonNode sa) {
        MetaRules.createCore(p, at(sa, "metadata"), true, Formats.DNS_SUBDOMAIN_NAME);
    }

    /** ValidateConfigMap: keys, keys in both data and binaryData, 1 MiB in all. */
    static void configMap(Problems p, JsonNode cm) {
        MetaRules.createCore(p, at(cm, "metadata"), true, Formats.DNS_SUBDOMAIN_NAME);
        JsonNode binary = at(cm, "binaryData");
        long size = 0;
        for (var e : Fields.entries(cm, "data")) {
            String at = key("data", e.getKey());
            p.invalid(at, e.getKey(), Formats.configMapKey(e.getKey()));
            if (has(binary, e.getKey())) {
                p.invalid(at, e.getKey(), "duplicate of key present in binaryData");
            }
            size += Syntax.bytes(e.getValue().asText());
        }
        for (var e : Fields.entries(cm, "binaryData")) {
            p.invalid(key("binaryData", e.getKey()), e.getKey(), Formats.configMapKey(e.getKey()));
            size += decodedLength(e.getValue().asText());
        }
        if (size > Syntax.DATA_MAX_BYTES) {
            p.tooLong("[]", Syntax.DATA_MAX_BYTES); // Go's field path of "" prints as "[]"
        }
    }

    static void configMapUpdate(Problems p, JsonNode cm, JsonNode old) {
        MetaRules.updateCore(p, at(cm, "metadata"), at(old, "metadata"));
        if (at(old, "immutable").asBoolean(false)) {
            unchangedWhenImmutable(p, cm, old, "data", "binaryData");
        }
        configMap(p, cm);
    }

    /** ValidateSecret: keys, 1 MiB of decoded data, the keys each well-known type needs. */
    static void secret(Problems p, JsonNode secret) {
        MetaRules.createCore(p, at(secret, "metadata"), true, Formats.DNS_SUBDOMAIN_NAME);
        long size = 0;
        for (var e : Fields.entries(secret, "data")) {
            p.invalid(key("data", e.getKey()), e.getKey(), Formats.configMapKey(e.getKey()));
            size += decodedLength(e.getValue().asText());
        }
        for (var e : Fields.entries(secret, "stringData")) {
            if (!has(at(secret, "data"), e.getKey())) {
                p.invalid(key("data", e.getKey()), e.getKey(), Formats.configMapKey(e.getKey()));
            }
            size += Syntax.bytes(e.getValue().asText());
        }
        if (size > Syntax.DATA_MAX_BYTES) {
            p.tooLong("data", Syntax.DATA_MAX_BYTES);
        }
        secretType(p, secret);
    }

    private static void secretType(Problems p, JsonNode secret) {
        switch (text(secret, "type")) {
            case "kubernetes.io/service-account-token" -> {
                if (text(at(at(secret, "metadata"), "annotations"), "kubernetes.io/service-account.name").isEmpty()) {
                    p.required("metadata.annotations[kubernetes.io/service-account.name]", "");
                }
            }
            case "kubernetes.io/basic-auth" -> {
                if (!secretHas(secret, "username") && !secretHas(secret, "password")) {
                    p.required("data[username]", "");
                    p.required("data[password]", "");
                }
            }
            case "kubernetes.io/tls" -> {
                for (String needed : List.of("tls.crt", "tls.key")) {
                    if (!secretHas(secret, needed)) {
                        p.required(key("data", needed), "");
                    }
                }
            }
            default -> {
            }
        }
    }

    static void secretUpdate(Problems p, JsonNode secret, JsonNode old) {
        MetaRules.updateCore(p, at(secret, "metadata"), at(old, "metadata"));
        String type = secretTypeOrOpaque(secret);
        if (!type.equals(secretTypeOrOpaque(old))) {
            p.invalid("type", type, "field is immutable");
        }
        if (at(old, "immutable").asBoolean(false)) {
            unchangedWhenImmutable(p, secret, old, "data");
        }
        secret(p, secret);
    }

    // ------------------------------------------------------------------ services

    /** ValidateServiceCreate, for the fields emr-vke and kubectl users set (not IPs, families, load balancers). */
    static void service(Problems p, JsonNode service) {
        MetaRules.createCore(p, at(service, "metadata"), true, Formats.DNS1035_LABEL_NAME);
        serviceSpec(p, service);
    }

    static void serviceUpdate(Problems p, JsonNode service, JsonNode old) {
        MetaRules.updateCore(p, at(service, "metadata"), at(old, "metadata"));
        serviceSpec(p, service);
    }

    private static void serviceSpec(Problems p, JsonNode service) {
        JsonNode spec = at(service, "spec");
        String type = text(spec, "type").isEmpty() ? "ClusterIP" : text(spec, "type");
        boolean headless = text(spec, "clusterIP").equals("None");
        List<JsonNode> ports = list(spec, "ports");
        if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
            p.required("spec.ports", "");
        }
        if (headless && (type.equals("LoadBalancer") || type.equals("NodePort"))) {
            p.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for " + type + " services");
        }
        if (type.equals("ExternalName")) {
            String cname = text(spec, "externalName");
            cname = cname.endsWith(".") ? cname.substring(0, cname.length() - 1) : cname;
            if (cname.isEmpty()) {
                p.required("spec.externalName", "");
            } else {
                p.invalid("spec.externalName", cname, Formats.dnsSubdomain(cname));
            }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            servicePort(p, ports.get(i), ports.size() > 1, names, index("spec.ports", i));
        }
        if (at(spec, "selector").isObject()) {
            MetaRules.labels(p, at(spec, "selector"), "spec.selector");
        }
        String affinity = text(spec, "sessionAffinity");
        if (!affinity.isEmpty() && !SESSION_AFFINITIES.contains(affinity)) {
            p.notSupported("spec.sessionAffinity", affinity, SESSION_AFFINITIES);
        }
        if (!SERVICE_TYPES.contains(type)) {
            p.notSupported("spec.type", type, SERVICE_TYPES);
        }
        if (type.equals("ClusterIP")) {
            for (int i = 0; i < ports.size(); i++) {
                if (number(ports.get(i), "nodePort", 0) != 0) {
                    p.forbidden(child(index("spec.ports", i), "nodePort"), "may not be used when `type` is 'ClusterIP'");
                }
            }
        }
        duplicatePorts(p, ports);
    }

    /** validateServicePort: names (required when there are several), port number, protocol, target port. */
    private static void servicePort(Problems p, JsonNode port, boolean nameRequired, Set<String> names, String path) {
        String name = text(port, "name");
        if (nameRequired && name.isEmpty()) {
            p.required(child(path, "name"), "");
        } else if (!name.isEmpty()) {
            p.invalid(child(path, "name"), name, Formats.dnsLabel(name));
            if (!names.add(name)) {
                p.duplicate(child(path, "name"), name);
            }
        }
        long number = number(port, "port", 0);
        p.invalid(child(path, "port"), number, Formats.portNumber(number));
        PodRules.protocol(p, port, path);
        JsonNode target = at(port, "targetPort");
        if (target.isTextual() && !target.asText().isEmpty()) {
            p.invalid(child(path, "targetPort"), target.asText(), Formats.portName(target.asText()));
        } else if (target.isNumber() && target.asLong() != 0) {
            p.invalid(child(path, "targetPort"), target.asLong(), Formats.portNumber(target.asLong()));
        }
    }

    /** The same (protocol, port) twice: the value is the internal ServicePort, as Go's JSON writes it. */
    private static void duplicatePorts(Problems p, List<JsonNode> ports) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            String protocol = text(ports.get(i), "protocol").isEmpty() ? "TCP" : text(ports.get(i), "protocol");
            long number = number(ports.get(i), "port", 0);
            if (!seen.add(protocol + "/" + number)) {
                JsonNode key = Fields.JSON.objectNode().put("Name", "").put("Protocol", protocol)
                        .putNull("AppProtocol").put("Port", number).put("TargetPort", 0).put("NodePort", 0);
                p.duplicate(index("spec.ports", i), key);
            }
        }
    }

    // ------------------------------------------------------------------ plumbing

    private static void unchangedWhenImmutable(Problems p, JsonNode now, JsonNode old, String... members) {
        if (!at(now, "immutable").asBoolean(false)) {
            p.forbidden("immutable", IMMUTABLE_WHEN_SET);
        }
        for (String member : members) {
            if (!Objects.equals(emptyAsMissing(at(now, member)), emptyAsMissing(at(old, member)))) {
                p.forbidden(member, IMMUTABLE_WHEN_SET);
            }
        }
    }

    /** No map and an empty one compare equal: the API server stores no empty map, so the old object has none. */
    private static JsonNode emptyAsMissing(JsonNode node) {
        return node.isObject() && node.isEmpty() ? Fields.JSON.missingNode() : node;
    }

    private static boolean secretHas(JsonNode secret, String key) {
        return has(at(secret, "data"), key) || has(at(secret, "stringData"), key);
    }

    private static String secretTypeOrOpaque(JsonNode secret) {
        return text(secret, "type").isEmpty() ? "Opaque" : text(secret, "type");
    }

    private static long decodedLength(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII)).length;
        } catch (IllegalArgumentException e) {
            return 0; // refused while decoding (Decoding), never validated
        }
    }
}
