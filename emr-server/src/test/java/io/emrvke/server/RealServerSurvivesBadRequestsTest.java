package io.emrvke.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.account.Credential;
import io.emrvke.server.account.Role;
import io.emrvke.server.gateway.BadRequestGenerator;
import io.emrvke.server.gateway.ClientLimits;
import io.emrvke.server.gateway.GatewayConfig;
import io.emrvke.server.gateway.RawHttp;
import io.emrvke.server.gateway.TestSigner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gateway's bad-request generator, aimed at the real server with its real actions: no
 * request, however malformed or mistyped, gets a 5xx, and the server keeps answering.
 */
class RealServerSurvivesBadRequestsTest {
    private static final List<String> ACTIONS = List.of("ListVirtualClusters", "GetVirtualCluster", "GetOperation",
            "ListOperations", "ListReleaseVersions", "CancelOperation", "CreateVirtualCluster", "DeleteVirtualCluster",
            "DeployApplications", "UndeployApplications", "ListApplications", "ListComponents",
            "ListComponentInstances", "CreateComponentInstance", "DeleteComponentInstance",
            "ListApplicationConfigs", "ListApplicationConfigHistories");
    private static final List<String> FIELDS = List.of("ClusterId", "ClusterIds", "ClusterName", "ClusterStates",
            "ProjectName", "MaxResults", "NextToken", "OperationId", "OperationStates", "OperationNames",
            "CreateTimeAfter", "CreateTimeBefore", "ReleaseVersions", "ReleaseVersion", "VkeCluster", "Applications",
            "ApplicationNames", "ApplicationName", "ComponentName", "ComponentNames", "ReleaseName", "ReleaseNames",
            "InstanceStates", "ApplicationConfigs", "ConfigFileName", "ClientToken");

    @Test
    void twoThousandBadRequestsGetClientErrorsAndTheServerKeepsAnswering() {
        try (RunningServer server = RunningServer.start(c -> c.withSandbox(false, 0).withRateLimit(0, 1)
                .withClientLimits(ClientLimits.DEFAULTS.withAuthFailureLimit(0, 0)))) {
            Credential admin = server.credential(9001, "fuzz", Role.ADMIN);
            TestSigner signer = new TestSigner(admin.accessKeyId(), admin.secretKey(), "cn-beijing", server.endpoint());
            List<BadRequestGenerator.BadRequest> requests = new BadRequestGenerator(signer,
                    GatewayConfig.DEFAULT_MAX_BODY_BYTES, 20261128L).generate(ACTIONS, FIELDS, 2_200);

            List<String> problems = new ArrayList<>();
            int clientErrors = 0;
            for (BadRequestGenerator.BadRequest bad : requests) {
                RawHttp.Response r = RawHttp.send("127.0.0.1", server.port(), bad.request());
                if (r.status() >= 500) {
                    problems.add(r.status() + " for " + bad + ": " + r.errorCode() + " " + r.errorMessage());
                }
                clientErrors += r.status() >= 400 && r.status() < 500 ? 1 : 0;
            }

            assertThat(problems).as("server errors").isEmpty();
            assertThat(requests).hasSizeGreaterThanOrEqualTo(2_000);
            assertThat(clientErrors).isGreaterThan(requests.size() * 8 / 10);
            RawHttp.Response fine = RawHttp.send("127.0.0.1", server.port(), signer.post("ListReleaseVersions", "{}"));
            assertThat(fine.status()).isEqualTo(200);
        }
    }
}
