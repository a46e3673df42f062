package io.emrvke.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "credentials", description = "(not built yet)")
final class CredentialsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("emr-vke credentials: not built yet");
        return 2;
    }
}
