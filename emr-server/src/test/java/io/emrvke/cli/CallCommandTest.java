package io.emrvke.cli;

import io.emrvke.api.client.SignatureCheckingServer;
import io.emrvke.api.client.SignatureCheckingServer.Received;
import io.emrvke.api.client.SignatureCheckingServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CallCommandTest {
    private static final String AK = "AKLTcliTest";
    private static final String SK = "Y2xpLXNlY3JldC1rZXk=";

    private SignatureCheckingServer server;
    private final Map<String, String> env = new HashMap<>();
    private InputStream stdin = new ByteArrayInputStream(new byte[0]);
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startServer() {
        server = SignatureCheckingServer.start(SK, r -> r.queryValue("Action").equals("GetVirtualCluster")
                ? Reply.error(404, "NotFound.Cluster", null, "ClusterId 'emr-gone' does not exist",
                        "20260101000000CCCCCCCCCCCCCCCCCCCC")
                : Reply.ok("{\"Echo\":" + new String(r.body(), StandardCharsets.UTF_8) + "}"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Runs {@code emr-vke <args>} through Main, with our environment, stdin and output capture. */
    private int emrVke(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == CallCommand.class) {
                    return type.cast(new CallCommand(env::get, stdin));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine cli = new CommandLine(new Main(), factory);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String[] withCredentials(String... args) {
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--endpoint", server.endpoint(), "--access-key", AK, "--secret-key", SK},
                0, all, args.length, 6);
        return all;
    }

    @Test
    void aSuccessfulCallPrintsTheWholeReplyAsPrettyJsonAndExitsZero() throws IOException {
        int exit = emrVke(withCredentials("call", "ListVirtualClusters", "--body", "{\"MaxResults\":5}"));

        assertThat(exit).as("stderr: %s", err).isZero();
        JsonNode printed = Json.plain().readTree(out.toString());
        assertThat(printed.path("Result").path("Echo").path("MaxResults").asInt()).isEqualTo(5);
        assertThat(printed.path("ResponseMetadata").path("RequestId").asText()).isNotEmpty();
        assertThat(out.toString()).contains("\n  \"ResponseMetadata\"");
        Received received = server.last();
        assertThat(received.signatureMatches()).isTrue();
        assertThat(received.queryValue("Action")).isEqualTo("ListVirtualClusters");
        assertThat(new String(received.body(), StandardCharsets.UTF_8)).isEqualTo("{\"MaxResults\":5}");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void withoutABodyTheCallSendsAnEmptyObject() {
        int exit = emrVke(withCredentials("call", "ListReleaseVersions"));

        assertThat(exit).isZero();
        assertThat(new String(server.last().body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void anErrorReplyPrintsCodeMessageAndRequestIdOnStderrAndExitsOne() {
        int exit = emrVke(withCredentials("call", "GetVirtualCluster", "--body", "{\"ClusterId\":\"emr-gone\"}"));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().trim()).isEqualTo(
                "NotFound.Cluster: ClusterId 'emr-gone' does not exist (RequestId 20260101000000CCCCCCCCCCCCCCCCCCCC)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void withoutCredentialsItExitsTwoNamingTheFlagsAndEnvironmentVariables() {
        int exit = emrVke("call", "ListVirtualClusters", "--endpoint", server.endpoint());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("no credentials").contains("--access-key").contains("--secret-key")
                .contains("VOLCENGINE_ACCESS_KEY").contains("VOLCENGINE_SECRET_KEY");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void withOnlyAnAccessKeyItSaysTheSecretKeyIsMissing() {
        env.put("VOLCENGINE_ACCESS_KEY", AK);

        int exit = emrVke("call", "ListVirtualClusters", "--endpoint", server.endpoint());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("no secret key").contains("--secret-key").contains("VOLCENGINE_SECRET_KEY");
    }

    @Test
    void credentialsRegionAndEndpointComeFromTheEnvironment() {
        env.put("VOLCENGINE_ACCESS_KEY", AK);
        env.put("VOLCENGINE_SECRET_KEY", SK);
        env.put("VOLCENGINE_REGION", "cn-guangzhou");
        env.put("EMR_VKE_ENDPOINT", server.endpoint());

        int exit = emrVke("call", "ListVirtualClusters");

        assertThat(exit).as("stderr: %s", err).isZero();
        assertThat(server.last().signatureMatches()).isTrue();
        assertThat(server.last().accessKey()).isEqualTo(AK);
        assertThat(server.last().region()).isEqualTo("cn-guangzhou");
    }

    @Test
    void flagsWinOverTheEnvironment() {
        env.put("VOLCENGINE_ACCESS_KEY", "AKLTfromEnv");
        env.put("VOLCENGINE_SECRET_KEY", "wrong-secret-from-env");
        env.put("VOLCENGINE_REGION", "cn-guangzhou");
        env.put("EMR_VKE_ENDPOINT", "127.0.0.1:1");

        int exit = emrVke(withCredentials("call", "ListVirtualClusters", "--region", "cn-shanghai"));

        assertThat(exit).as("stderr: %s", err).isZero();
        assertThat(server.last().accessKey()).isEqualTo(AK);
        assertThat(server.last().region()).isEqualTo("cn-shanghai");
    }

    @Test
    void theBodyCanBeReadFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("request.json");
        String json = "{\n  \"ClusterName\": \"数据-a=b\",\n  \"ReleaseVersion\": \"1.0.0\"\n}\n";
        Files.writeString(file, json, StandardCharsets.UTF_8);

        int exit = emrVke(withCredentials("call", "CreateVirtualCluster", "--body", "@" + file));

        assertThat(exit).as("stderr: %s", err).isZero();
        assertThat(server.last().body()).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        assertThat(server.last().signatureMatches()).isTrue();
    }

    @Test
    void anAtFileBodyIsNotExpandedByPicocliForAPlainMainCommandLine() {
        assertThat(new CommandLine(new Main()).isExpandAtFiles()).isFalse();
    }

    @Test
    void theBodyCanBeReadFromStdin() {
        stdin = new ByteArrayInputStream("{\"MaxResults\":7}".getBytes(StandardCharsets.UTF_8));

        int exit = emrVke(withCredentials("call", "ListVirtualClusters", "--body", "@-"));

        assertThat(exit).as("stderr: %s", err).isZero();
        assertThat(new String(server.last().body(), StandardCharsets.UTF_8)).isEqualTo("{\"MaxResults\":7}");
    }

    @Test
    void anUnreadableBodyFileExitsTwoNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("missing.json");

        int exit = emrVke(withCredentials("call", "CreateVirtualCluster", "--body", "@" + missing));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read --body file").contains(missing.toString()).contains("no such file");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonExitsTwo() {
        int exit = emrVke(withCredentials("call", "ListVirtualClusters", "--body", "{MaxResults: 5"));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--body is not valid JSON");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aBodyWithTrailingGarbageExitsTwo() {
        int exit = emrVke(withCredentials("call", "ListVirtualClusters", "--body", "{} {}"));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--body is not valid JSON");
    }

    @Test
    void aBodyThatIsJsonButNotAnObjectExitsTwo() {
        int exit = emrVke(withCredentials("call", "ListVirtualClusters", "--body", "[1,2]"));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--body must be a JSON object").contains("array");
    }

    @Test
    void anUnreachableEndpointExitsOneNamingIt() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        int exit = emrVke("call", "ListVirtualClusters", "--endpoint", "127.0.0.1:" + closedPort,
                "--access-key", AK, "--secret-key", SK);

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach EMR endpoint http://127.0.0.1:" + closedPort + "/");
    }

    @Test
    void aMalformedEndpointExitsTwo() {
        int exit = emrVke("call", "ListVirtualClusters", "--endpoint", "ftp://example.com",
                "--access-key", AK, "--secret-key", SK);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("endpoint").contains("http or https");
    }

    @Test
    void withoutAnActionItExitsTwoWithUsage() {
        int exit = emrVke(withCredentials("call"));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("<Action>");
    }

    @Test
    void theJavaSdkSigningStyleCanBeChosen() {
        int exit = emrVke(withCredentials("call", "ListVirtualClusters", "--signed-headers", "X_DATE_ONLY"));

        assertThat(exit).isZero();
        assertThat(server.last().signedHeaders()).containsExactly("x-date");
        assertThat(server.last().signatureMatches()).isTrue();
    }
}
