package io.emrvke.server.sandbox.differential;

import static io.emrvke.server.sandbox.differential.KubectlSteps.await;
import static io.emrvke.server.sandbox.differential.KubectlSteps.awaitRolledOut;
import static io.emrvke.server.sandbox.differential.KubectlSteps.edit;
import static io.emrvke.server.sandbox.differential.KubectlSteps.kubectl;
import static io.emrvke.server.sandbox.differential.KubectlSteps.kubectlAs;
import static io.emrvke.server.sandbox.differential.KubectlSteps.prepare;
import static io.emrvke.server.sandbox.differential.KubectlSteps.seen;
import static io.emrvke.server.sandbox.differential.KubectlSteps.streaming;
import static io.emrvke.server.sandbox.differential.KubectlSteps.waiting;
import static io.emrvke.server.sandbox.differential.KubectlSteps.waitingAs;
import static io.emrvke.server.sandbox.differential.Observation.Output.LAST_LINE;
import static io.emrvke.server.sandbox.differential.Observation.Output.LINE_SET;
import static io.emrvke.server.sandbox.differential.Observation.Output.OBJECT;
import static io.emrvke.server.sandbox.differential.Observation.Output.TEXT;

import io.emrvke.server.sandbox.differential.Scenario.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubectl matrix, one command after the other against the sandbox and then against the real
 * control plane (e2e/realk8s), in a namespace of the same name on both; every output normalised (see
 * {@link Normaliser}) and compared. A difference not listed in docs/sandbox.md fails the test.
 *
 * <p>The workloads are pinned to node sandbox-node-1 so that placement (which the real scheduler decides by
 * scores) does not make node-related outputs differ; watches follow ConfigMaps, whose events do not depend on
 * timing as pods' do.
 */
@Tag("realk8s")
class KubectlMatrixAgreesWithTheRealControlPlaneTest {
    static final String SCENARIO = "kubectl";
    // with --output-watch-events each printed object is a WatchEvent
    private static final String WATCHED = "EVENT:.type,NAME:.object.metadata.name,K:.object.data.k";

    @TempDir
    Path tmp;

    @Test
    void everyCommandOfTheMatrixAnswersAsTheRealControlPlaneDoesOrTheDifferenceIsListed() throws Exception {
        new Scenario(SCENARIO, steps()).judgeOnBothTargets(tmp, "sbxdiff", List.of("web", "backend"),
                KubectlMatrixAgreesWithTheRealControlPlaneTest::writeFiles);
    }

    private static List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        steps.addAll(setUp());
        steps.addAll(gets());
        steps.addAll(selectors());
        steps.addAll(watches());
        steps.addAll(describesAndLogs());
        steps.addAll(changes());
        steps.addAll(rollouts());
        steps.addAll(clusterWide());
        steps.addAll(refusals());
        steps.addAll(deletes());
        return steps;
    }

    /**
     * The sandbox's nodes get the real plane's pools (there they are set at start), then the namespace and the
     * objects. Each creation is compared, then made sure of in a way both targets take (unstructured JSON, no
     * client-side validation), so that one refusal shows once instead of failing every later step.
     */
    private static List<Step> setUp() {
        return List.of(
                prepare("label", "node", "sandbox-node-2", "sandbox.emr-vke.io/node-pool=pool-a", "--overwrite"),
                prepare("label", "node", "sandbox-node-3", "sandbox.emr-vke.io/node-pool=pool-b", "--overwrite"),
                kubectl(TEXT, "create", "namespace", "{ns}"),
                prepare("apply", "-f", "{files}/namespace.yaml", "--validate=false"),
                kubectl(TEXT, "apply", "-f", "{files}/objects.yaml", "--validate=strict"),
                prepare("apply", "-f", "{files}/objects.yaml", "--validate=false"),
                waiting(LAST_LINE, "rollout", "status", "deployment/web", "--timeout=60s"),
                awaitRolledOut("await web rolled out", "web", 2),
                awaitRolledOut("await backend rolled out", "backend", 1),
                await("await pods running", "Running Running Running", "get", "pods", "-o",
                        "jsonpath={.items[*].status.phase}"));
    }

    private static List<Step> gets() {
        return List.of(
                kubectl(TEXT, "get", "pods"),
                kubectl(TEXT, "get", "pods", "-o", "wide"),
                kubectl(TEXT, "get", "pods", "-o", "name"),
                kubectl(TEXT, "get", "pods", "--show-labels"),
                kubectl(OBJECT, "get", "pods", "-o", "json"),
                kubectl(OBJECT, "get", "deployment", "web", "-o", "json"),
                kubectl(OBJECT, "get", "deployment", "web", "-o", "yaml"),
                kubectl(OBJECT, "get", "replicasets", "-o", "json"),
                kubectl(TEXT, "get", "deployments,replicasets"),
                kubectlAs("get pods -o jsonpath=<name phase>", TEXT, "get", "pods", "-o",
                        "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{\"\\n\"}{end}"),
                kubectlAs("get pods -o custom-columns=<name,node,phase>", TEXT, "get", "pods", "-o",
                        "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,PHASE:.status.phase"),
                kubectl(OBJECT, "get", "nodes", "-o", "json"),
                kubectl(TEXT, "get", "nodes", "--show-labels"),
                kubectl(TEXT, "get", "configmap", "settings", "-o", "yaml"));
    }

    private static List<Step> selectors() {
        List<Step> steps = new ArrayList<>();
        for (String labels : List.of("app in (web,backend)", "app notin (web)", "!tier", "app=web,tier=front", "app!=web")) {
            steps.add(kubectl(TEXT, "get", "pods", "-l", labels, "-o", "name"));
        }
        for (String fields : List.of("status.phase=Running", "status.phase!=Running", "spec.nodeName=sandbox-node-1",
                "spec.nodeName=sandbox-node-2", "metadata.namespace={ns}", "spec.restartPolicy=Always")) {
            steps.add(kubectl(TEXT, "get", "pods", "--field-selector", fields, "-o", "name"));
        }
        steps.add(kubectl(TEXT, "get", "configmaps", "--field-selector", "metadata.name=settings", "-o", "name"));
        steps.add(kubectl(TEXT, "get", "pods", "--all-namespaces", "--field-selector", "spec.nodeName=sandbox-node-3",
                "-o", "name"));
        return steps;
    }

    /** Watches of ConfigMaps labelled watch=me: what the watch prints for a create, an update and a delete. */
    private static List<Step> watches() {
        List<String> watch = List.of("get", "configmaps", "-l", "watch=me", "-w", "--output-watch-events",
                "-o", "custom-columns=" + WATCHED);
        List<String> watchOnly = List.of("get", "configmaps", "-l", "watch=me", "--watch-only",
                "--output-watch-events", "-o", "custom-columns=" + WATCHED);
        List<String> plainWatch = List.of("get", "configmaps", "-l", "watch=me", "-w");
        return List.of(
                prepare("apply", "-f", "{files}/w1.yaml", "--validate=false"),
                streaming("get configmaps -w --output-watch-events", watch, seen("w1", 1), changes("w2"),
                        seen("DELETED", 1)),
                streaming(String.join(" ", plainWatch), plainWatch, seen("w1", 1), changes("w3"), seen("w3", 3)),
                // nothing shows when --watch-only's watch has begun: give it 3 s
                streaming("get configmaps --watch-only --output-watch-events", watchOnly, out -> false,
                        Duration.ofSeconds(3), changes("w4"),
                        seen("DELETED", 1)),
                kubectl(TEXT, "get", "configmaps", "-l", "watch=me", "-o", "name"));
    }

    /**
     * Create (labelled watch=me), update and delete of ConfigMap {@code name}. Created from a manifest: kubectl's
     * typed {@code create configmap} sends protobuf, which the sandbox refuses (a row of its own below), and
     * would leave these watches nothing to show.
     */
    private static List<List<String>> changes(String name) {
        return List.of(List.of("create", "-f", "{files}/" + name + ".yaml"),
                List.of("label", "configmap", name, "watch=me"),
                List.of("patch", "configmap", name, "--type=merge", "-p", "{\"data\":{\"k\":\"two\"}}"),
                List.of("delete", "configmap", name));
    }

    private static List<Step> describesAndLogs() {
        List<String> follow = List.of("logs", "-f", "deployment/backend");
        return List.of(
                kubectl(TEXT, "describe", "pods", "-l", "app=backend"),
                kubectl(TEXT, "describe", "deployment", "web"),
                kubectl(TEXT, "describe", "node", "sandbox-node-1"),
                kubectl(TEXT, "logs", "deployment/backend"),
                streaming(String.join(" ", follow), follow, out -> false, Duration.ofSeconds(5), List.of(),
                        out -> !out.isEmpty()),
                kubectl(TEXT, "get", "--raw", "/api/v1/namespaces/{ns}/pods/nothing-here/log"),
                kubectl(TEXT, "get", "--raw", "/apis/nothing.example.com/v1"),
                kubectl(TEXT, "get", "--raw", "/api/v1/namespaces/{ns}/nothings"));
    }

    private static List<Step> changes() {
        return List.of(
                kubectl(TEXT, "diff", "-f", "{files}/web-3.yaml"),
                kubectl(TEXT, "get", "deployment", "web", "-o", "jsonpath={.spec.replicas}"),
                kubectl(OBJECT, "create", "configmap", "dry", "--from-literal=a=b", "--dry-run=server", "-o", "json"),
                kubectl(TEXT, "get", "configmap", "dry"),
                edit("{files}/editor.sh", "edit", "configmap", "settings"),
                kubectl(TEXT, "get", "configmap", "settings", "-o", "jsonpath={.data.mode}"),
                kubectl(TEXT, "patch", "deployment", "web", "--type=json", "-p",
                        "[{\"op\":\"add\",\"path\":\"/metadata/labels/patched\",\"value\":\"json\"}]"),
                kubectl(TEXT, "patch", "deployment", "web", "--type=merge", "-p",
                        "{\"metadata\":{\"annotations\":{\"patched\":\"merge\"}}}"),
                kubectl(TEXT, "label", "deployment", "web", "team=data"),
                kubectl(TEXT, "label", "pods", "-l", "app=backend", "checked=yes"),
                kubectl(TEXT, "annotate", "deployment", "web", "note=hello"),
                kubectlAs("get deployment web -o jsonpath=<patched, labelled, annotated>", TEXT, "get", "deployment",
                        "web", "-o", "jsonpath={.metadata.labels.patched}/{.metadata.annotations.patched}"
                                + "/{.metadata.labels.team}/{.metadata.annotations.note}"),
                kubectl(TEXT, "get", "pods", "-l", "checked=yes", "-o", "name"),
                kubectl(TEXT, "scale", "deployment/web", "--replicas=3"),
                awaitRolledOut("await web scaled to 3", "web", 3));
    }

    /** Revision 1 (apply), 2 (set image), 3 (restart), then undo: back to revision 2's template as revision 4. */
    private static List<Step> rollouts() {
        String image = "jsonpath={.spec.template.spec.containers[0].image}";
        return List.of(
                kubectl(TEXT, "set", "image", "deployment/web", "nginx=nginx:1.26"),
                waitingAs("rollout status after set image", LAST_LINE, "rollout", "status", "deployment/web",
                        "--timeout=60s"),
                awaitRolledOut("await image rolled out", "web", 3),
                kubectl(TEXT, "rollout", "restart", "deployment/web"),
                waitingAs("rollout status after restart", LAST_LINE, "rollout", "status", "deployment/web",
                        "--timeout=60s"),
                awaitRolledOut("await restart rolled out", "web", 3),
                kubectl(TEXT, "rollout", "history", "deployment/web"),
                kubectl(TEXT, "rollout", "history", "deployment/web", "--revision=2"),
                kubectl(TEXT, "rollout", "undo", "deployment/web"),
                waitingAs("rollout status after undo", LAST_LINE, "rollout", "status", "deployment/web", "--timeout=60s"),
                awaitRolledOut("await undo rolled out", "web", 3),
                kubectlAs("image after undo", TEXT, "get", "deployment", "web", "-o", image),
                kubectlAs("rollout history after undo", TEXT, "rollout", "history", "deployment/web"),
                waiting(TEXT, "wait", "--for=condition=Available", "deployment/web", "--timeout=60s"),
                waiting(TEXT, "wait", "--for=jsonpath={.status.readyReplicas}=3", "deployment/web", "--timeout=60s"),
                kubectlAs("get replicasets -o custom-columns=<image,revision,replicas>", LINE_SET, "get",
                        "replicasets", "-l", "app=web", "-o", "custom-columns=IMAGE:.spec.template.spec.containers[0].image,"
                                + "REVISION:.metadata.annotations.deployment\\.kubernetes\\.io/revision,REPLICAS:.spec.replicas"));
    }

    private static List<Step> clusterWide() {
        return List.of(
                kubectl(LINE_SET, "get", "events"),
                kubectlAs("get events -o custom-columns=<type,reason,kind>", LINE_SET, "get", "events", "-o",
                        "custom-columns=TYPE:.type,REASON:.reason,KIND:.involvedObject.kind"),
                kubectl(TEXT, "get", "all"),
                kubectl(TEXT, "api-resources", "--api-group="),
                kubectl(TEXT, "api-resources", "--api-group=apps"),
                kubectl(TEXT, "api-resources", "--api-group=ray.io"),
                kubectl(TEXT, "cluster-info"),
                kubectl(TEXT, "auth", "can-i", "create", "deployments"),
                kubectl(TEXT, "auth", "can-i", "*", "*"),
                kubectl(TEXT, "auth", "can-i", "list", "secrets", "--as=system:serviceaccount:{ns}:default"),
                kubectl(OBJECT, "version", "-o", "json"));
    }

    /** What a real API server refuses: unknown fields (strict validation), bad names and quantities, bad input. */
    private static List<Step> refusals() {
        return List.of(
                kubectl(TEXT, "apply", "-f", "{files}/unknown-field.yaml", "--validate=strict"),
                kubectl(TEXT, "apply", "-f", "{files}/bad-name.yaml", "--validate=strict"),
                kubectl(TEXT, "apply", "-f", "{files}/bad-quantity.yaml", "--validate=strict"),
                kubectl(TEXT, "apply", "-f", "{files}/no-image.yaml", "--validate=strict"),
                kubectl(TEXT, "create", "configmap", "settings", "--from-literal=a=b"),
                kubectl(TEXT, "get", "deployment", "nothing-here"),
                kubectl(TEXT, "delete", "deployment", "nothing-here"),
                kubectl(TEXT, "patch", "deployment", "web", "--type=merge", "-p", "{\"spec\":{\"replicas\":-1}}"),
                kubectl(TEXT, "exec", "deployment/backend", "--", "true"));
    }

    private static List<Step> deletes() {
        return List.of(
                kubectl(TEXT, "delete", "deployment", "backend"),
                // whether the pod is still there when wait starts is timing: wait on a name that is gone instead
                await("await backend pods gone", "", "get", "pods", "-l", "app=backend", "-o", "name"),
                waiting(TEXT, "wait", "--for=delete", "configmap/nothing-here", "--timeout=10s"),
                kubectl(TEXT, "get", "replicasets,pods", "-l", "app=backend", "-o", "name"),
                kubectl(TEXT, "get", "deployment", "backend"),
                kubectl(TEXT, "delete", "-f", "{files}/w1.yaml"),
                waiting(TEXT, "delete", "namespace", "{ns}", "--timeout=60s"),
                kubectl(TEXT, "get", "namespace", "{ns}"));
    }

    private static Path writeFiles(Path dir, String namespace) throws IOException {
        Files.writeString(dir.resolve("namespace.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                """.formatted(namespace));
        Files.writeString(dir.resolve("objects.yaml"), deployment("web", 2, "nginx", "nginx:1.25", true)
                + "---\n" + deployment("backend", 1, "backend", "busybox:1.36", false) + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  labels: {app: web}
                data:
                  mode: one
                """);
        Files.writeString(dir.resolve("web-3.yaml"), deployment("web", 3, "nginx", "nginx:1.25", true));
        Files.writeString(dir.resolve("w1.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: w1
                  labels: {watch: me}
                data:
                  k: one
                """);
        for (String name : List.of("w2", "w3", "w4")) {
            Files.writeString(dir.resolve(name + ".yaml"), """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: %s
                    data:
                      k: one
                    """.formatted(name));
        }
        Files.writeString(dir.resolve("unknown-field.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: unknown-field
                data:
                  k: one
                datum:
                  k: two
                """);
        Files.writeString(dir.resolve("bad-name.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: Bad_Name
                  labels: {"team": "has space"}
                data:
                  k: one
                """);
        Files.writeString(dir.resolve("bad-quantity.yaml"), deployment("bad-quantity", 1, "main", "busybox:1.36", false)
                .replace("cpu: 100m", "cpu: 2Gx"));
        Files.writeString(dir.resolve("no-image.yaml"), deployment("no-image", 1, "main", "busybox:1.36", false)
                .replace("        image: busybox:1.36\n", ""));
        Path editor = dir.resolve("editor.sh");
        Files.writeString(editor, """
                #!/bin/sh
                # kubectl edit's KUBE_EDITOR: the file to edit comes last
                for file; do :; done
                sed -i 's/mode: one/mode: two/' "$file"
                """);
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /** A Deployment pinned to sandbox-node-1, 100m CPU per pod; {@code tiered}: label tier=front as well. */
    private static String deployment(String name, int replicas, String container, String image, boolean tiered) {
        String labels = tiered ? "{app: " + name + ", tier: front}" : "{app: " + name + "}";
        String command = image.startsWith("busybox") ? "        command: [sleep, \"3600\"]\n" : "";
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  labels: %2$s
                spec:
                  replicas: %3$d
                  selector:
                    matchLabels: {app: %1$s}
                  template:
                    metadata:
                      labels: %2$s
                    spec:
                      nodeSelector: {kubernetes.io/hostname: sandbox-node-1}
                      containers:
                      - name: %4$s
                        image: %5$s
                %6$s        resources:
                          requests: {cpu: 100m, memory: 64Mi}
                """.formatted(name, labels, replicas, container, image, command);
    }
}
