package io.emrvke.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a refused request shows of a render failure: no secret value, not even part of one cut by the clip or
 * left over from a shorter secret inside a longer one; helm's first line only, from the innermost template on.
 */
class RenderFailureMessagesNeverShowASecretTest {

    @Test
    void aSecretThatTheClipWouldCutIsMaskedWhole() {
        String secret = "pa55word-that-is-long-enough-to-straddle-the-clip";
        String failure = "x".repeat(ChartCheck.MAX_DETAIL - 10) + secret;

        String shown = ChartCheck.shown(failure, List.of(secret));

        assertThat(shown).doesNotContain("pa55").endsWith("******").hasSizeLessThanOrEqualTo(ChartCheck.MAX_DETAIL);
    }

    @Test
    void aSecretHoldingAnotherIsMaskedWhole() {
        String shown = ChartCheck.shown("range can't iterate over abc-and-more", List.of("abc-and-more", "abc"));

        assertThat(shown).isEqualTo("range can't iterate over ******");
    }

    @Test
    void onlyTheFirstLineFromTheInnermostTemplateIsShown() {
        String failure = "template: ray/templates/ray.yaml:21:10: executing \"ray/templates/ray.yaml\" at"
                + " <include \"emr-common.podTemplate\" (dict \"root\" .)>: error calling include: template:"
                + " ray/charts/emr-common/templates/_pod.tpl:39:18: executing \"emr-common.podTemplate\" at <.>:"
                + " range can't iterate over oops\n\nUse --debug flag to render out invalid YAML";

        assertThat(ChartCheck.shown(failure, List.of()))
                .isEqualTo("template: ray/charts/emr-common/templates/_pod.tpl:39:18: range can't iterate over oops");
    }
}
