package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.emrvke.server.sandbox.differential.KubectlBinary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The done-when kubectl session, run against the sandbox with the kubeconfig it writes. Tagged {@code kubectl}:
 * CI runs it with the real-Kubernetes tier, whose build makes the kubectl it uses (see {@link KubectlBinary}).
 */
@Tag("kubectl")
class KubectlWorksAgainstSandboxTest {
    @TempDir
    Path dir;
    private Path kubeconfig;
    private String kubectl;

    record Result(int code, String out) {
    }

    @Test
    void kubectlCreatesScalesRestartsDescribesPatchesAndDeletesADeployment() throws Exception {
        kubectl = KubectlBinary.require(getClass().getSimpleName()).toString();
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            kubeconfig = sandbox.writeKubeconfig(dir.resolve("sandbox.kubeconfig"));
            Path manifest = dir.resolve("web.yaml");
            Files.writeString(manifest, """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: web
                    spec:
                      replicas: 2
                      selector:
                        matchLabels: {app: web}
                      template:
                        metadata:
                          labels: {app: web}
                        spec:
                          containers:
                          - name: nginx
                            image: nginx:1.25
                    """);
            ok("create", "-f", manifest.toString(), "--validate=false");
            waitFor("readyReplicas 2", () -> run("get", "deployment", "web", "-o", "jsonpath={.status.readyReplicas}")
                    .out().trim().equals("2"));
            waitFor("two Running pods", () -> runningPods().size() == 2);
            List<String> before = runningPods();

            ok("rollout", "restart", "deployment/web");
            waitFor("both pods replaced by ready ones", () -> {
                List<String> now = runningPods();
                return now.size() == 2 && now.stream().noneMatch(before::contains)
                        && run("get", "deployment", "web", "-o", "jsonpath={.status.updatedReplicas}/{.status.readyReplicas}/{.status.replicas}")
                        .out().trim().equals("2/2/2");
            });

            ok("scale", "deployment/web", "--replicas=0");
            waitFor("no pods", () -> run("get", "pods", "-o", "name").out().isBlank());

            assertThat(ok("describe", "deployment", "web")).contains("Replicas:").contains("0 desired");
            assertThat(ok("get", "deployment", "web", "-o", "yaml")).contains("kind: Deployment").contains("replicas: 0");
            ok("patch", "deployment", "web", "--type", "merge", "-p", "{\"metadata\":{\"labels\":{\"team\":\"data\"}}}");
            assertThat(ok("get", "deployment", "web", "-o", "jsonpath={.metadata.labels.team}")).isEqualTo("data");
            assertThat(run("get", "rayclusters", "-A").code()).isZero();
            assertThat(run("get", "pods", "-A").code()).isZero();

            ok("delete", "deployment", "web");
            assertThat(run("get", "deployment", "web").code()).isNotZero();
        }
    }

    @Test
    void kubectlReadsAndFollowsLogsRefusesInvalidObjectsAndSaysExecIsNotSupported() throws Exception {
        kubectl = KubectlBinary.require(getClass().getSimpleName()).toString();
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            kubeconfig = sandbox.writeKubeconfig(dir.resolve("sandbox.kubeconfig"));
            ok("run", "solo", "--image=busybox:1.36", "--labels=app=solo");
            waitFor("solo Running", () -> runningPods().contains("solo"));
            waitFor("solo ready in its log", () -> run("logs", "solo").out().contains("sandbox: ready"));
            assertThat(ok("logs", "solo", "-c", "solo")).startsWith("sandbox: container solo starting: image busybox:1.36");
            assertThat(ok("logs", "solo", "--tail=1")).isEqualTo("sandbox: ready\n");
            assertThat(run("logs", "solo", "--previous").out()).contains("previous terminated container \"solo\"");
            assertThat(run("logs", "solo", "-c", "other").out()).contains("container other is not valid for pod solo");
            Result missing = run("logs", "nothing-here");
            assertThat(missing.code()).isNotZero();
            assertThat(missing.out()).contains("pods \"nothing-here\" not found");

            Process follow = new ProcessBuilder(kubectl, "--kubeconfig", kubeconfig.toString(), "logs", "-f", "solo")
                    .redirectErrorStream(true).start();
            try {
                Thread.sleep(1_000); // following; the stream ends when the pod's container stops
                ok("delete", "pod", "solo", "--wait=false");
                assertThat(follow.waitFor(20, TimeUnit.SECONDS)).as("logs -f ends with the pod").isTrue();
                assertThat(new String(follow.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .contains("sandbox: ready");
            } finally {
                follow.destroyForcibly();
            }

            ok("run", "other", "--image=busybox:1.36");
            waitFor("other Running", () -> runningPods().contains("other"));
            Result exec = run("exec", "other", "--", "true");
            assertThat(exec.code()).isNotZero();
            assertThat(exec.out()).contains("exec is not supported by the sandbox");
            Result forward = run("port-forward", "pod/other", "18080:80");
            assertThat(forward.code()).isNotZero();
            assertThat(forward.out()).contains("port-forward is not supported by the sandbox");

            Path bad = dir.resolve("bad.yaml");
            Files.writeString(bad, """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: settings
                      labels: {app: "not valid!"}
                    """);
            Result invalid = run("create", "-f", bad.toString());
            assertThat(invalid.code()).isNotZero();
            assertThat(invalid.out()).contains("ConfigMap \"settings\" is invalid: metadata.labels: Invalid value:"
                    + " \"not valid!\"");
            assertThat(run("get", "configmap", "settings").code()).isNotZero();
        }
    }

    private List<String> runningPods() {
        String out = run("get", "pods", "--no-headers").out();
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 3 && cols[1].equals("1/1") && cols[2].equals("Running")) {
                names.add(cols[0]);
            }
        }
        return names;
    }

    private String ok(String... args) {
        Result r = run(args);
        if (r.code() != 0) {
            fail("kubectl " + String.join(" ", args) + " failed (" + r.code() + "): " + r.out());
        }
        return r.out();
    }

    private Result run(String... args) {
        List<String> cmd = new ArrayList<>(List.of(kubectl, "--kubeconfig", kubeconfig.toString(), "--request-timeout=10s"));
        cmd.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("kubectl " + String.join(" ", args) + " did not finish in 30 s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(String what, java.util.function.Supplier<Boolean> condition) {
        SandboxTestSupport.eventually(java.time.Duration.ofSeconds(20), what, condition);
    }
}
