package dev.parley.ops.chaos;

import dev.parley.ops.chaos.fault.FaultSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a chaos run does: the cluster, the load, the faults.
 *
 * @param seed         seeds the population, the load's choices and the fault schedule
 * @param profile      the fault schedule ({@code FULL} for {@code parley chaos}, {@code CI} for the test)
 * @param duration     how long faults go on: the planned steps always run; extra steps follow while time is left
 * @param warmup       load before the first fault
 * @param calm         load after the last fault
 * @param rate         sends per second, open loop
 * @param users        users (one client application each)
 * @param channels     channels (every third private)
 * @param members      members per channel, owner included
 * @param lateJoins    private channels that get a member while the load runs
 * @param probes       users that also run a raw protocol probe
 * @param brokers      Kafka nodes
 * @param topologies   topology instances
 * @param gateways     gateways
 * @param partitions   partitions of Parley's topics
 * @param dataDir      the cluster's data and logs, and the report
 * @param javaOptions  extra JVM options of every node
 * @param nodeEnv      extra environment of every node (e.g. a shorter session timeout)
 */
public record ChaosSettings(long seed, FaultSchedule.Profile profile, Duration duration, Duration warmup, Duration calm,
                            double rate, int users, int channels, int members, int lateJoins, int probes, int brokers,
                            int topologies, int gateways, int partitions, Path dataDir, List<String> javaOptions,
                            java.util.Map<String, String> nodeEnv) {

    public ChaosSettings {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(dataDir, "dataDir");
        javaOptions = javaOptions == null ? List.of() : List.copyOf(javaOptions);
        nodeEnv = nodeEnv == null ? java.util.Map.of() : java.util.Map.copyOf(nodeEnv);
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be > 0");
        }
    }

    /** {@code parley chaos}'s defaults: the compose cluster, 40 sends/s over 36 channels of 4 members, 10 minutes of faults. */
    public static ChaosSettings full(long seed, Path dataDir) {
        return new ChaosSettings(seed, FaultSchedule.Profile.FULL, Duration.ofMinutes(10), Duration.ofSeconds(20),
                Duration.ofSeconds(30), 40, 24, 36, 4, 4, 8, 3, 2, 2, 12, dataDir, List.of(), null);
    }

    /**
     * The CI test's: the same cluster with light JVMs (C1 only, serial GC) and a 10 s Streams session timeout (a
     * SIGKILLed topology's partitions move after it), 10 sends/s over 16 channels, the CI fault plan only.
     */
    public static ChaosSettings ci(long seed, Path dataDir) {
        return new ChaosSettings(seed, FaultSchedule.Profile.CI, Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(10),
                10, 12, 16, 3, 2, 3, 3, 2, 2, 6, dataDir, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                java.util.Map.of("PARLEY_KAFKA_SESSION_TIMEOUT_MS", "10000"));
    }

    public ChaosSettings withSeed(long s) {
        return new ChaosSettings(s, profile, duration, warmup, calm, rate, users, channels, members, lateJoins, probes, brokers,
                topologies, gateways, partitions, dataDir, javaOptions, nodeEnv);
    }
}
