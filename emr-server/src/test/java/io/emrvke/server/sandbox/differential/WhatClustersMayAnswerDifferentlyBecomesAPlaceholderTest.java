package io.emrvke.server.sandbox.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What may differ between two clusters becomes a placeholder; what may not stays as it is. */
class WhatClustersMayAnswerDifferentlyBecomesAPlaceholderTest {
    private final Normaliser normaliser = new Normaliser(List.of("web"), Map.of("sbxdiff-abc", "<ns>"));

    @Test
    void generatedNamesTimesIpsAndAgesBecomePlaceholdersButQuantitiesStay() {
        String table = """
                NAME                    READY   STATUS    AGE   IP           NODE
                web-5d8f7c9b6d-x2x7q    1/1     Running   12s   10.244.1.7   sandbox-node-1
                """;
        assertThat(normaliser.text(table)).isEqualTo("NAME   READY   STATUS   AGE   IP   NODE\n"
                + "web-<hash>-<random>   1/1   Running   <age>   <ip>   sandbox-node-1");
        assertThat(normaliser.text("  cpu  100m (2%)  0 (0%)")).isEqualTo("cpu   100m (2%)   0 (0%)");
        assertThat(normaliser.values("at 2026-12-04T19:31:32Z in sbxdiff-abc from https://127.0.0.1:39575"))
                .isEqualTo("at <time> in <ns> from <server>");
    }

    @Test
    void rowsWhoseNamesDifferOnlyInAGeneratedSuffixCompareInOneOrder() {
        String oneCluster = """
                NAME                    DESIRED   CURRENT   READY
                replicaset.apps/web-5d8f7c9b6d   0   0   0
                replicaset.apps/web-7c4b9f8d5e   3   3   3
                replicaset.apps/zeta   1   1   1
                """;
        String other = """
                NAME                    DESIRED   CURRENT   READY
                replicaset.apps/web-6a2c8d7f4b   3   3   3
                replicaset.apps/web-8e1f2a3b4c   0   0   0
                replicaset.apps/zeta   1   1   1
                """;
        assertThat(normaliser.text(oneCluster)).isEqualTo(normaliser.text(other));
        // rows with names of their own keep kubectl's order, which is by name on both clusters
        assertThat(normaliser.text("b   1\na   2")).isEqualTo("b   1\na   2");
    }

    @Test
    void generatedFieldsGoAndKeysAreSortedWhileSpecValuesStay() throws Exception {
        var object = new ObjectMapper().readTree("""
                {"metadata":{"name":"web-5d8f7c9b6d-x2x7q","uid":"1b4e28ba-2fa1-11d2-883f-0016d3cca427",
                 "resourceVersion":"42","labels":{"pod-template-hash":"5d8f7c9b6d","app":"web"}},
                 "spec":{"replicas":-1,"nodeName":"sandbox-node-2"}}""");
        assertThat(normaliser.json(object).toString()).isEqualTo("{\"metadata\":{\"labels\":{\"app\":\"web\","
                + "\"pod-template-hash\":\"<hash>\"},\"name\":\"web-<hash>-<random>\"},"
                + "\"spec\":{\"nodeName\":\"sandbox-node-2\",\"replicas\":-1}}");
    }
}
