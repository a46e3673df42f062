package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class EveryWorkloadKindHasOneAdapterAndOneObjectKindTest {
    @Test
    void everyKindHasItsAdapterAndItsRenderedObjectKind() {
        assertThat(WorkloadAdapters.all()).extracting(WorkloadAdapter::kind).containsExactly(WorkloadKind.values());
        for (WorkloadKind kind : WorkloadKind.values()) {
            assertThat(WorkloadAdapters.of(kind).kind()).isEqualTo(kind);
            assertThat(ObjectKind.of(kind).workload()).isEqualTo(kind);
            assertThat(ObjectKind.of(kind.apiVersion(), kind.kind())).isSameAs(ObjectKind.of(kind));
            assertThat(WorkloadKind.fromWire(kind.wireName())).contains(kind);
        }
    }

    @Test
    void workloadsAreAppliedAfterTheirConfigAndDeletedBeforeIt() {
        List<ObjectKind> applied = ObjectKind.all();
        int firstWorkload = applied.indexOf(applied.stream().filter(ObjectKind::isWorkload).findFirst().orElseThrow());
        assertThat(applied.subList(0, firstWorkload)).noneMatch(ObjectKind::isWorkload)
                .contains(ObjectKind.CONFIG_MAP, ObjectKind.SECRET, ObjectKind.SERVICE_ACCOUNT);
        assertThat(applied.subList(firstWorkload, applied.size())).allMatch(ObjectKind::isWorkload)
                .hasSize(WorkloadKind.values().length);
        assertThat(ObjectKind.deletionOrder().subList(0, WorkloadKind.values().length)).allMatch(ObjectKind::isWorkload);
        assertThat(ObjectKind.deletionOrder()).endsWith(ObjectKind.CONFIG_MAP);
    }

    @Test
    void onlyCustomResourcesNeedACrdAndNameTheirOperator() {
        assertThat(WorkloadKind.RAY_CLUSTER.crd()).contains("rayclusters.ray.io");
        assertThat(WorkloadKind.RAY_CLUSTER.operator()).contains("KubeRay");
        assertThat(WorkloadKind.DEPLOYMENT.crd()).isEmpty();
        assertThat(WorkloadKind.STATEFUL_SET.crd()).isEmpty();
    }
}
