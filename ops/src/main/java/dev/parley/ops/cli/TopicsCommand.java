package dev.parley.ops.cli;

import dev.parley.schemas.config.Env;
import dev.parley.schemas.topics.TopicLayoutException;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.schemas.topics.TopicProvisioner;
import dev.parley.schemas.topics.TopicSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code parley topics create|verify} against any Kafka cluster. */
@Command(name = "topics",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.Verify.class},
        description = "Creates or verifies Parley's topics on a running cluster.",
        footer = {"", "Exit status: 0 fine, 2 the layout cannot work (e.g. partition counts differ), 1 other errors."})
public final class TopicsCommand implements Runnable {

    public static final int EXIT_LAYOUT = 2;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a subcommand: create or verify");
    }

    /** Options shared by create and verify. */
    abstract static class TopicsAction implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = "127.0.0.1:9092",
                description = "Kafka to talk to. Env PARLEY_BOOTSTRAP_SERVERS. Default: ${DEFAULT-VALUE}")
        String bootstrapServers;

        @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = TopicNames.DEFAULT_PREFIX,
                description = "Prefix of Parley's topic names. Env PARLEY_TOPIC_PREFIX. Default: ${DEFAULT-VALUE}")
        String topicPrefix;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
                description = "How long to wait for the cluster. Env PARLEY_TIMEOUT. Default: ${DEFAULT-VALUE}")
        Duration timeout;

        abstract TopicProvisioner.Report act(TopicProvisioner provisioner);

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1000, timeout.toMillis()));
            Map<String, Object> props = Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.CLIENT_ID_CONFIG, "parley-cli-topics",
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
            try (Admin admin = Admin.create(props)) {
                TopicProvisioner provisioner = new TopicProvisioner(admin, new TopicNames(topicPrefix),
                        TopicSettings.fromEnv(Env.system()));
                print(out, bootstrapServers, act(provisioner));
                return 0;
            } catch (TopicLayoutException e) {
                err.println("topic layout problem: " + e.getMessage());
                err.flush();
                return EXIT_LAYOUT;
            } catch (RuntimeException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
    }

    @Command(name = "create",
            description = {"Creates Parley's topics that are missing, then verifies the layout.",
                    "Partitions and retention come from PARLEY_PARTITIONS, PARLEY_REPLICATION_FACTOR, ... "
                            + "(see parley start --help)."})
    static final class Create extends TopicsAction {
        @Override
        TopicProvisioner.Report act(TopicProvisioner provisioner) {
            return provisioner.provision();
        }
    }

    @Command(name = "verify",
            description = "Checks that Parley's topics exist with a layout that works; changes nothing.")
    static final class Verify extends TopicsAction {
        @Override
        TopicProvisioner.Report act(TopicProvisioner provisioner) {
            return provisioner.verify();
        }
    }

    static void print(PrintWriter out, String bootstrapServers, TopicProvisioner.Report report) {
        out.println("cluster:    " + bootstrapServers);
        out.println("created:    " + (report.created().isEmpty() ? "-" : String.join(", ", report.created())));
        out.println("existing:   " + (report.existing().isEmpty() ? "-" : String.join(", ", report.existing().stream().sorted().toList())));
        out.println("partitions: " + report.partitions());
        if (report.warnings().isEmpty()) {
            out.println("warnings:   none");
        } else {
            report.warnings().forEach(w -> out.println("warning:    " + w));
        }
        out.println("OK");
        out.flush();
    }
}
