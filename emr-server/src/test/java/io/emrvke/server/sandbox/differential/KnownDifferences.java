package io.emrvke.server.sandbox.differential;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The differences docs/sandbox.md lists, each with its reason, in the table under the heading
 * {@value #HEADING}: {@code | scenario | step | aspect | reason |}, one row per difference (backticks
 * around a cell are ignored, {@code \|} is a literal bar).
 *
 * <p>{@link #judge} fails on any difference not listed. A listed difference that did not occur is stale: it
 * is printed always, and fails the test under {@code CI=true} or {@code -Dsandbox.differences.strict=true}.
 * So CI keeps the table honest (it may only shrink with the sandbox's fixes, never describe a difference that
 * is gone), while someone fixing the sandbox locally sees which rows their change retired without being
 * stopped mid-work. Every run writes the measured table to {@code target/sandbox-differences/<scenario>.md},
 * reasons carried over from the doc, to paste back.
 */
final class KnownDifferences {
    static final String HEADING = "## Measured differences";
    static final String STRICT_PROPERTY = "sandbox.differences.strict";
    private static final String HEADER = "| scenario | step | aspect | reason |";

    private final Path doc;
    private final Map<Difference.Key, String> reasons;

    private KnownDifferences(Path doc, Map<Difference.Key, String> reasons) {
        this.doc = doc;
        this.reasons = reasons;
    }

    /** docs/sandbox.md of this checkout (found from the working directory upwards). */
    static KnownDifferences load() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/sandbox.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new AssertionError("docs/sandbox.md not found above " + Path.of("").toAbsolutePath());
        }
        return parse(dir.resolve("docs/sandbox.md"));
    }

    static KnownDifferences parse(Path doc) {
        try {
            return new KnownDifferences(doc, rows(Files.readAllLines(doc), doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<Difference.Key, String> rows(List<String> lines, Path doc) {
        int start = lines.indexOf(HEADING);
        if (start < 0) {
            throw new AssertionError(doc + " has no heading \"" + HEADING + "\"");
        }
        int header = start + 1;
        while (header < lines.size() && !lines.get(header).trim().equals(HEADER)) {
            header++;
        }
        if (header >= lines.size()) {
            throw new AssertionError(doc + ": no table \"" + HEADER + "\" under " + HEADING);
        }
        Map<Difference.Key, String> rows = new LinkedHashMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).trim().startsWith("|"); i++) {
            List<String> cells = cells(lines.get(i));
            if (cells.size() != 4 || cells.get(3).isBlank()) {
                throw new AssertionError(doc + " line " + (i + 1) + ": want 4 cells, the last a reason: " + lines.get(i));
            }
            Difference.Key key = new Difference.Key(cells.get(0), cells.get(1), cells.get(2));
            if (rows.put(key, cells.get(3)) != null) {
                throw new AssertionError(doc + " line " + (i + 1) + ": listed twice: " + key);
            }
        }
        return rows;
    }

    private static List<String> cells(String row) {
        String inner = row.trim().replaceAll("^\\|", "").replaceAll("\\|$", "");
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
            String c = cell.trim().replace("\\|", "|");
            if (c.length() >= 2 && c.startsWith("`") && c.endsWith("`")) {
                c = c.substring(1, c.length() - 1);
            }
            cells.add(c);
        }
        return cells;
    }

    /** Fails on an unlisted difference (and, strict, on a stale row); prints and writes the measured table. */
    void judge(String scenario, List<Difference> found) {
        judge(scenario, found, strict());
    }

    void judge(String scenario, List<Difference> found, boolean strict) {
        List<Difference> unlisted = found.stream().filter(d -> !reasons.containsKey(d.key())).toList();
        List<Difference.Key> stale = reasons.keySet().stream().filter(k -> k.scenario().equals(scenario))
                .filter(k -> found.stream().noneMatch(d -> d.key().equals(k))).toList();
        writeMeasured(scenario, found);
        System.out.println("differential " + scenario + ": " + found.size() + " differences, " + unlisted.size()
                + " not listed in " + doc + ", " + stale.size() + " listed but gone");
        stale.forEach(k -> System.out.println("  STALE (listed in docs/sandbox.md, did not occur): " + k));
        StringBuilder failures = new StringBuilder();
        unlisted.forEach(d -> failures.append("\nUNLISTED ").append(d.key()).append('\n').append(d.detail()));
        if (strict) {
            stale.forEach(k -> failures.append("\nSTALE ").append(k).append(": no longer differs; remove its row"));
        }
        if (!failures.isEmpty()) {
            fail("the sandbox and the real control plane differ where docs/sandbox.md says nothing (measured table: "
                    + measuredFile(scenario).toAbsolutePath() + "):" + failures);
        }
    }

    static boolean strict() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean(STRICT_PROPERTY);
    }

    private void writeMeasured(String scenario, List<Difference> found) {
        StringBuilder table = new StringBuilder(HEADER).append("\n|---|---|---|---|\n");
        for (Difference d : found) {
            table.append("| ").append(scenario).append(" | `").append(d.step().replace("|", "\\|")).append("` | ")
                    .append(d.aspect()).append(" | ").append(reasons.getOrDefault(d.key(), "TODO: "
                            + d.detail().replace("\n", " ").replace("|", "\\|"))).append(" |\n");
        }
        StringBuilder details = new StringBuilder();
        found.forEach(d -> details.append(d.key()).append('\n').append(d.detail()).append("\n\n"));
        try {
            Files.createDirectories(measuredFile(scenario).getParent());
            Files.writeString(measuredFile(scenario), table);
            Files.writeString(measuredFile(scenario).resolveSibling(scenario + "-details.txt"), details);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path measuredFile(String scenario) {
        return Path.of("target", "sandbox-differences", scenario + ".md");
    }
}
