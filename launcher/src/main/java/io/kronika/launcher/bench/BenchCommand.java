package io.kronika.launcher.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kronika bench …}: benchmarks that print figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures.",
        subcommands = {StoreBenchCommand.class, ApiBenchCommand.class, PodsBenchCommand.class, SchedulerBenchCommand.class, HistoryBenchCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
