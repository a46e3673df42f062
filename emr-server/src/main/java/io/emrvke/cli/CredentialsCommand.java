package io.emrvke.cli;

import io.emrvke.server.account.Credential;
import io.emrvke.server.account.CredentialAdmin;
import io.emrvke.server.account.CredentialAdminClient;
import io.emrvke.server.account.CredentialAdminClient.AdminSocketException;
import io.emrvke.server.account.CredentialAdminSocket;
import io.emrvke.server.account.CredentialRepository;
import io.emrvke.server.account.CredentialSummary;
import io.emrvke.server.account.NewCredential;
import io.emrvke.server.account.Role;
import io.emrvke.server.account.RootCredential;
import io.emrvke.server.store.Database;
import io.emrvke.server.store.KeySource;
import io.emrvke.server.store.StoreInUseException;
import io.emrvke.server.store.StoreUnavailableException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code emr-vke credentials create|list|disable}: manages access keys. With {@code --data-dir} it asks
 * the server running on that data directory, through its admin socket (the embedded store takes no
 * connection from another process), or opens the store itself when no server runs. With
 * {@code --database-url} it opens that database (PostgreSQL serves several processes); the store key
 * then comes from {@code EMR_VKE_STORE_KEY} or the key file of {@code --data-dir}.
 */
@Command(name = "credentials", description = "Create, list and disable access keys in the store.",
        mixinStandardHelpOptions = true,
        subcommands = {CredentialsCommand.Create.class, CredentialsCommand.ListKeys.class,
                CredentialsCommand.Disable.class})
final class CredentialsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /**
     * Where the credentials are: the server running on {@code --data-dir}, else its embedded store, or
     * the {@code --database-url} database.
     */
    static final class StoreOptions {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "The server's data directory: the server running on it is asked, else its"
                        + " embedded store is opened. With --database-url: where the store key file is.")
        Path dataDir;

        @Option(names = "--database-url", paramLabel = "URL",
                description = "A JDBC URL (jdbc:postgresql://...) instead of the embedded store; its key comes from"
                        + " " + KeySource.ENV + " or the key file of --data-dir.")
        String databaseUrl;

        String jdbcUrl() {
            if (dataDir != null && !Files.isDirectory(dataDir)) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--data-dir': '" + dataDir
                        + "' is not a directory (give the data directory the server runs with)");
            }
            if (databaseUrl != null) {
                if (Database.Kind.of(databaseUrl) == Database.Kind.OTHER) {
                    throw new ParameterException(spec.commandLine(), "Invalid value for option '--database-url': '"
                            + databaseUrl + "' (accepted: jdbc:postgresql://... or jdbc:h2:...)");
                }
                return databaseUrl;
            }
            if (dataDir == null) {
                throw new ParameterException(spec.commandLine(),
                        "Missing required option: '--data-dir=DIR' (the server's data directory), or '--database-url=URL'");
            }
            return Database.defaultUrl(dataDir);
        }

        /**
         * Runs {@code work} against the running server or the store; a server or store that cannot be
         * reached is exit code 1 with the reason.
         */
        int withStore(Function<CredentialAdmin, Integer> work) {
            String url = jdbcUrl();
            PrintWriter err = spec.commandLine().getErr();
            try {
                Optional<CredentialAdminClient> server = databaseUrl == null
                        ? CredentialAdminClient.reach(dataDir) : Optional.empty();
                if (server.isPresent()) {
                    return work.apply(server.get());
                }
                try (Database db = Database.open(url, 2, KeySource.of(dataDir, System.getenv()))) {
                    return work.apply(new CredentialRepository(db.jdbi()));
                }
            } catch (StoreInUseException e) {
                err.println("emr-vke credentials: " + (databaseUrl == null ? heldWithoutSocket(e) : e.getMessage()));
                return 1;
            } catch (StoreUnavailableException | AdminSocketException e) {
                err.println("emr-vke credentials: " + e.getMessage());
                return 1;
            }
        }

        private String heldWithoutSocket(StoreInUseException e) {
            return "the store of " + dataDir + " is open in another process, and no server answers on "
                    + CredentialAdminSocket.path(dataDir) + " (a running emr-vke server listens there, or its log"
                    + " says why not). Stop the other process and run the command again. (" + e.getMessage() + ")";
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a credential and print its access key and secret key (shown only now).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Option(names = "--account-id", paramLabel = "N", defaultValue = "1",
                description = "The account the key belongs to (default: ${DEFAULT-VALUE}).")
        long accountId;

        @Option(names = "--user-name", paramLabel = "NAME", defaultValue = RootCredential.ROOT_USER_NAME,
                description = "The user the key belongs to (default: ${DEFAULT-VALUE}).")
        String userName;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "admin",
                description = "admin (every action) or readonly (Get/List only) (default: ${DEFAULT-VALUE}).")
        String role;

        @Option(names = "--access-key", paramLabel = "AK", description = "Use this access key instead of a generated one.")
        String accessKey;

        @Option(names = "--secret-key", paramLabel = "SK", description = "Use this secret key (with --access-key).")
        String secretKey;

        @Override
        public Integer call() {
            NewCredential request = request();
            return store.withStore(repo -> create(repo, request));
        }

        private NewCredential request() {
            Role parsedRole;
            try {
                parsedRole = Role.parse(role);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(),
                        "Invalid value for option '--role': '" + role + "' (accepted: admin, readonly)");
            }
            if (accountId <= 0) {
                throw new ParameterException(spec.commandLine(),
                        "Invalid value for option '--account-id': " + accountId + " (accepted: a positive number)");
            }
            if ((accessKey == null) != (secretKey == null)) {
                throw new ParameterException(spec.commandLine(),
                        "Options '--access-key' and '--secret-key' go together: give both or neither");
            }
            return new NewCredential(accountId, null, userName, parsedRole, accessKey, secretKey);
        }

        private int create(CredentialAdmin repo, NewCredential request) {
            Credential c;
            try {
                c = repo.create(request);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("emr-vke credentials create: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            spec.commandLine().getErr().println("Created an access key with role " + c.role().wireName() + " for account "
                    + c.accountId() + ", user " + c.userName() + " (user id " + c.userId() + ")."
                    + " The secret key is shown only now.");
            PrintWriter out = spec.commandLine().getOut();
            out.println("VOLCENGINE_ACCESS_KEY=" + c.accessKeyId());
            out.println("VOLCENGINE_SECRET_KEY=" + c.secretKey());
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List credentials (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
                .withZone(ZoneOffset.UTC);

        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return store.withStore(repo -> {
                print(repo.list());
                return 0;
            });
        }

        private void print(List<CredentialSummary> credentials) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ACCESS_KEY", "ACCOUNT", "USER", "ROLE", "ENABLED", "CREATED"});
            for (CredentialSummary c : credentials) {
                rows.add(new String[] {c.accessKeyId(), Long.toString(c.accountId()),
                        c.userName() + " (" + c.userId() + ")", c.role().wireName(), c.enabled() ? "yes" : "no",
                        TIME.format(Instant.ofEpochMilli(c.createTime()))});
            }
            PrintWriter out = spec.commandLine().getOut();
            int[] widths = new int[rows.get(0).length];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    widths[i] = Math.max(widths[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    line.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 2) + "s", r[i]));
                }
                out.println(line);
            }
            out.flush();
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable an access key; a running server refuses it within a second.")
    static final class Disable implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Parameters(index = "0", paramLabel = "ACCESS_KEY", description = "The access key to disable.")
        String accessKey;

        @Override
        public Integer call() {
            return store.withStore(repo -> {
                if (!repo.disable(accessKey)) {
                    spec.commandLine().getErr().println("emr-vke credentials disable: no credential has the access key '"
                            + accessKey + "' (see 'emr-vke credentials list').");
                    return 1;
                }
                spec.commandLine().getOut().println("Disabled " + accessKey + ".");
                spec.commandLine().getOut().flush();
                return 0;
            });
        }
    }
}
