package dev.parley.ops.chaos;

import dev.parley.ops.chaos.fault.FaultSchedule;
import dev.parley.ops.chaos.load.ChatClient;
import dev.parley.ops.chaos.load.JavaClients;
import dev.parley.ops.cli.DurationConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code parley chaos}: the fault-injection run of docs/reliability.md. */
@Command(name = "chaos",
        description = {
                "Runs Parley as a local cluster (3 brokers RF 3 / min ISR 2, 2 topologies with standbys, 2 gateways: "
                        + "`parley cluster`), puts an open-loop chat load on it through both gateways, and injects faults "
                        + "from the seed one at a time and then overlapping: SIGKILL of a broker (a log partition's leader, "
                        + "the active controller), SIGSTOP/SIGCONT of a broker for 20 s, SIGKILL of each topology "
                        + "instance and of a gateway, and clean restarts of each role.",
                "Then it reads the whole log and every client's history and checks: every acked send is in the log "
                        + "once at its seq, one event per key, gap-free seqs, each sender's order, complete deliveries, "
                        + "no private event to a non-member, and what the gateway delivered on each probe connection.",
                "It prints the figures (sends, faults, unavailability, latency, a count per loss class) and writes "
                        + "them to <data-dir>/<run>/chaos-report.txt."},
        footer = {"", "Exit status: 0 passed, 3 violations or problems found, 1 the run could not be done.",
                "Docs: docs/reliability.md. Reproduce a run with its --seed."})
public final class ChaosCommand implements Callable<Integer> {

    public static final int EXIT_FAILED = 3;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--seed", paramLabel = "N", description = "Seeds the population, the load and the faults. Env PARLEY_SEED. "
            + "Default: a random one (printed).")
    Long seed;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long faults go on: the planned steps always run; extra seeded steps follow while time is left. "
                    + "Env PARLEY_DURATION. Default: ${DEFAULT-VALUE}")
    Duration duration;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "40",
            description = "Sends per second, open loop. Env PARLEY_RATE. Default: ${DEFAULT-VALUE}")
    double rate;

    @Option(names = "--channels", paramLabel = "N", defaultValue = "36",
            description = "Channels; every third is private. Env PARLEY_CHANNELS. Default: ${DEFAULT-VALUE}")
    int channels;

    @Option(names = "--users", paramLabel = "N", defaultValue = "24",
            description = "Users, one client application each. Env PARLEY_USERS. Default: ${DEFAULT-VALUE}")
    int users;

    @Option(names = "--members", paramLabel = "N", defaultValue = "4",
            description = "Members per channel, owner included. Env PARLEY_MEMBERS. Default: ${DEFAULT-VALUE}")
    int members;

    @Option(names = "--late-joins", paramLabel = "N", defaultValue = "4",
            description = "Private channels that get a member while the load runs. Env PARLEY_LATE_JOINS. Default: ${DEFAULT-VALUE}")
    int lateJoins;

    @Option(names = "--probes", paramLabel = "N", defaultValue = "8",
            description = "Users that also follow their channels with a raw protocol probe. Env PARLEY_PROBES. Default: ${DEFAULT-VALUE}")
    int probes;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
            description = "Load before the first fault. Env PARLEY_WARMUP. Default: ${DEFAULT-VALUE}")
    Duration warmup;

    @Option(names = "--calm", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "Load after the last fault. Env PARLEY_CALM. Default: ${DEFAULT-VALUE}")
    Duration calm;

    @Option(names = "--profile", paramLabel = "FULL|CI", defaultValue = "FULL",
            description = "The fault plan: FULL (every kind alone, four overlapping pairs) or CI (the kills, the freeze, one "
                    + "pair, short holds). Env PARLEY_PROFILE. Default: ${DEFAULT-VALUE}")
    FaultSchedule.Profile profile;

    @Option(names = "--brokers", paramLabel = "N", defaultValue = "3", description = "Kafka nodes. Default: ${DEFAULT-VALUE}")
    int brokers;

    @Option(names = "--topologies", paramLabel = "N", defaultValue = "2", description = "Topology instances. Default: ${DEFAULT-VALUE}")
    int topologies;

    @Option(names = "--gateways", paramLabel = "N", defaultValue = "2", description = "Gateways. Default: ${DEFAULT-VALUE}")
    int gateways;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "12", description = "Partitions of Parley's topics. Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".parley-chaos",
            description = "Each run gets a new folder here (cluster data, node logs, the report). Env PARLEY_DATA_DIR. "
                    + "Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--node-java-opts", paramLabel = "OPTS", defaultValue = "",
            description = "Extra JVM options of every node, space-separated. Env PARLEY_NODE_JAVA_OPTS.")
    String nodeJavaOpts;

    @Option(names = "--node-env", paramLabel = "KEY=VALUE",
            description = "Extra environment of every node (repeatable), e.g. PARLEY_KAFKA_SESSION_TIMEOUT_MS=10000.")
    Map<String, String> nodeEnv = new LinkedHashMap<>();

    private final ChatClient.Factory clients;

    public ChaosCommand() {
        this(null);
    }

    /** @param clients the client applications of the load (tests); null: Parley's Java client */
    ChaosCommand(ChatClient.Factory clients) {
        this.clients = clients;
    }

    @Override
    public Integer call() throws Exception {
        if (users < members || members < 2) {
            throw new ParameterException(spec.commandLine(), "--members must be 2..--users");
        }
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000);
        Path dir = dataDir.resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-seed" + s);
        if (Files.exists(dir)) {
            throw new ParameterException(spec.commandLine(), dir + " exists already");
        }
        List<String> options = Arrays.stream(nodeJavaOpts.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();
        ChaosSettings settings = new ChaosSettings(s, profile, duration, warmup, calm, rate, users, channels, members, lateJoins,
                probes, brokers, topologies, gateways, partitions, dir.toAbsolutePath(), options, nodeEnv);
        ChatClient.Factory factory = clients != null ? clients : new JavaClients(ChaosRun.devTokens());
        ChaosReport report = new ChaosRun(settings, factory, System.out).run();
        return report.passed() ? 0 : EXIT_FAILED;
    }
}
