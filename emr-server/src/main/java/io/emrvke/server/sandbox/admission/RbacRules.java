package io.emrvke.server.sandbox.admission;

import static io.emrvke.server.sandbox.admission.Fields.at;
import static io.emrvke.server.sandbox.admission.Fields.list;
import static io.emrvke.server.sandbox.admission.Fields.text;
import static io.emrvke.server.sandbox.admission.Problems.child;
import static io.emrvke.server.sandbox.admission.Problems.index;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Roles and RoleBindings as k8s.io/kubernetes' rbac validation checks them. */
final class RbacRules {
    private static final String GROUP = "rbac.authorization.k8s.io";

    private RbacRules() {
    }

    /** ValidateRole: names are only URL path segments; each rule has verbs, groups and resources. */
    static void role(Problems p, JsonNode role) {
        MetaRules.createCore(p, at(role, "metadata"), true, Formats.PATH_SEGMENT_NAME);
        List<JsonNode> rules = list(role, "rules");
        for (int i = 0; i < rules.size(); i++) {
            policyRule(p, rules.get(i), index("rules", i));
        }
    }

    static void roleUpdate(Problems p, JsonNode role, JsonNode old) {
        role(p, role);
        MetaRules.updateCore(p, at(role, "metadata"), at(old, "metadata"));
    }

    private static void policyRule(Problems p, JsonNode rule, String path) {
        if (list(rule, "verbs").isEmpty()) {
            p.required(child(path, "verbs"), "verbs must contain at least one value");
        }
        List<JsonNode> urls = list(rule, "nonResourceURLs");
        if (!urls.isEmpty()) {
            JsonNode shown = at(rule, "nonResourceURLs");
            p.invalid(child(path, "nonResourceURLs"), shown, "namespaced rules cannot apply to non-resource URLs");
            if (!list(rule, "apiGroups").isEmpty() || !list(rule, "resources").isEmpty()
                    || !list(rule, "resourceNames").isEmpty()) {
                p.invalid(child(path, "nonResourceURLs"), shown,
                        "rules cannot apply to both regular resources and non-resource URLs");
            }
            return;
        }
        if (list(rule, "apiGroups").isEmpty()) {
            p.required(child(path, "apiGroups"), "resource rules must supply at least one api group");
        }
        if (list(rule, "resources").isEmpty()) {
            p.required(child(path, "resources"), "resource rules must supply at least one resource");
        }
    }

    /** ValidateRoleBinding; the role reference's group defaults to RBAC's. */
    static void roleBinding(Problems p, JsonNode binding) {
        MetaRules.createCore(p, at(binding, "metadata"), true, Formats.PATH_SEGMENT_NAME);
        JsonNode ref = at(binding, "roleRef");
        String group = refGroup(ref);
        if (!group.equals(GROUP)) {
            p.notSupported("roleRef.apiGroup", group, List.of(GROUP));
        }
        String kind = text(ref, "kind");
        if (!kind.equals("Role") && !kind.equals("ClusterRole")) {
            p.notSupported("roleRef.kind", kind, List.of("Role", "ClusterRole"));
        }
        String name = text(ref, "name");
        if (name.isEmpty()) {
            p.required("roleRef.name", "");
        } else {
            p.invalid("roleRef.name", name, Formats.pathSegment(name));
        }
        List<JsonNode> subjects = list(binding, "subjects");
        for (int i = 0; i < subjects.size(); i++) {
            subject(p, subjects.get(i), index("subjects", i));
        }
    }

    static void roleBindingUpdate(Problems p, JsonNode binding, JsonNode old) {
        roleBinding(p, binding);
        MetaRules.updateCore(p, at(binding, "metadata"), at(old, "metadata"));
        JsonNode ref = internalRef(at(binding, "roleRef"));
        if (!ref.equals(internalRef(at(old, "roleRef")))) {
            p.invalid("roleRef", ref, "cannot change roleRef");
        }
    }

    /** ValidateRoleBindingSubject in a namespace; User and Group subjects default to RBAC's group. */
    private static void subject(Problems p, JsonNode subject, String path) {
        String name = text(subject, "name");
        if (name.isEmpty()) {
            p.required(child(path, "name"), "");
        }
        String kind = text(subject, "kind");
        String group = text(subject, "apiGroup");
        switch (kind) {
            case "ServiceAccount" -> {
                if (!name.isEmpty()) {
                    p.invalid(child(path, "name"), name, Formats.dnsSubdomain(name));
                }
                if (!group.isEmpty()) {
                    p.notSupported(child(path, "apiGroup"), group, List.of(""));
                }
            }
            case "User", "Group" -> {
                if (!group.isEmpty() && !group.equals(GROUP)) {
                    p.notSupported(child(path, "apiGroup"), group, List.of(GROUP));
                }
            }
            default -> p.notSupported(child(path, "kind"), kind, List.of("ServiceAccount", "User", "Group"));
        }
    }

    private static String refGroup(JsonNode ref) {
        return text(ref, "apiGroup").isEmpty() ? GROUP : text(ref, "apiGroup");
    }

    /** rbac.RoleRef as Go's JSON writes the internal type: field names, no tags. */
    private static JsonNode internalRef(JsonNode ref) {
        return Fields.JSON.objectNode().put("APIGroup", refGroup(ref)).put("Kind", text(ref, "kind"))
                .put("Name", text(ref, "name"));
    }
}
