package io.emrvke.server.sandbox.differential;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A named list of steps, run in order on one target and then, identically, on the other; the observations
 * of the compared steps are what {@link Difference#between} compares. Preparation steps (waiting for a
 * state, aligning the clusters' node pools) run alike but are not compared.
 */
record Scenario(String name, List<Step> steps) {
    Scenario {
        Set<String> ids = new HashSet<>();
        for (Step s : steps) {
            if (s.compared() && !ids.add(s.id())) {
                throw new IllegalArgumentException(name + ": step id used twice: " + s.id());
            }
        }
    }

    /** One step: its id (the difference table's "step" column) and what it does on a session. */
    record Step(String id, boolean compared, Function<Session, Observation> action) {
    }

    /** One target, the namespace the scenario works in (same name on both), and the files it applies. */
    record Session(Target target, String namespace, Normaliser normaliser, Path files) {
    }

    List<Observation> runOn(Session session) {
        List<Observation> observed = new ArrayList<>();
        for (Step step : steps) {
            long start = System.nanoTime();
            Observation o = step.action().apply(session);
            System.out.printf("[%s %s] %s (%d ms)%n", name, session.target().name, step.id(),
                    (System.nanoTime() - start) / 1_000_000);
            if (step.compared()) {
                observed.add(o);
            }
        }
        return observed;
    }

    /** Runs on the sandbox, then on the real control plane; the differences, to judge against docs/sandbox.md. */
    List<Difference> differences(Session sandbox, Session real) {
        return Difference.between(name, runOn(sandbox), runOn(real));
    }

    /** Writes a scenario's files (manifests that name the namespace) into a folder, which it returns. */
    interface Manifests {
        Path write(Path folder, String namespace) throws IOException;
    }

    /**
     * Runs on a fresh sandbox and then on the real control plane, in a namespace named {@code prefix-<random>} on
     * both (generated children of {@code workloads} normalised), and judges the differences against
     * docs/sandbox.md. The namespace goes from the real plane even when the scenario stopped half-way.
     */
    void judgeOnBothTargets(Path tmp, String prefix, List<String> workloads, Manifests manifests) throws Exception {
        Path kubectl = KubectlBinary.require(name + " scenario");
        String namespace = prefix + "-" + Long.toString(new Random().nextLong() & 0xffffffL, 36);
        Path folder = manifests.write(java.nio.file.Files.createDirectories(tmp.resolve("files")), namespace);
        Normaliser normaliser = new Normaliser(workloads, Map.of(Pattern.quote(namespace), "<ns>"));
        KnownDifferences known = KnownDifferences.load();
        try (Target sandbox = Target.sandbox(tmp, kubectl); Target real = Target.real(tmp, kubectl)) {
            try {
                known.judge(name, differences(new Session(sandbox, namespace, normaliser, folder),
                        new Session(real, namespace, normaliser, folder)));
            } finally {
                real.api.send("DELETE", "/api/v1/namespaces/" + namespace, null, null);
            }
        }
    }
}
