package io.emrvke.server.sandbox.admission;

import static io.emrvke.server.sandbox.admission.Fields.at;
import static io.emrvke.server.sandbox.admission.Fields.list;
import static io.emrvke.server.sandbox.admission.Fields.text;
import static io.emrvke.server.sandbox.admission.Problems.child;
import static io.emrvke.server.sandbox.admission.Problems.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.kubernetes.Syntax;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Object metadata as k8s.io/apimachinery's ValidateObjectMeta and ValidateObjectMetaUpdate check it, plus the
 * finalizer rule the core API groups add (validateKubeFinalizerName).
 */
final class MetaRules {
    private static final String META = "metadata";
    private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

    private MetaRules() {
    }

    /** ValidateObjectMetaAccessor: names, namespace, generation, labels, annotations, owners, finalizers. */
    static void create(Problems p, JsonNode meta, boolean namespaced, Formats.NameRule nameRule) {
        String generateName = text(meta, "generateName");
        if (!generateName.isEmpty()) {
            p.invalid(child(META, "generateName"), generateName, nameRule.check(generateName, true));
        }
        String name = text(meta, "name");
        if (name.isEmpty()) {
            p.required(child(META, "name"), "name or generateName is required");
        } else {
            p.invalid(child(META, "name"), name, nameRule.check(name, false));
        }
        String namespace = text(meta, "namespace");
        if (namespaced && namespace.isEmpty()) {
            p.required(child(META, "namespace"), "");
        } else if (namespaced) {
            p.invalid(child(META, "namespace"), namespace, Formats.DNS_LABEL_NAME.check(namespace, false));
        } else if (!namespace.isEmpty()) {
            p.forbidden(child(META, "namespace"), "not allowed on this type");
        }
        long generation = Fields.number(meta, "generation", 0);
        if (generation < 0) {
            p.invalid(child(META, "generation"), generation, "must be greater than or equal to 0");
        }
        labels(p, at(meta, "labels"), child(META, "labels"));
        annotations(p, at(meta, "annotations"), child(META, "annotations"));
        ownerReferences(p, list(meta, "ownerReferences"), child(META, "ownerReferences"));
        finalizers(p, list(meta, "finalizers"), child(META, "finalizers"));
    }

    /** The core groups' ValidateObjectMeta: the generic rules, then each finalizer named or qualified. */
    static void createCore(Problems p, JsonNode meta, boolean namespaced, Formats.NameRule nameRule) {
        create(p, meta, namespaced, nameRule);
        kubeFinalizers(p, meta);
    }

    /** ValidateObjectMetaAccessorUpdate, once the server has kept the stored uid where none was sent. */
    static void update(Problems p, JsonNode meta, JsonNode oldMeta) {
        immutable(p, meta, oldMeta, "name");
        immutable(p, meta, oldMeta, "namespace");
        if (!text(meta, "uid").isEmpty()) {
            immutable(p, meta, oldMeta, "uid");
        }
        labels(p, at(meta, "labels"), child(META, "labels"));
        annotations(p, at(meta, "annotations"), child(META, "annotations"));
        ownerReferences(p, list(meta, "ownerReferences"), child(META, "ownerReferences"));
    }

    /** The core groups' ValidateObjectMetaUpdate. */
    static void updateCore(Problems p, JsonNode meta, JsonNode oldMeta) {
        update(p, meta, oldMeta);
        kubeFinalizers(p, meta);
    }

    /** ValidateLabels: each key a qualified name, each value a label value; both reported at the map. */
    static void labels(Problems p, JsonNode labels, String path) {
        if (!labels.isObject()) {
            return;
        }
        labels.fields().forEachRemaining(e -> {
            p.invalid(path, e.getKey(), Formats.qualifiedName(e.getKey()));
            String value = e.getValue().isNull() ? "" : e.getValue().asText();
            p.invalid(path, value, Formats.labelValue(value));
        });
    }

    /** ValidateAnnotations: keys are qualified names whatever their case; all of them at most 256 KiB. */
    static void annotations(Problems p, JsonNode annotations, String path) {
        if (!annotations.isObject()) {
            return;
        }
        long bytes = 0;
        for (var it = annotations.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            p.invalid(path, e.getKey(), Formats.qualifiedName(e.getKey().toLowerCase(Locale.ROOT)));
            bytes += Syntax.bytes(e.getKey()) + (e.getValue().isNull() ? 0 : Syntax.bytes(e.getValue().asText()));
        }
        if (bytes > Syntax.ANNOTATIONS_MAX_BYTES) {
            p.tooLong(path, Syntax.ANNOTATIONS_MAX_BYTES);
        }
    }

    private static void ownerReferences(Problems p, List<JsonNode> owners, String path) {
        String firstController = "";
        for (JsonNode owner : owners) {
            String apiVersion = text(owner, "apiVersion");
            String kind = text(owner, "kind");
            if (apiVersion.isEmpty() || apiVersion.endsWith("/")) {
                p.invalid(child(path, "apiVersion"), apiVersion, "version must not be empty");
            }
            if (kind.isEmpty()) {
                p.invalid(child(path, "kind"), kind, "must not be empty");
            }
            for (String member : List.of("name", "uid")) {
                if (text(owner, member).isEmpty()) {
                    p.invalid(child(path, member), "", "must not be empty");
                }
            }
            if (at(owner, "controller").asBoolean(false)) {
                String controller = kind + "/" + text(owner, "name");
                if (!firstController.isEmpty()) {
                    p.invalid(path, Fields.JSON.arrayNode().addAll(owners), "Only one reference can have"
                            + " Controller set to true. Found \"true\" in references for " + firstController + " and "
                            + controller);
                } else {
                    firstController = controller;
                }
            }
        }
    }

    /** ValidateFinalizers: each a qualified name, and not both orphaning and foreground deletion. */
    private static void finalizers(Problems p, List<JsonNode> finalizers, String path) {
        boolean orphan = false;
        boolean foreground = false;
        for (JsonNode finalizer : finalizers) {
            p.invalid(path, finalizer.asText(), Formats.qualifiedName(finalizer.asText()));
            orphan |= finalizer.asText().equals("orphan");
            foreground |= finalizer.asText().equals("foregroundDeletion");
        }
        if (orphan && foreground) {
            p.invalid(path, Fields.JSON.arrayNode().addAll(finalizers),
                    "finalizer orphan and foregroundDeletion cannot be both set");
        }
    }

    /** validateKubeFinalizerName: a finalizer without a '/' must be one of Kubernetes' own. */
    static void kubeFinalizer(Problems p, String finalizer, String path) {
        if (!finalizer.contains("/") && !STANDARD_FINALIZERS.contains(finalizer)) {
            p.invalid(path, finalizer, "name is neither a standard finalizer name nor is it fully qualified");
        }
    }

    private static void kubeFinalizers(Problems p, JsonNode meta) {
        List<JsonNode> finalizers = list(meta, "finalizers");
        for (int i = 0; i < finalizers.size(); i++) {
            kubeFinalizer(p, finalizers.get(i).asText(), index(child(META, "finalizers"), i));
        }
    }

    private static void immutable(Problems p, JsonNode meta, JsonNode oldMeta, String member) {
        String now = text(meta, member);
        if (!now.equals(text(oldMeta, member))) {
            p.invalid(child(META, member), now, "field is immutable");
        }
    }
}
