package io.emrvke.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrClient;
import io.emrvke.cli.Main;
import io.emrvke.server.operation.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code emr-vke serve} on a data dir an older version left world-readable, used the way an
 * operator would: a credential created with the {@code credentials} command while it runs, a cluster
 * created with a secret config item, a restart carrying another secret. Then, as another local user
 * would look at it: the process listens on no TCP port but the API and sandbox ports it announced,
 * on loopback; every folder of the data dir is 0700 and every file 0600; and no store file holds a
 * secret key or a secret config value, in clear, base64, hex or UTF-16.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerOpensNoStorePortAndKeepsItsDataPrivateTest {
    private static final String SECRET_CONFIG = "Hive-Metastore-Db-Passw0rd-7f3a9c";
    private static final String SECRET_RESTART = "Restart-Carried-Secret-55b1e0d2";
    private static final Pattern SANDBOX = Pattern.compile("sandbox:\\s+https://[^:/\\s]+:(\\d+)");
    private static final String LISTEN = "0A";

    private Path dataDir;
    private ServerProcess server;
    private String cliSecretKey;

    @BeforeAll
    void startAServerOnAWideOpenDataDirAndUseIt(@TempDir Path tmp) throws Exception {
        dataDir = tmp.resolve("data");
        leaveWideOpen(dataDir);
        server = ServerProcess.start("private", tmp.resolve("logs"), List.of("--data-dir", dataDir.toString(),
                "--sandbox-pod-ready-ms", "150", "--rate-limit", "0"));
        cliSecretKey = createCredentialWithTheCommand();
        EmrClient client = server.client();
        String clusterId = awaitSuccess(client, client.call("CreateVirtualCluster", "{\"ClusterName\":\"private\","
                + "\"ReleaseVersion\":\"EMR-VKE-1.8.0\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\"},\"Applications\":"
                + "[{\"ApplicationName\":\"Hive\",\"ApplicationConfigs\":[{\"ConfigFileName\":\"hive-site.xml\","
                + "\"ConfigItemKey\":\"javax.jdo.option.ConnectionPassword\",\"ConfigItemValue\":\"" + SECRET_CONFIG
                + "\"}]}]}").path("Result"));
        awaitSuccess(client, client.call("RunApplicationAction", Map.of("ClusterId", clusterId, "ActionName",
                "restart", "ActionScope", "COMPONENT", "Components", List.of(Map.of("ApplicationName", "Hive",
                        "ComponentNames", List.of("HiveMetastore"))), "ActionParams", List.of(Map.of("Key",
                        "applicationConfigs", "Value", "[{\"configFileName\":\"__envs__\",\"configItemKey\":"
                                + "\"DB_PASSWORD\",\"configItemValue\":\"" + SECRET_RESTART + "\"}]")))).path("Result"));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void listensOnlyOnTheLoopbackApiAndSandboxPortsItAnnounced() throws IOException {
        Matcher sandbox = SANDBOX.matcher(server.logText());
        assertThat(sandbox.find()).as("the banner names the sandbox's port").isTrue();

        List<Listener> listeners = tcpListeners(server.pid());

        assertThat(listeners).extracting(Listener::port).containsExactlyInAnyOrder(server.port(),
                Integer.parseInt(sandbox.group(1)));
        assertThat(listeners).allSatisfy(l -> assertThat(l.address().isLoopbackAddress())
                .as(l + " is on loopback").isTrue());
    }

    @Test
    void everyFolderOfTheDataDirIs0700AndEveryFile0600IncludingThoseLeftWideBefore() throws IOException {
        Map<Path, String> modes = new LinkedHashMap<>();
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.toList()) {
                modes.put(dataDir.relativize(p), PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
            }
        }

        assertThat(modes.keySet()).contains(Path.of("store", "emr-vke.mv.db"), Path.of(KeySource.FILE_NAME),
                Path.of("sandbox-state.json"), Path.of("sandbox.kubeconfig"), Path.of("admin.sock"),
                Path.of("left-wide.txt"), Path.of("old", "notes.txt"));
        Map<Path, String> notOwnerOnly = new LinkedHashMap<>(modes);
        notOwnerOnly.entrySet().removeIf(e -> e.getValue().equals(
                Files.isDirectory(dataDir.resolve(e.getKey()), LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------"));
        assertThat(notOwnerOnly).as("paths of the data dir that are not owner-only").isEmpty();
        assertThat(server.logText()).as("the start says what it tightened")
                .contains("owner-only").contains("left-wide.txt (was rw-r--r--)").contains("old (was rwxr-xr-x)");
    }

    @Test
    void noStoreFileHoldsASecretKeyOrSecretConfigValueInAnyEncoding() throws IOException {
        List<Path> storeFiles;
        try (Stream<Path> files = Files.walk(dataDir.resolve("store"))) {
            storeFiles = files.filter(Files::isRegularFile).toList();
        }
        assertThat(storeFiles).isNotEmpty();
        byte[] all = concatenated(storeFiles);
        assertThat(indexOf(all, "javax.jdo.option.ConnectionPassword".getBytes(StandardCharsets.UTF_8)))
                .as("the grep finds what is stored in clear: the secret item's key").isNotNegative();

        Map<String, String> secrets = Map.of("the root secret key", ServerProcess.ROOT_SECRET_KEY,
                "the secret key made by `credentials create`", cliSecretKey,
                "the cluster's secret config value", SECRET_CONFIG,
                "the restart's secret config value", SECRET_RESTART);
        secrets.forEach((what, secret) -> encodings(secret).forEach((encoding, bytes) ->
                assertThat(indexOf(all, bytes)).as(what + " " + encoding + " in " + storeFiles).isNegative()));
    }

    @Test
    void theCredentialsCommandWorkedWhileTheServerRan() {
        assertThat(cliSecretKey).hasSize(40);
        assertThat(server.logText()).contains("credentials: created");
    }

    // --- setup ------------------------------------------------------------------------------

    /** A data dir as an older emr-vke or a loose umask left it: 0755 folders, 0644 files. */
    private static void leaveWideOpen(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("old"));
        Files.writeString(dir.resolve("left-wide.txt"), "x");
        Files.writeString(dir.resolve("old").resolve("notes.txt"), "x");
        for (Path p : List.of(dir, dir.resolve("old"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (Path p : List.of(dir.resolve("left-wide.txt"), dir.resolve("old").resolve("notes.txt"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Runs {@code emr-vke credentials create} in its own JVM against the running server; its secret key. */
    private String createCredentialWithTheCommand() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "credentials", "create",
                "--data-dir", dataDir.toString(), "--user-name", "dora").start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isZero();
        return out.lines().filter(l -> l.startsWith("VOLCENGINE_SECRET_KEY=")).findFirst().orElseThrow()
                .substring("VOLCENGINE_SECRET_KEY=".length());
    }

    private static String awaitSuccess(EmrClient client, JsonNode accepted) {
        String operationId = accepted.path("OperationId").asText();
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonNode op = client.call("GetOperation", Map.of("OperationId", operationId)).path("Result");
            String state = op.path("OperationState").asText();
            if (state.equals("SUCCESS")) {
                return accepted.path("ClusterId").asText();
            }
            assertThat(Set.of("FAILED", "CANCEL")).as(op.toString()).doesNotContain(state);
            assertThat(System.currentTimeMillis()).as("operation " + operationId + " ended in time: " + op)
                    .isLessThan(deadline);
            ServerProcess.sleep(200);
        }
    }

    // --- listening sockets ------------------------------------------------------------------

    record Listener(InetAddress address, int port) {
    }

    /** The process's listening TCP sockets: /proc/net/tcp{,6} rows whose inode is one of its fds. */
    private static List<Listener> tcpListeners(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        List<Listener> out = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            List<String> rows = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table));
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.trim().split("\\s+");
                if (f[3].equals(LISTEN) && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    out.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return out;
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // an fd closed while listing
                }
            }
        }
        return inodes;
    }

    /** The kernel prints addresses as 32-bit words in host (little-endian) order. */
    private static InetAddress address(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] bytes = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                bytes[word + i] = raw[word + 3 - i];
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- secrets in raw bytes ---------------------------------------------------------------

    /** The secret as it could sit in a file: UTF-8, UTF-16 both ways, hex both cases, base64 at each alignment. */
    static Map<String, byte[]> encodings(String secret) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
        out.put("in clear", utf8);
        out.put("as UTF-16LE", secret.getBytes(StandardCharsets.UTF_16LE));
        out.put("as UTF-16BE", secret.getBytes(StandardCharsets.UTF_16BE));
        String hex = HexFormat.of().formatHex(utf8);
        out.put("as hex", hex.getBytes(StandardCharsets.US_ASCII));
        out.put("as HEX", hex.toUpperCase().getBytes(StandardCharsets.US_ASCII));
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + utf8.length];
            System.arraycopy(utf8, 0, shifted, shift, utf8.length);
            String b64 = Base64.getEncoder().encodeToString(shifted);
            // the characters that depend on the secret's bytes only: not the first group when shifted, nor the last
            String core = b64.substring(shift == 0 ? 0 : 4, b64.length() - 4);
            out.put("as base64 (offset " + shift + ")", core.getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }

    static byte[] concatenated(List<Path> files) {
        List<byte[]> contents = files.stream().map(ServerOpensNoStorePortAndKeepsItsDataPrivateTest::read).toList();
        byte[] all = new byte[contents.stream().mapToInt(b -> b.length + 1).sum()];
        int at = 0;
        for (byte[] c : contents) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length + 1; // a zero between files: no match spans two
        }
        return all;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
