package dev.parley.ops.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.ops.chaos.check.LossClass;
import dev.parley.ops.chaos.fault.FaultKind;
import dev.parley.ops.chaos.load.JavaClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos run in CI ({@link ChaosSettings#ci}): the compose cluster as local processes (3 brokers RF 3 / min ISR 2,
 * 2 topologies with standbys, 2 gateways), 10 sends/s from 12 users' Java clients through both gateways plus 3
 * protocol probes, while a broker leading a log partition is SIGKILLed, a broker is frozen 20 s, a topology instance
 * and a gateway are SIGKILLed (each started again), then a topology instance is SIGKILLed while a broker is frozen.
 * The whole log and every history must keep every promise (0 in every loss class). A random seed, printed: rerun a
 * failure with {@code -Dparley.chaos.seed=N}.
 */
class ChaosIT {

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void nothingAckedIsLostAndEveryPromiseHoldsWhileBrokersTopologiesAndGatewaysFail() throws Exception {
        long seed = Long.getLong("parley.chaos.seed", ThreadLocalRandom.current().nextLong(1, 1_000_000));
        System.out.println("ChaosIT seed " + seed + " (rerun with -Dparley.chaos.seed=" + seed + ")");
        // under target/, not a temp dir: a failed run keeps its cluster's logs (and hs_err files) for the post-mortem
        Path dir = Files.createDirectories(Path.of("target", "chaos-it", "seed-" + seed)).toAbsolutePath();
        ChaosReport report = new ChaosRun(ChaosSettings.ci(seed, dir), new JavaClients(ChaosRun.devTokens()), System.out).run();
        if (report.passed() && report.problems().isEmpty()) {
            deleteTree(dir);
        } else {
            System.out.println("ChaosIT failed: the cluster's logs are kept in " + dir);
        }
        String all = "seed " + seed + "\n" + String.join("\n", report.lines());

        Map<LossClass, Long> losses = new EnumMap<>(LossClass.class);
        Arrays.stream(LossClass.values()).forEach(c -> losses.put(c, report.findings().count(c)));
        assertThat(losses).as(all).allSatisfy((c, n) -> assertThat(n).as(c + "\n" + all).isZero());
        assertThat(report.problems()).as(all).isEmpty();
        assertThat(report.faultsByKind()).as(all).hasEntrySatisfying(FaultKind.BROKER_KILL, n -> assertThat(n).isEqualTo(1))
                .hasEntrySatisfying(FaultKind.BROKER_PAUSE, n -> assertThat(n).isEqualTo(2))
                .hasEntrySatisfying(FaultKind.TOPOLOGY_KILL, n -> assertThat(n).isEqualTo(2))
                .hasEntrySatisfying(FaultKind.GATEWAY_KILL, n -> assertThat(n).isEqualTo(1));
        assertThat(report.counts().acked()).as(all).isPositive();
        assertThat(report.counts().refusedTotal()).as(all).isZero();
        assertThat(report.counts().acked() + report.counts().unsettled()).as(all).isEqualTo(report.counts().offered());
        assertThat(report.passed()).as(all).isTrue();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
