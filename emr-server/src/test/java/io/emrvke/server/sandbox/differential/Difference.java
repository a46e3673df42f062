package io.emrvke.server.sandbox.differential;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** One aspect of one step on which the sandbox and the real control plane answered differently. */
record Difference(String scenario, String step, String aspect, String sandbox, String real) {
    private static final int SHOWN = 12;
    private static final List<String> OUTCOMES = List.of("exit", "status");

    /** The key docs/sandbox.md lists a difference by. */
    Key key() {
        return new Key(scenario, step, aspect);
    }

    record Key(String scenario, String step, String aspect) {
        @Override
        public String toString() {
            return scenario + " | " + step + " | " + aspect;
        }
    }

    /**
     * Every aspect on which the two observation lists (same steps, same order) differ. When the outcome itself
     * differs (kubectl's {@code exit}, HTTP {@code status}) that is the one difference of the step, its values
     * holding every aspect: the rest follows from it, and a fix of the outcome then shows what is left.
     */
    static List<Difference> between(String scenario, List<Observation> sandbox, List<Observation> real) {
        Map<String, Observation> realByStep = new LinkedHashMap<>();
        real.forEach(o -> realByStep.put(o.step, o));
        List<Difference> found = new ArrayList<>();
        for (Observation s : sandbox) {
            Observation r = realByStep.getOrDefault(s.step, new Observation(s.step));
            String outcome = OUTCOMES.stream().filter(a -> s.aspects.containsKey(a) || r.aspects.containsKey(a))
                    .findFirst().orElse(null);
            if (outcome != null && !Objects.equals(s.aspects.get(outcome), r.aspects.get(outcome))) {
                found.add(new Difference(scenario, s.step, outcome, s.whole(), r.whole()));
                continue;
            }
            Set<String> aspects = new LinkedHashSet<>(s.aspects.keySet());
            aspects.addAll(r.aspects.keySet());
            List<String> differing = new ArrayList<>();
            for (String aspect : aspects) {
                String sv = s.aspects.getOrDefault(aspect, "(absent)");
                String rv = r.aspects.getOrDefault(aspect, "(absent)");
                // when a list holds other items, how their fields differ follows from that
                boolean follows = differing.stream().anyMatch(d -> d.endsWith(".items") && aspect.startsWith(d + "."));
                if (!sv.equals(rv) && !follows) {
                    differing.add(aspect);
                    found.add(new Difference(scenario, s.step, aspect, sv, rv));
                }
            }
        }
        return found;
    }

    /** What differs, briefly: the JSON paths or lines found on one side only (at most a dozen of each). */
    String detail() {
        JsonNode s = Observation.parse(sandbox);
        JsonNode r = Observation.parse(real);
        if (s != null && r != null) {
            return pathDiff(flatten(s), flatten(r));
        }
        return lineDiff(sandbox.lines().toList(), real.lines().toList());
    }

    private static String lineDiff(List<String> sandbox, List<String> real) {
        List<String> onlySandbox = sandbox.stream().filter(l -> !real.contains(l)).toList();
        List<String> onlyReal = real.stream().filter(l -> !sandbox.contains(l)).toList();
        if (onlySandbox.isEmpty() && onlyReal.isEmpty()) {
            int first = 0; // shown from the first line that differs, which is what a reader needs
            while (first < Math.min(sandbox.size(), real.size()) && sandbox.get(first).equals(real.get(first))) {
                first++;
            }
            return "same lines, other order or count (" + sandbox.size() + " and " + real.size() + " lines), from line "
                    + (first + 1) + ":\n  sandbox: " + abbreviate(String.join(" / ", sandbox.subList(first,
                    sandbox.size()))) + "\n  real:    " + abbreviate(String.join(" / ", real.subList(first, real.size())));
        }
        return "  sandbox only: " + shown(onlySandbox) + "\n  real only:    " + shown(onlyReal);
    }

    private static String pathDiff(Map<String, String> sandbox, Map<String, String> real) {
        List<String> onlySandbox = new ArrayList<>();
        List<String> onlyReal = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        sandbox.forEach((path, value) -> {
            if (!real.containsKey(path)) {
                onlySandbox.add(path + "=" + value);
            } else if (!real.get(path).equals(value)) {
                changed.add(path + ": sandbox " + value + ", real " + real.get(path));
            }
        });
        real.forEach((path, value) -> {
            if (!sandbox.containsKey(path)) {
                onlyReal.add(path + "=" + value);
            }
        });
        return "  sandbox only: " + shown(onlySandbox) + "\n  real only:    " + shown(onlyReal)
                + "\n  values:       " + shown(changed);
    }

    private static String shown(List<String> items) {
        List<String> first = items.stream().limit(SHOWN).map(Difference::abbreviate).toList();
        return first.isEmpty() ? "-" : String.join("; ", first) + (items.size() > SHOWN
                ? " … (" + (items.size() - SHOWN) + " more)" : "");
    }

    private static String abbreviate(String s) {
        String one = s.replace("\n", "⏎");
        return one.length() > 160 ? one.substring(0, 160) + "…" : one;
    }

    /** path → scalar value (arrays by index), for a readable difference of two objects. */
    static Map<String, String> flatten(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten(node, "", out);
        return out;
    }

    private static void flatten(JsonNode node, String path, Map<String, String> out) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                out.put(path, "{}");
            }
            node.fields().forEachRemaining(f -> flatten(f.getValue(), path.isEmpty() ? f.getKey()
                    : path + "." + f.getKey(), out));
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.put(path, "[]");
            }
            for (int i = 0; i < node.size(); i++) {
                flatten(node.get(i), path + "[" + i + "]", out);
            }
        } else {
            out.put(path, node.asText());
        }
    }
}
