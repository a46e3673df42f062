package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An operator chart renders its own ServiceAccount, Role and RoleBinding, named after the release and confined
 * to the release's namespace, and the operator watches that namespace only: two virtual clusters never share
 * them, and nothing cluster-scoped is left behind when one is deleted.
 */
class OperatorsRunAsTheirOwnNamespacedServiceAccountTest {

    private static RenderedRelease render(String chart, String release) {
        return Fixtures.renderer().render(Fixtures.spec(chart, WorkloadKind.DEPLOYMENT, release, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"kuberay-operator, --watch-namespace=emr-ns-1", "spark-operator, --namespace=emr-ns-1"})
    void theOperatorPodRunsAsTheReleasesServiceAccountAndWatchesOnlyItsNamespace(String chart, String flag) {
        RenderedRelease rendered = render(chart, chart + "-a1");

        Map<String, Object> podSpec = Fixtures.at(rendered.workload(), "spec", "template", "spec");
        assertThat(podSpec).containsEntry("serviceAccountName", chart + "-a1");
        List<Object> args = Fixtures.at(rendered.workload(), "spec", "template", "spec", "containers", "0", "args");
        assertThat(args).contains(flag);
        assertThat(rendered.find(ObjectKind.SERVICE_ACCOUNT, chart + "-a1")).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kuberay-operator", "spark-operator"})
    void theRoleBindingGrantsTheRoleToThatServiceAccountInTheReleasesNamespaceOnly(String chart) {
        RenderedRelease rendered = render(chart, chart + "-a1");

        GenericKubernetesResource binding = rendered.find(ObjectKind.ROLE_BINDING, chart + "-a1").orElseThrow();
        assertThat((Object) Fixtures.at(binding, "subjects")).isEqualTo(List.of(Map.of(
                "kind", "ServiceAccount", "name", chart + "-a1", "namespace", "emr-ns-1")));
        assertThat((Object) Fixtures.at(binding, "roleRef")).isEqualTo(Map.of(
                "apiGroup", "rbac.authorization.k8s.io", "kind", "Role", "name", chart + "-a1"));
        assertThat(rendered.objects())
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("emr-ns-1"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"kuberay-operator, ray.io, rayclusters", "spark-operator, sparkoperator.k8s.io, sparkapplications"})
    void theRoleAllowsTheOperatorsOwnCustomResourcesAndNoWildcard(String chart, String group, String resource) {
        GenericKubernetesResource role = render(chart, chart + "-a1").find(ObjectKind.ROLE, chart + "-a1")
                .orElseThrow();

        List<Map<String, List<String>>> rules = Fixtures.at(role, "rules");
        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.get("apiGroups")).containsExactly(group);
            assertThat(rule.get("resources")).contains(resource);
            assertThat(rule.get("verbs")).contains("watch", "update");
        });
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.get("verbs")).doesNotContain("*", "escalate", "bind", "impersonate");
            assertThat(rule.get("resources")).doesNotContain("*", "secrets", "nodes", "customresourcedefinitions");
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kuberay-operator", "spark-operator"})
    void twoReleasesInOneNamespaceGetTheirOwnRbacObjects(String chart) {
        List<String> first = names(render(chart, chart + "-a1"));
        List<String> second = names(render(chart, chart + "-b2"));

        assertThat(first).containsOnly(chart + "-a1");
        assertThat(second).containsOnly(chart + "-b2");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"spark-history-server", "hive-metastore", "kyuubi-server"})
    void componentsThatAreNoOperatorRenderNoRbacAndKeepTheDefaultServiceAccount(String chart) {
        RenderedRelease rendered = render(chart, chart + "-a1");

        assertThat(rendered.objects()).extracting(GenericKubernetesResource::getKind)
                .doesNotContain("ServiceAccount", "Role", "RoleBinding");
        Map<String, Object> podSpec = Fixtures.at(rendered.workload(), "spec", "template", "spec");
        assertThat(podSpec).doesNotContainKey("serviceAccountName");
    }

    private static List<String> names(RenderedRelease rendered) {
        return rendered.objects().stream()
                .filter(o -> List.of("ServiceAccount", "Role", "RoleBinding").contains(o.getKind()))
                .map(o -> o.getMetadata().getName()).toList();
    }
}
