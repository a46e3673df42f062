package io.emrvke.server.sandbox.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What two clusters may legitimately answer differently, replaced by placeholders before comparing: server
 * URLs, timestamps and ages, UIDs, IPs, resourceVersions, container IDs, the random suffixes of generated
 * names (for the workload names a scenario declares), and the marks KWOK (the oracle's fake kubelet, not
 * Kubernetes) puts on its nodes. Everything else must match or be listed in docs/sandbox.md.
 */
final class Normaliser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH = "[a-z0-9]{6,10}";
    private static final String RANDOM = "[a-z0-9]{5}";
    private static final Set<String> GENERATED_METADATA = Set.of("uid", "resourceVersion", "creationTimestamp",
            "managedFields", "selfLink", "continue", "remainingItemCount");
    private static final Set<String> GENERATED_LABELS = Set.of("pod-template-hash", "controller-revision-hash");
    private static final Set<String> RUNTIME_IDS = Set.of("containerID", "imageID");
    private static final String KWOK_PREFIX = "kwok.x-k8s.io/";
    // a kubectl age or duration cell (5s, 2m3s, 10h): not a CPU quantity, which describe follows with " (n%)"
    private static final Pattern AGE = Pattern.compile("(?<=\\s|^)(\\d+[smhd]){1,2}(?=\\s|$)(?! \\()",
            Pattern.MULTILINE);

    private final List<Map.Entry<Pattern, String>> rules = new ArrayList<>();

    /**
     * {@code workloads}: names whose generated children ({@code name-<hash>-<random>}) get placeholders (written as
     * they read after {@code replacements}); {@code replacements}: regex → placeholder, applied first, in order.
     */
    Normaliser(List<String> workloads, Map<String, String> replacements) {
        workloads = new ArrayList<>(workloads);
        workloads.add("kube-api-access"); // the projected service-account volume of every pod
        replacements.forEach((regex, placeholder) -> rule(regex, Matcher.quoteReplacement(placeholder)));
        rule("(https?://)?127\\.0\\.0\\.1:\\d+", "<server>");
        rule("/tmp/(LIVE|MERGED)-\\d+", "/tmp/$1-<n>");
        rule("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?( ?(Z|[+-]\\d{2}:?\\d{2}))?", "<time>");
        // klog's line header: severity, date, time, thread id
        rule("(?m)^([IWEF])\\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d+\\s+\\d+ ", "$1<klog> ");
        rule("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}", "<time>");
        rule("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uid>");
        rule("\\b\\d{1,3}(\\.\\d{1,3}){3}\\b", "<ip>");
        rule("(resourceVersion[\"']?:\\s*\"?)\\d+", "$1<rv>");
        rule("((?:pod-template-hash|controller-revision-hash)[\"']?[=:]\\s*\"?)[a-z0-9-]+", "$1<hash>");
        for (String w : workloads) {
            rule("\\b(" + Pattern.quote(w) + ")-" + HASH + "-" + RANDOM + "\\b", "$1-<hash>-<random>");
            rule("\\b(" + Pattern.quote(w) + ")-" + HASH + "\\b", "$1-<hash>");
            rule("\\b(" + Pattern.quote(w) + ")-" + RANDOM + "\\b", "$1-<random>");
        }
        // how often and how recently an event recurred, and the correlator folding frequent ones, follow timing
        rule("\\(x\\d+ over [^)]*\\)", "");
        rule("\\(combined from similar events\\): ", "");
    }

    private void rule(String regex, String replacement) {
        rules.add(Map.entry(Pattern.compile(regex), replacement));
    }

    /** A kubectl text output: placeholders, ages, and column padding (which follows the names' lengths). */
    String text(String text) {
        String s = AGE.matcher(values(text)).replaceAll("<age>");
        List<String> lines = new ArrayList<>();
        for (String line : s.split("\n", -1)) {
            // padding between columns follows the widest cell, which placeholders change: one width for all
            lines.add(line.replaceAll("(?<=\\S)[ \\t]{2,}(?=\\S)", "   ").stripTrailing());
        }
        return String.join("\n", sortRowsOfOneGeneratedName(lines)).strip();
    }

    /**
     * kubectl lists rows by name, so rows whose names differ only in a generated suffix (two ReplicaSets of one
     * Deployment) come in the order of suffixes each cluster picks at random. Once the suffix is a placeholder
     * their order says nothing: a run of adjacent rows with the same placeholder name is put in one order.
     */
    private static List<String> sortRowsOfOneGeneratedName(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        int start = 0;
        while (start < out.size()) {
            String name = firstCell(out.get(start));
            int end = start + 1;
            while (end < out.size() && generated(name) && firstCell(out.get(end)).equals(name)) {
                end++;
            }
            out.subList(start, end).sort(null);
            start = end;
        }
        return out;
    }

    private static String firstCell(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    private static boolean generated(String name) {
        return name.contains("<hash>") || name.contains("<random>");
    }

    /** The placeholders of a single value (no age or padding rules: a value is not a table). */
    String values(String text) {
        String s = text;
        for (Map.Entry<Pattern, String> r : rules) {
            s = r.getKey().matcher(s).replaceAll(r.getValue());
        }
        return s;
    }

    /** An object (or list) with generated fields dropped, generated values replaced, and keys sorted. */
    JsonNode json(JsonNode node) {
        return json(node, "");
    }

    private JsonNode json(JsonNode node, String field) {
        if (node.isTextual()) {
            return TextNode.valueOf(RUNTIME_IDS.contains(field) ? "<id>" : values(node.asText()));
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(e -> out.add(json(e, field)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!dropped(field, e.getKey(), e.getValue())) {
                sorted.put(values(e.getKey()), generated(field, e.getKey()) ? TextNode.valueOf("<hash>")
                        : json(e.getValue(), e.getKey()));
            }
        }
        ObjectNode out = JSON.createObjectNode();
        sorted.forEach(out::set);
        return out;
    }

    private static boolean dropped(String parent, String key, JsonNode value) {
        if (parent.equals("metadata") && GENERATED_METADATA.contains(key)) {
            return true;
        }
        if (key.startsWith(KWOK_PREFIX)) {
            return true;
        }
        return parent.equals("labels") && key.equals("type") && value.asText().equals("kwok");
    }

    private static boolean generated(String parent, String key) {
        return (parent.equals("labels") || parent.equals("matchLabels")) && GENERATED_LABELS.contains(key);
    }
}
