package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.api.client.EmrApiException;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import org.assertj.core.api.SoftAssertions;

class BadLifecycleInputTest {
    private static final String VKE = "\"VkeCluster\":{\"VkeClusterId\":\"sandbox\"}";
    private static final String RELEASE = "\"ReleaseVersion\":\"EMR-VKE-1.8.0\"";

    @StoreTest
    void everyBadFieldGetsItsDocumentedCodeAndAMessageNamingIt(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            SoftAssertions soft = new SoftAssertions();
            Case c = (action, body, code, field) -> {
                EmrApiException e = lp.error(action, body);
                soft.assertThat(e.code()).as(action + " " + body).isEqualTo(code);
                soft.assertThat(e.apiMessage()).as(action + " " + body).contains(field);
                soft.assertThat(e.httpStatus()).as(action + " " + body).isLessThan(500);
            };
            String create = "CreateVirtualCluster";
            c.check(create, "{" + RELEASE + "," + VKE + "}", "MissingParameter", "ClusterName");
            c.check(create, "{\"ClusterName\":\"\"," + RELEASE + "," + VKE + "}", "InvalidParameter", "ClusterName");
            c.check(create, "{\"ClusterName\":\"" + "x".repeat(129) + "\"," + RELEASE + "," + VKE + "}",
                    "InvalidParameter", "ClusterName");
            c.check(create, "{\"ClusterName\":\"bad name!\"," + RELEASE + "," + VKE + "}", "InvalidParameter",
                    "ClusterName");
            c.check(create, "{\"ClusterName\":7," + RELEASE + "," + VKE + "}", "InvalidParameter", "ClusterName");
            c.check(create, "{\"ClusterName\":\"a\"," + VKE + "}", "MissingParameter", "ReleaseVersion");
            c.check(create, "{\"ClusterName\":\"a\",\"ReleaseVersion\":\"EMR-VKE-0.1\"," + VKE + "}",
                    "NotFound.ReleaseVersion", "ReleaseVersion");
            c.check(create, "{\"ClusterName\":\"a\"," + RELEASE + "}", "MissingParameter", "VkeCluster");
            c.check(create, "{\"ClusterName\":\"a\"," + RELEASE + ",\"VkeCluster\":{}}", "MissingParameter",
                    "VkeCluster.VkeClusterId");
            c.check(create, "{\"ClusterName\":\"a\"," + RELEASE + ",\"VkeCluster\":{\"VkeClusterId\":\"prod\"}}",
                    "NotFound.VkeCluster", "VkeCluster.VkeClusterId");
            c.check(create, "{\"ClusterName\":\"a\"," + RELEASE + ",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\","
                    + "\"VkeNodePoolIds\":[\"bad pool\"]}}", "InvalidParameter", "VkeCluster.VkeNodePoolIds.1");
            String base = "{\"ClusterName\":\"a\"," + RELEASE + "," + VKE + ",\"Applications\":";
            c.check(create, base + "[{}]}", "MissingParameter", "Applications.1.ApplicationName");
            c.check(create, base + "[{\"ApplicationName\":\"Flink\"}]}", "InvalidParameter",
                    "Applications.1.ApplicationName");
            c.check(create, base + "[{\"ApplicationName\":\"Hive\"},{\"ApplicationName\":\"hive\"}]}",
                    "InvalidParameter", "Applications.2.ApplicationName");
            c.check(create, base + "[{\"ApplicationName\":\"Hive\",\"ApplicationConfigs\":[{\"ConfigFileName\":"
                    + "\"zoo.cfg\",\"ConfigItemKey\":\"a\",\"ConfigItemValue\":\"b\"}]}]}", "InvalidParameter",
                    "Applications.1.ApplicationConfigs.1.ConfigFileName");
            c.check(create, base + "[{\"ApplicationName\":\"Hive\",\"ApplicationConfigs\":[{\"ConfigFileName\":"
                    + "\"hive-site.xml\",\"ConfigItemKey\":\"9bad key\",\"ConfigItemValue\":\"b\"}]}]}",
                    "InvalidParameter", "Applications.1.ApplicationConfigs.1.ConfigItemKey");
            c.check(create, base + "[{\"ApplicationName\":\"Hive\",\"ApplicationConfigs\":[{\"ConfigFileName\":"
                    + "\"hive-site.xml\",\"ConfigItemKey\":\"k\"}]}]}", "MissingParameter",
                    "Applications.1.ApplicationConfigs.1.ConfigItemValue");
            c.check(create, base + "[{\"ApplicationName\":\"Kyuubi\"}]}", "InvalidParameter", "Spark");
            c.check(create, base + "\"Hive\"}", "InvalidParameter", "Applications");
            c.check(create, "{\"ClusterName\":\"a\"," + RELEASE + "," + VKE + ",\"ProjectName\":\"\"}",
                    "InvalidParameter", "ProjectName");
            c.check(create, "{\"ClusterName\":\"a\"," + RELEASE + "," + VKE + ",\"ClientToken\":\"\"}",
                    "InvalidParameter", "ClientToken");

            c.check("DeleteVirtualCluster", "{}", "MissingParameter", "ClusterId");
            c.check("DeleteVirtualCluster", "{\"ClusterId\":\"emr-nope\"}", "NotFound.Cluster", "emr-nope");
            c.check("ListApplications", "{}", "MissingParameter", "ClusterId");
            c.check("ListApplications", "{\"ClusterId\":\"emr-nope\"}", "NotFound.Cluster", "emr-nope");
            c.check("DeployApplications", "{\"Applications\":[]}", "MissingParameter", "ClusterId");
            c.check("UndeployApplications", "{\"ApplicationNames\":[\"Hive\"]}", "MissingParameter", "ClusterId");

            // a cluster still INIT refuses deploys and deletes, naming its state
            // its Ray head asks for more CPU than any sandbox node has: it stays Pending, so the cluster stays INIT
            String initializing = lp.call(create, LifecyclePlane.createBody("young", "[" + LifecyclePlane.appWithConfig(
                    "Ray", "ray-cluster-values.yaml", "head_cpu", "64") + "]"))
                    .path("ClusterId").asText();
            EmrApiException notYet = lp.error("DeployApplications", "{\"ClusterId\":\"" + initializing
                    + "\",\"Applications\":" + LifecyclePlane.apps("Spark") + "}");
            soft.assertThat(notYet.code()).isIn("OperationDenied.ClusterState", "OperationDenied.ConflictingOperation");

            String running = lp.runningCluster("ready", "[]");
            String id = "\"ClusterId\":\"" + running + "\"";
            c.check("DeployApplications", "{" + id + "}", "MissingParameter", "Applications");
            c.check("DeployApplications", "{" + id + ",\"Applications\":[]}", "InvalidParameter", "Applications");
            c.check("DeployApplications", "{" + id + ",\"Applications\":[{\"ApplicationName\":\"Nope\"}]}",
                    "InvalidParameter", "Applications.1.ApplicationName");
            c.check("DeployApplications", "{" + id + ",\"Applications\":[{\"ApplicationName\":\"Ray\","
                    + "\"ApplicationConfigs\":[{\"ConfigFileName\":\"nope.conf\",\"ConfigItemKey\":\"a\","
                    + "\"ConfigItemValue\":\"b\"}]}]}", "InvalidParameter",
                    "Applications.1.ApplicationConfigs.1.ConfigFileName");
            c.check("UndeployApplications", "{" + id + "}", "MissingParameter", "ApplicationNames");
            c.check("UndeployApplications", "{" + id + ",\"ApplicationNames\":[\"Flink\"]}", "InvalidParameter",
                    "ApplicationNames.1");
            c.check("ListApplications", "{" + id + ",\"MaxResults\":0}", "InvalidParameter", "MaxResults");
            soft.assertAll();
            assertThat(lp.call("ListVirtualClusters", "{}").path("TotalCount").asLong()).isEqualTo(2);
        }
    }

    @FunctionalInterface
    private interface Case {
        void check(String action, String body, String code, String fieldNamed);
    }
}
