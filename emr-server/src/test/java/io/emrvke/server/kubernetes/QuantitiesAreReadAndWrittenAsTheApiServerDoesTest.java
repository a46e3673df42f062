package io.emrvke.server.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Quantities are read as resource.ParseQuantity reads them (amounts rounded up to nanos) and written back as
 * Quantity.String() writes them: canonical text, or the text as given when it already was canonical.
 */
class QuantitiesAreReadAndWrittenAsTheApiServerDoesTest {
    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({"1Ki,1Ki", "1Gi,1Gi", "1024Mi,1Gi", "1.5Gi,1536Mi", "1000M,1G", ".001Ki,1024m", ".000001Ki,1024u",
        ".000000001Ki,1024n", ".000000000001Ki,2n", "1.5,1500m", "1500m,1500m", "2000m,2", "0.5,500m", "100k,100k",
        "1e3,1e3", "1.2e3,1200", "+1,+1", "0,0", "0.0,0", "-0,0", "0Gi,0", "3.001n,4n", "0.0000000001,1n",
        "-1.5Gi,-1536Mi", "-1Mi,-1Mi", "512,512", "2048,2048", "100.035k,100.035k", "1.0k,1k"})
    void writesTheCanonicalText(String in, String canonical) throws Quantity.Malformed {
        assertThat(Quantity.parse(in).text()).isEqualTo(canonical);
    }

    @Test
    void readsTheAmountsTheyStandFor() throws Quantity.Malformed {
        assertThat(Quantity.parse("1Ki").amount()).isEqualByComparingTo("1024");
        assertThat(Quantity.parse("250m").amount()).isEqualByComparingTo("0.25");
        assertThat(Quantity.parse("1.5G").amount()).isEqualByComparingTo("1500000000");
        assertThat(Quantity.parse("1e3").amount()).isEqualByComparingTo("1000");
        assertThat(Quantity.parse("-1").amount()).isEqualByComparingTo("-1");
        assertThat(Quantity.parse("0.0000000005").amount()).isEqualByComparingTo(new BigDecimal("0.000000001"));
        assertThat(Quantity.parse("1.5").milliValue()).isEqualTo(1500);
    }

    @Test
    void refusesWhatTheApiServerCannotDecode() {
        assertThatThrownBy(() -> Quantity.parse("2Gx")).hasMessage(Quantity.FORMAT_WRONG);
        assertThatThrownBy(() -> Quantity.parse("")).hasMessage(Quantity.FORMAT_WRONG);
        assertThatThrownBy(() -> Quantity.parse("1 Gi")).hasMessage(Quantity.FORMAT_WRONG);
        assertThatThrownBy(() -> Quantity.parse("1ki")).hasMessage(Quantity.SUFFIX_WRONG);
        assertThatThrownBy(() -> Quantity.parse("1e")).hasMessage(Quantity.SUFFIX_WRONG);
        assertThat(Quantity.ofJson(" 2Gi ")).get().extracting(Quantity::text).isEqualTo("2Gi");
    }
}
