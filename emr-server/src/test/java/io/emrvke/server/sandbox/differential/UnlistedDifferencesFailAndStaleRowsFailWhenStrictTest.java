package io.emrvke.server.sandbox.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table of docs/sandbox.md decides: unlisted differences fail, stale rows fail only when strict. */
class UnlistedDifferencesFailAndStaleRowsFailWhenStrictTest {
    @TempDir
    Path dir;

    @Test
    void aListedDifferencePassesAndAnUnlistedOneFailsNamingIt() throws IOException {
        KnownDifferences known = KnownDifferences.parse(doc("| first | `get pods -o wide` | stdout | order |"));

        known.judge("first", List.of(difference("get pods -o wide", "stdout")), true);
        assertThatThrownBy(() -> known.judge("first", List.of(difference("get pods -o wide", "stdout"),
                difference("get all", "exit")), false))
                .hasMessageContaining("UNLISTED first | get all | exit");
    }

    @Test
    void aRowThatNoLongerDiffersFailsOnlyWhenStrict() throws IOException {
        KnownDifferences known = KnownDifferences.parse(doc("| first | `get all` | exit | discovery |"));

        known.judge("first", List.of(), false);
        assertThatThrownBy(() -> known.judge("first", List.of(), true))
                .hasMessageContaining("STALE first | get all | exit");
        known.judge("second", List.of(), true); // another scenario's rows are not this one's to judge
    }

    @Test
    void aRowWithoutAReasonOrListedTwiceIsRefused() throws IOException {
        assertThatThrownBy(() -> KnownDifferences.parse(doc("| first | `get all` | exit |  |")))
                .hasMessageContaining("the last a reason");
        assertThatThrownBy(() -> KnownDifferences.parse(doc("| first | `get all` | exit | a |\n"
                + "| first | `get all` | exit | b |"))).hasMessageContaining("listed twice");
    }

    @Test
    void anEscapedBarBelongsToTheStep() throws IOException {
        KnownDifferences known = KnownDifferences.parse(doc("| second | `a \\| b` | status | why |"));

        known.judge("second", List.of(new Difference("second", "a | b", "status", "1", "2")), true);
    }

    @Test
    void theDifferenceOfAnOutcomeIsTheStepsOnlyRowAndAListsItemsHideTheirFields() {
        Observation sandbox = new Observation("s").put("exit", "1").put("stdout", "x");
        Observation real = new Observation("s").put("exit", "0").put("stdout", "y");
        assertThat(Difference.between("k", List.of(sandbox), List.of(real))).extracting(Difference::aspect)
                .containsExactly("exit");

        Observation sandboxList = new Observation("l").put("body.items", "a").put("body.items.data", "1");
        Observation realList = new Observation("l").put("body.items", "b").put("body.items.data", "2");
        assertThat(Difference.between("k", List.of(sandboxList), List.of(realList))).extracting(Difference::aspect)
                .containsExactly("body.items");
    }

    private static Difference difference(String step, String aspect) {
        return new Difference("first", step, aspect, "sandbox", "real");
    }

    private Path doc(String rows) throws IOException {
        return Files.writeString(dir.resolve("sandbox.md"), "# x\n\n" + KnownDifferences.HEADING + "\ntext\n\n"
                + "| scenario | step | aspect | reason |\n|---|---|---|---|\n" + rows + "\n\nafter\n");
    }
}
