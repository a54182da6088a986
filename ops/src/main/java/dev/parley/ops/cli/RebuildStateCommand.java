package dev.parley.ops.cli;

import dev.parley.schemas.config.Env;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.topology.TopologyConfig;
import dev.parley.topology.rebuild.StateRebuild;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parley rebuild-state}: rebuilds a stopped topology's state from the log ({@link StateRebuild}), e.g. when
 * upgrading from a version whose stores had other names (docs/operations.md "Upgrading").
 */
@Command(name = "rebuild-state",
        description = {"Rebuilds the topology's state from the log: channel-state and dedupe (the keys of events still "
                + "inside the idempotency window) through the same fold the topology uses, and the memberships and "
                + "read cursors of user-state (cursors from old READ events; a cursor never moves back). Every "
                + "topology instance must be stopped; start them again afterwards on the same state dir.",
                "The other topology settings (idempotency window, partitions, PARLEY_KAFKA_*) are read from the "
                        + "environment as the topology reads them."},
        footer = {"", "Exit status: 0 rebuilt, 1 refused or failed (the message says why)."})
public final class RebuildStateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = "127.0.0.1:9092",
            description = "Kafka. Env PARLEY_BOOTSTRAP_SERVERS. Default: ${DEFAULT-VALUE}")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8081",
            description = "The registry. Env PARLEY_SCHEMA_REGISTRY_URL. Default: ${DEFAULT-VALUE}")
    String registryUrl;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = TopicNames.DEFAULT_PREFIX,
            description = "Prefix of Parley's topic names. Env PARLEY_TOPIC_PREFIX. Default: ${DEFAULT-VALUE}")
    String topicPrefix;

    @Option(names = "--topology-application-id", paramLabel = "ID", defaultValue = "parley-topology",
            description = "The topology's application id. Env PARLEY_TOPOLOGY_APPLICATION_ID. Default: ${DEFAULT-VALUE}")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "./.parley-data/streams",
            description = "The topology's state dir (the rebuilt stores are left there). Env PARLEY_STATE_DIR. "
                    + "Default: ${DEFAULT-VALUE}")
    String stateDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PARLEY_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("PARLEY_SCHEMA_REGISTRY_URL", registryUrl);
        env.put("PARLEY_TOPIC_PREFIX", topicPrefix);
        env.put("PARLEY_TOPOLOGY_APPLICATION_ID", applicationId);
        env.put("PARLEY_STATE_DIR", stateDir);
        try {
            StateRebuild.Report report = StateRebuild.run(TopologyConfig.fromEnv(Env.of(env)));
            out.printf("rebuilt the state of %s from %slog: %d records in %d partitions, %d s%n", applicationId, topicPrefix,
                    report.logRecords(), report.logEnds().size(), report.took().toSeconds());
            out.println("start the topology instances again (on the same state dir for a quick start)");
            return 0;
        } catch (IllegalStateException e) {
            err.println("rebuild-state: " + e.getMessage());
            return 1;
        }
    }
}
