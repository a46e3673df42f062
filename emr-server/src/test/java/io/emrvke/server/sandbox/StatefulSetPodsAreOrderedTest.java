package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatefulSetPodsAreOrderedTest {
    @Test
    void podsAreCreatedInOrdinalOrderEachAfterThePreviousIsReadyAndRollOnTemplateChange() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            try (Watch ignored = client.pods().inNamespace("default").watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    if (action == Action.ADDED) {
                        events.add("added " + pod.getMetadata().getName());
                    } else if (action == Action.MODIFIED && ready(pod)) {
                        events.add("ready " + pod.getMetadata().getName());
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            })) {
                // a pod of its own first, so the watch is known to deliver before the StatefulSet exists
                client.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                        .withNewMetadata().withName("marker").endMetadata()
                        .withSpec(template("marker", List.of()).getSpec()).build()).create();
                eventually(Duration.ofSeconds(20), "the watch to deliver", () -> events.contains("added marker"));
                StatefulSet sts = new StatefulSetBuilder().withNewMetadata().withName("db").endMetadata()
                        .withNewSpec().withReplicas(3).withServiceName("db")
                        .withNewSelector().withMatchLabels(Map.of("app", "db")).endSelector()
                        .withTemplate(template("db", List.of())).endSpec().build();
                var statefulSets = client.apps().statefulSets().inNamespace("default");
                statefulSets.resource(sts).create();
                eventually(Duration.ofSeconds(15), "3 ready", () -> {
                    StatefulSet s = statefulSets.withName("db").get();
                    return s.getStatus() != null && Integer.valueOf(3).equals(s.getStatus().getReadyReplicas());
                });
                List<String> seen = List.copyOf(events);
                assertThat(seen.indexOf("added db-0")).isGreaterThanOrEqualTo(0);
                assertThat(seen.indexOf("ready db-0")).isLessThan(seen.indexOf("added db-1"));
                assertThat(seen.indexOf("ready db-1")).isLessThan(seen.indexOf("added db-2"));
                assertThat(podsOf(client, "default", "db")).extracting(p -> p.getMetadata().getName())
                        .containsExactlyInAnyOrder("db-0", "db-1", "db-2");

                Set<String> before = RolloutRestartReplacesEveryPodTest.uids(podsOf(client, "default", "db"));
                statefulSets.withName("db").patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"restart\":\"1\"}}}}}");
                eventually(Duration.ofSeconds(20), "rolled to the new revision", () -> {
                    StatefulSet s = statefulSets.withName("db").get();
                    List<Pod> pods = podsOf(client, "default", "db");
                    return s.getStatus().getObservedGeneration() == 2L
                            && Integer.valueOf(3).equals(s.getStatus().getUpdatedReplicas())
                            && Integer.valueOf(3).equals(s.getStatus().getReadyReplicas())
                            && s.getStatus().getUpdateRevision().equals(s.getStatus().getCurrentRevision())
                            && pods.size() == 3 && pods.stream().noneMatch(p -> before.contains(p.getMetadata().getUid()));
                });
                StatefulSet s = statefulSets.withName("db").get();
                assertThat(podsOf(client, "default", "db")).allSatisfy(p -> assertThat(
                        p.getMetadata().getLabels().get("controller-revision-hash"))
                        .isEqualTo(s.getStatus().getUpdateRevision()));
            }
        }
    }
}
