package io.emrvke.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "sandbox", description = "(not built yet)")
final class SandboxCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("emr-vke sandbox: not built yet");
        return 2;
    }
}
