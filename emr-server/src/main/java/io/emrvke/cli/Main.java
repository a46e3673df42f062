package io.emrvke.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code emr-vke} command. Each subcommand lives in its own class. */
@Command(name = "emr-vke", mixinStandardHelpOptions = true, version = "emr-vke 0.1.0",
        description = "A self-hosted EMR on VKE control plane.",
        subcommands = {ServeCommand.class, CredentialsCommand.class, CallCommand.class, SandboxCommand.class})
public final class Main {
    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0 || !isLongRunning(args)) {
            System.exit(code);
        }
    }

    private static boolean isLongRunning(String[] args) {
        return args.length > 0 && (args[0].equals("serve") || args[0].equals("sandbox"));
    }
}
