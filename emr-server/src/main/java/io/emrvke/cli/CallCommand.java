package io.emrvke.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "call", description = "(not built yet)")
final class CallCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("emr-vke call: not built yet");
        return 2;
    }
}
