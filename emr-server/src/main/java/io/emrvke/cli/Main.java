package io.emrvke.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

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

    /**
     * Arguments starting with '@' reach the commands as written (e.g. {@code call --body @file}):
     * picocli would otherwise replace them with the file's words. Done here, at model-building
     * time, so it holds for every {@code new CommandLine(new Main())}, not just {@link #main}.
     */
    @Spec
    void keepAtArgumentsLiteral(CommandSpec spec) {
        spec.parser().expandAtFiles(false);
    }

    private static boolean isLongRunning(String[] args) {
        return args.length > 0 && (args[0].equals("serve") || args[0].equals("sandbox"));
    }
}
