package io.emrvke.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.api.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md, the API reference, read against the code so that it cannot drift: the actions come from the
 * server's registry ({@link ControlPlane#actionNames()}) and the error codes from {@link ErrorCode}, never from a
 * list kept here.
 *
 * <p>How the reference marks things, which these checks rely on: each action has a level-2 heading that is its
 * name alone ({@code ## RunApplicationAction}), and the table of the {@code ## Actions} section lists each as
 * {@code | [Name](#name) | ...}; a level-2 heading that is one UpperCamelCase word of two or more parts is taken
 * for an action. Every table row starting with an HTTP status and a code in backticks
 * ({@code | 404 | `NotFound.Cluster` | ...}) names an error, and the rows of the {@code ## Errors} section
 * carry each code's CodeN in their third cell.
 */
class ApiReferenceNamesEveryActionAndErrorCodeTest {
    private static final Path ROOT = repositoryRoot();
    private static final Path REFERENCE = ROOT.resolve("docs/api.md");
    private static final List<Path> SOURCE_ROOTS = List.of(ROOT.resolve("emr-server/src/main/java"),
            ROOT.resolve("emr-api/src/main/java"));

    private static final Pattern HEADING = Pattern.compile("^(#{1,6}) +(.+?) *$");
    private static final Pattern ACTION_HEADING = Pattern.compile("^## ((?:[A-Z][a-z0-9]+){2,})$");
    private static final Pattern INDEX_ROW = Pattern.compile("^\\| *\\[([A-Za-z]+)]\\(#([a-z0-9-]+)\\) *\\|");
    private static final Pattern ERROR_ROW = Pattern.compile("^\\| *(\\d{3}) *\\| *`([A-Za-z.]+)` *\\|(?: *(\\d*) *\\|)?");
    private static final Pattern LOCAL_LINK = Pattern.compile("]\\(#([^)]+)\\)");
    private static final Pattern CITATION = Pattern.compile("docs/api\\.md#([A-Za-z0-9_-]+)");

    private final List<String> lines = read(REFERENCE);

    @Test
    void everyRegisteredActionHasASectionAndARowInTheActionsTableAndNoOtherActionIsDocumented() {
        List<String> registered;
        try (RunningServer server = RunningServer.start(c -> c.withSandbox(false, 0))) {
            registered = server.plane().actionNames();
        }
        assertThat(registered).as("actions the server registers").isNotEmpty();

        Set<String> sections = matches(lines, ACTION_HEADING);
        assertThat(sections).as("action sections (## Name) of docs/api.md")
                .containsExactlyInAnyOrderElementsOf(registered);
        Map<String, String> index = actionsTable();
        assertThat(index.keySet()).as("actions listed in the table of ## Actions")
                .containsExactlyInAnyOrderElementsOf(registered);
        index.forEach((action, anchor) -> assertThat(anchor).as("link of " + action + " in ## Actions")
                .isEqualTo(anchor(action)));
    }

    @Test
    void everyErrorCodeHasARowInTheErrorsTableWithItsHttpStatusAndCodeN() {
        Map<String, String> rows = new TreeMap<>();
        for (String line : section("Errors")) {
            Matcher m = ERROR_ROW.matcher(line);
            if (m.find()) {
                assertThat(rows.put(m.group(2), m.group(1) + " " + m.group(3)))
                        .as("second row for " + m.group(2) + " in ## Errors").isNull();
            }
        }
        Map<String, String> expected = new TreeMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            expected.put(code.code(), code.httpStatus() + " " + (code.codeN() == null ? "" : code.codeN()));
        }
        assertThat(rows).as("code -> \"HTTP CodeN\" in the table of ## Errors").isEqualTo(expected);
    }

    @Test
    void everyErrorATableNamesIsACodeOfTheServerAnsweredWithThatStatus() {
        List<String> wrong = new ArrayList<>();
        int rows = 0;
        for (String line : lines) {
            Matcher m = ERROR_ROW.matcher(line);
            if (!m.find()) {
                continue;
            }
            rows++;
            ErrorCode code = ErrorCode.fromCode(m.group(2));
            if (code == null) {
                wrong.add(m.group(2) + " is no ErrorCode: " + line);
            } else if (code.httpStatus() != Integer.parseInt(m.group(1))) {
                wrong.add(m.group(2) + " is answered with " + code.httpStatus() + ", not " + m.group(1) + ": " + line);
            }
        }
        assertThat(rows).as("error rows in docs/api.md").isGreaterThan(ErrorCode.values().length);
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyCitationOfTheReferenceInTheSourcesAndEveryLinkInItNamesOneOfItsHeadings() {
        Set<String> anchors = lines.stream().map(HEADING::matcher).filter(Matcher::matches)
                .map(m -> anchor(m.group(2))).collect(Collectors.toSet());
        Map<String, List<String>> unresolved = new TreeMap<>();
        int citations = 0;
        for (Path source : javaSources()) {
            Matcher m = CITATION.matcher(String.join("\n", read(source)));
            while (m.find()) {
                citations++;
                if (!anchors.contains(m.group(1))) {
                    unresolved.computeIfAbsent(ROOT.relativize(source).toString(), k -> new ArrayList<>())
                            .add("#" + m.group(1));
                }
            }
        }
        Matcher links = LOCAL_LINK.matcher(String.join("\n", lines));
        while (links.find()) {
            if (!anchors.contains(links.group(1))) {
                unresolved.computeIfAbsent("docs/api.md", k -> new ArrayList<>()).add("#" + links.group(1));
            }
        }
        assertThat(citations).as("comments citing docs/api.md#...").isPositive();
        assertThat(unresolved).as("anchors that no heading of docs/api.md has").isEmpty();
    }

    /** Action name -> the anchor its row links to, from the table of the ## Actions section. */
    private Map<String, String> actionsTable() {
        Map<String, String> index = new LinkedHashMap<>();
        for (String line : section("Actions")) {
            Matcher m = INDEX_ROW.matcher(line);
            if (m.find()) {
                assertThat(index.put(m.group(1), m.group(2))).as("second row for " + m.group(1)).isNull();
            }
        }
        return index;
    }

    /** The lines under {@code ## title} up to the next level-2 heading. */
    private List<String> section(String title) {
        int start = lines.indexOf("## " + title);
        assertThat(start).as("section ## " + title + " in docs/api.md").isNotNegative();
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith("## ")) {
            end++;
        }
        return lines.subList(start + 1, end);
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
    static String anchor(String heading) {
        return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{Nd} _-]", "").replace(' ', '-');
    }

    private static Set<String> matches(List<String> lines, Pattern pattern) {
        return lines.stream().map(pattern::matcher).filter(Matcher::matches).map(m -> m.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Path> javaSources() {
        List<Path> out = new ArrayList<>();
        for (Path root : SOURCE_ROOTS) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder holding docs/api.md and the root pom: the tests run in a module's folder below it. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/api.md")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docs/api.md next to a pom.xml in " + Path.of("").toAbsolutePath()
                + " or a folder above it");
    }
}
