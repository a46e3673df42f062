package io.emrvke.server.sandbox.differential;

import io.emrvke.server.sandbox.differential.Observation.Output;
import io.emrvke.server.sandbox.differential.Scenario.Session;
import io.emrvke.server.sandbox.differential.Scenario.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Scenario steps made of kubectl commands. Every command runs with {@code --namespace=<the scenario's>}
 * and {@code {ns}} in an argument replaced by it; {@code {files}} by the folder of the scenario's manifests.
 * A step's id is its command line unless given.
 */
final class KubectlSteps {
    /** For commands with a --timeout of their own (rollout status, wait, delete namespace). */
    private static final Duration LONG = Duration.ofSeconds(100);
    private static final Duration WATCH_READY = Duration.ofSeconds(20);
    private static final Duration WATCH_DONE = Duration.ofSeconds(15);

    private KubectlSteps() {
    }

    /** A compared one-shot command, its requests bounded by {@link Kubectl#REQUEST_TIMEOUT}. */
    static Step kubectl(Output output, String... args) {
        return kubectlAs(String.join(" ", args), output, args);
    }

    static Step kubectlAs(String id, Output output, String... args) {
        return new Step(id, true, s -> Observation.ofRun(id, run(s, Kubectl.PROCESS_TIMEOUT, Map.of(),
                withRequestTimeout(args)), output, s.normaliser()));
    }

    /** A compared command that waits by itself (its own --timeout; a watch must not be cut by a request timeout). */
    static Step waiting(Output output, String... args) {
        return waitingAs(String.join(" ", args), output, args);
    }

    static Step waitingAs(String id, Output output, String... args) {
        return new Step(id, true, s -> Observation.ofRun(id, run(s, LONG, Map.of(), List.of(args)), output,
                s.normaliser()));
    }

    /** {@code kubectl edit …} with {@code KUBE_EDITOR} the given script (it gets the file to edit as last argument). */
    static Step edit(String script, String... args) {
        String id = String.join(" ", args);
        return new Step(id, true, s -> Observation.ofRun(id, run(s, Kubectl.PROCESS_TIMEOUT,
                Map.of("KUBE_EDITOR", expand(s, script)), withRequestTimeout(args)), Output.TEXT, s.normaliser()));
    }

    /** Not compared: a command both targets run to reach the same starting point. */
    static Step prepare(String... args) {
        String id = "prepare: " + String.join(" ", args);
        return new Step(id, false, s -> {
            run(s, Kubectl.PROCESS_TIMEOUT, Map.of(), withRequestTimeout(args));
            return null;
        });
    }

    /**
     * Polls {@code kubectl get … -o jsonpath=…} until it prints {@code expected} (at most 90 s); compared by whether
     * it got there, so that a sandbox that never reaches the state shows as a difference of its own.
     */
    static Step await(String id, String expected, String... getArgs) {
        return await(id, expected::equals, getArgs);
    }

    /** Until the Deployment's controller has seen its last change and every replica is updated and ready. */
    static Step awaitRolledOut(String id, String deployment, int replicas) {
        String want = String.valueOf(replicas);
        return await(id, out -> {
            String[] v = out.split("/", -1);
            return v.length == 5 && v[0].equals(v[1]) && v[2].equals(want) && v[3].equals(want) && v[4].equals(want);
        }, "get", "deployment", deployment, "-o", "jsonpath={.metadata.generation}/{.status.observedGeneration}"
                + "/{.status.updatedReplicas}/{.status.readyReplicas}/{.status.replicas}");
    }

    private static Step await(String id, Predicate<String> reached, String... getArgs) {
        return new Step(id, true, s -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            String last = "";
            while (System.nanoTime() < deadline) {
                last = run(s, Kubectl.PROCESS_TIMEOUT, Map.of(), withRequestTimeout(getArgs)).out().strip();
                if (reached.test(last)) {
                    return new Observation(id).put("reached", "yes");
                }
                Kubectl.pause(500);
            }
            return new Observation(id).put("reached", "no, last: " + s.normaliser().text(last));
        });
    }

    /**
     * A command that keeps running ({@code get -w}, {@code logs -f}): started, read until {@code ready} holds
     * (at most 20 s), then {@code then} run one after the other, then read until {@code done} holds (at most 15 s),
     * then stopped. Exit {@code stopped} means it was still running, as a watch should be.
     */
    static Step streaming(String id, List<String> args, Predicate<String> ready, List<List<String>> then,
                          Predicate<String> done) {
        return streaming(id, args, ready, WATCH_READY, then, done);
    }

    /** As {@link #streaming(String, List, Predicate, List, Predicate)}, waiting {@code readyWait} at most for ready. */
    static Step streaming(String id, List<String> args, Predicate<String> ready, Duration readyWait,
                          List<List<String>> then, Predicate<String> done) {
        return new Step(id, true, s -> {
            Kubectl.Background watch = s.target().kubectl.start(Map.of(), namespaced(s, args));
            watch.awaitOutput(ready, readyWait);
            then.forEach(command -> run(s, Kubectl.PROCESS_TIMEOUT, Map.of(), withRequestTimeout(
                    command.toArray(String[]::new))));
            watch.awaitOutput(done, WATCH_DONE);
            return Observation.ofRun(id, watch.stop(), Output.TEXT, s.normaliser());
        });
    }

    /** Holds once {@code text} occurs {@code times} times in the output. */
    static Predicate<String> seen(String text, int times) {
        return out -> out.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times;
    }

    private static Kubectl.Run run(Session s, Duration timeout, Map<String, String> env, List<String> args) {
        return s.target().kubectl.run(timeout, env, namespaced(s, args));
    }

    /** kubectl's global flags go before the command, so that nothing after {@code --} gets them. */
    private static List<String> withRequestTimeout(String... args) {
        List<String> all = new ArrayList<>(List.of(Kubectl.REQUEST_TIMEOUT));
        all.addAll(Arrays.asList(args));
        return all;
    }

    private static List<String> namespaced(Session s, List<String> args) {
        List<String> all = new ArrayList<>(List.of("--namespace=" + s.namespace()));
        args.forEach(a -> all.add(expand(s, a)));
        return all;
    }

    private static String expand(Session s, String arg) {
        return arg.replace("{ns}", s.namespace()).replace("{files}", s.files().toString());
    }
}
