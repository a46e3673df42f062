package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each field rule accepts what a Kubernetes API server accepts and refuses what it refuses (apimachinery's
 * pkg/util/validation and resource.ParseQuantity), with a problem that quotes the value and names the rule.
 */
class KubernetesFieldRulesAcceptWhatTheApiServerAcceptsTest {
    private static final String A63 = "a".repeat(63);
    private static final String A64 = "a".repeat(64);

    static Stream<Arguments> valid() {
        return Stream.of(
                rule("quantity", KubernetesRules::quantity, "2Gi", "512Mi", "1.5", "250m", "1", "0", "1e3", "1E3",
                        ".5", "5.", "+1", "100k", "1Ei", "3n", "2M"),
                rule("label value", KubernetesRules::labelValue, "", "a", "Ray_2.39-x", A63, "0"),
                rule("qualified name", KubernetesRules::qualifiedName, "app", "app.kubernetes.io/name",
                        "emr-vke.io/cluster-id", "A_b.c-D", A63, "example.com/" + A63),
                rule("DNS label", KubernetesRules::dnsLabel, "a", "ray-head", "0abc", A63),
                rule("DNS subdomain", KubernetesRules::dnsSubdomain, "raycluster-ab12-config", "a.b-c.d",
                        (A63 + ".").repeat(3) + "a".repeat(61)),
                rule("DNS-1035 label", KubernetesRules::dns1035Label, "svc", "ray-head-1", A63),
                rule("env var name", KubernetesRules::envVarName, "JAVA_OPTS", "event_log_dir", "_x", "a.b-c",
                        "-x"),
                rule("data key", KubernetesRules::dataKey, "spark-defaults.conf", "RAY_REDIS_PASSWORD", ".hidden",
                        "a".repeat(253)),
                rule("port name", KubernetesRules::portName, "gcs", "http-metrics", "a1", "abcdefghijklmno"),
                rule("container resource", KubernetesRules::containerResourceName, "cpu", "memory",
                        "ephemeral-storage", "hugepages-2Mi", "nvidia.com/gpu"));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                rule("quantity", KubernetesRules::quantity, "2Gx", "two", "", "1 Gi", "Gi", "1.2.3", "1e", "1ki",
                        "1KI", "--1", "1e1.5", " 1"),
                rule("label value", KubernetesRules::labelValue, A64, "-a", "a-", "a b", "a/b", "ü"),
                rule("qualified name", KubernetesRules::qualifiedName, "", "/a", "a/", "Example.com/a", "a/b/c",
                        A64, "-a", "a b"),
                rule("DNS label", KubernetesRules::dnsLabel, "", "Ray", "a_b", "a.b", "-a", "a-", A64),
                rule("DNS subdomain", KubernetesRules::dnsSubdomain, "", "A", "a..b", ".a", "a_b",
                        "a".repeat(254)),
                rule("DNS-1035 label", KubernetesRules::dns1035Label, "0abc", "Abc", A64),
                rule("env var name", KubernetesRules::envVarName, "", "1ABC", "A B", "A=B", "A$"),
                rule("data key", KubernetesRules::dataKey, "", ".", "..", "..a", "a/b", "a b", "a".repeat(254)),
                rule("port name", KubernetesRules::portName, "", "123", "HTTP", "a--b", "-a", "a-", "a_b",
                        "abcdefghijklmnop"),
                rule("container resource", KubernetesRules::containerResourceName, "gpu", "CPU", "hugepages-x",
                        "kubernetes.io/foo", "a/b/c"));
    }

    @ParameterizedTest(name = "{0} accepts {2}")
    @MethodSource("valid")
    void acceptsWhatTheApiServerAccepts(String rule, Function<String, Optional<String>> check, String[] values) {
        for (String value : values) {
            assertThat(check.apply(value)).as(rule + " of '" + value + "'").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} refuses {2}")
    @MethodSource("invalid")
    void refusesWhatTheApiServerRefusesQuotingTheValue(String rule, Function<String, Optional<String>> check,
                                                       String[] values) {
        for (String value : values) {
            assertThat(check.apply(value)).as(rule + " of '" + value + "'")
                    .hasValueSatisfying(problem -> assertThat(problem).startsWith(KubernetesRules.quoted(value)));
        }
    }

    @Test
    void quantitiesAreReadAsTheAmountsTheyStandFor() {
        assertThat(KubernetesRules.quantityValue("1Ki")).contains(new BigDecimal(1024));
        assertThat(KubernetesRules.quantityValue("2Gi").orElseThrow()).isEqualByComparingTo("2147483648");
        assertThat(KubernetesRules.quantityValue("250m").orElseThrow()).isEqualByComparingTo("0.25");
        assertThat(KubernetesRules.quantityValue("1.5G").orElseThrow()).isEqualByComparingTo("1500000000");
        assertThat(KubernetesRules.quantityValue("1e3").orElseThrow()).isEqualByComparingTo("1000");
        assertThat(KubernetesRules.quantityValue("-1").orElseThrow()).isEqualByComparingTo("-1");
        assertThat(KubernetesRules.quantityValue("2Gx")).isEmpty();
    }

    @Test
    void countsAndPortsMustBeWholeNumbersInRange() {
        assertThat(KubernetesRules.count(0)).isEmpty();
        assertThat(KubernetesRules.count(2_147_483_647L)).isEmpty();
        assertThat(KubernetesRules.count(-1)).hasValueSatisfying(p -> assertThat(p).startsWith("-1 is not a count"));
        assertThat(KubernetesRules.count(2_147_483_648L)).isPresent();
        assertThat(KubernetesRules.count(1.5)).isPresent();
        assertThat(KubernetesRules.count("3")).hasValueSatisfying(p -> assertThat(p).startsWith("\"3\""));
        assertThat(KubernetesRules.count(null)).isPresent();
        assertThat(KubernetesRules.portNumber(1)).isEmpty();
        assertThat(KubernetesRules.portNumber(65_535)).isEmpty();
        assertThat(KubernetesRules.portNumber(0)).isPresent();
        assertThat(KubernetesRules.portNumber(65_536)).hasValueSatisfying(p -> assertThat(p)
                .isEqualTo("65536 is not a port number: a whole number from 1 to 65535"));
    }

    @Test
    void problemsNameTheLimitAndClipLongValues() {
        assertThat(KubernetesRules.labelValue("a".repeat(80))).contains("\"" + "a".repeat(61) + "...\" is 80"
                + " characters long; a label value has at most 63");
        assertThat(KubernetesRules.quantity("2Gx")).contains("\"2Gx\" is not a Kubernetes quantity (a number with"
                + " an optional suffix, e.g. 512Mi, 2Gi, 1.5, 250m)");
        assertThat(KubernetesRules.quoted("a\nb")).isEqualTo("\"a?b\"");
    }

    private static Arguments rule(String name, Function<String, Optional<String>> check, String... values) {
        return Arguments.of(name, check, values);
    }
}
