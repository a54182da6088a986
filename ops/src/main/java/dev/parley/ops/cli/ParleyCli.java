package dev.parley.ops.cli;

import dev.parley.schemas.config.Env;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Parley's command line ({@code ./parley ...}). */
@Command(name = "parley",
        mixinStandardHelpOptions = true,
        versionProvider = ParleyCli.Version.class,
        subcommands = {StartCommand.class, TopicsCommand.class, CommandLine.HelpCommand.class},
        description = "Parley: run the local stack and manage its Kafka topics.",
        footer = {"",
                "Every option can also be set by an environment variable, named in its description",
                "(PARLEY_ + the option's long name in upper snake case). A flag wins over the variable.",
                "See docs/operations.md, section \"Local runner\"."})
public final class ParleyCli implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a command: start, topics or help");
    }

    /** The command line with defaults read from {@code env}. */
    public static CommandLine commandLine(Env env) {
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setDefaultValueProvider(new EnvDefaultProvider(env));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine(Env.system()).execute(args));
    }

    /** Prints the module version when the jar manifest has it, and the Kafka client version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String parley = ParleyCli.class.getPackage().getImplementationVersion();
            return new String[] {"parley " + (parley == null ? "(development build)" : parley),
                    "kafka-clients " + org.apache.kafka.clients.admin.Admin.class.getPackage().getImplementationVersion()};
        }
    }
}
