package io.emrvke.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "serve", description = "(not built yet)")
final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("emr-vke serve: not built yet");
        return 2;
    }
}
