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
        subcommands = {StartCommand.class, ClusterCommand.class, TopicsCommand.class, TokenCommand.class, TailCommand.class,
                NotificationsCommand.class,
                ReplayCheckCommand.class, RebuildStateCommand.class, ConnectCommand.class, dev.parley.ops.bench.BenchCommand.class,
                dev.parley.ops.chaos.ChaosCommand.class,
                CommandLine.HelpCommand.class},
        description = "Parley: run the local stack (or a local cluster), manage its Kafka topics, issue tokens, inspect the committed log, "
                + "run Kafka Connect for analytics, benchmark it.",
        footer = {"",
                "Every option can also be set by the environment variable named in its description "
                        + "(PARLEY_ + the option's long name in upper snake case); a flag wins over the variable.",
                "Docs: docs/operations.md, section \"Local runner\"."})
public final class ParleyCli implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a command: start, cluster, topics, token, tail, notifications, replay-check, rebuild-state, connect, bench or help");
    }

    /** The command line with defaults read from {@code env}. */
    public static CommandLine commandLine(Env env) {
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setDefaultValueProvider(new EnvDefaultProvider(env));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpWidth(100);
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine(Env.system()).execute(args));
    }

    /** Parley's version when a jar manifest has it, and the Kafka version on the classpath. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws java.io.IOException {
            String parley = ParleyCli.class.getPackage().getImplementationVersion();
            java.util.Properties kafka = new java.util.Properties();
            try (java.io.InputStream in = org.apache.kafka.clients.admin.Admin.class
                    .getResourceAsStream("/kafka/kafka-version.properties")) {
                if (in != null) {
                    kafka.load(in);
                }
            }
            return new String[] {"parley " + (parley == null ? "(development build)" : parley),
                    "kafka " + kafka.getProperty("version", "unknown")};
        }
    }
}
