package io.kronika.launcher;

import io.kronika.launcher.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kronika} command. */
@Command(name = "kronika",
        mixinStandardHelpOptions = true,
        versionProvider = KronikaVersion.class,
        description = "Kronika: a Kubernetes-compatible orchestrator whose only source of truth is an event log in Kafka.",
        subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, KubeletCommand.class, ControllersCommand.class, HistoryCommand.class, SecretsCommand.class, CertsCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class KronikaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        // Avro 1.12 deserializes generated classes only from trusted packages.
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.kronika");
        return new CommandLine(new KronikaCommand()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
