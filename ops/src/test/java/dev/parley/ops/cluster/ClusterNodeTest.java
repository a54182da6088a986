package dev.parley.ops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process mechanics of a cluster node, with a stand-in main class (no Kafka): SIGINT is ignored (Ctrl-C is
 * the parent's), SIGTERM is a clean stop, SIGSTOP/SIGCONT freeze and thaw it, SIGKILL ends it, the same spec
 * starts it again, and it dies with its parent even when the parent is SIGKILLed. Linux (/proc) only.
 */
class ClusterNodeTest {

    private static final Duration READY = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @BeforeAll
    static void linux() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc");
    }

    /** A node running {@link SleeperMain}, ready once its log says so. */
    static ClusterNode sleeper(Path dir) {
        Path log = dir.resolve("logs").resolve("sleeper.log");
        ReadinessProbe saysUp = new ReadinessProbe() {
            @Override
            public boolean isReady() {
                try {
                    return Files.exists(log) && Files.readString(log).contains("sleeper up");
                } catch (IOException e) {
                    return false;
                }
            }

            @Override
            public String describe() {
                return log + " says 'sleeper up'";
            }
        };
        NodeSpec spec = new NodeSpec("sleeper", NodeRole.GATEWAY, SleeperMain.class.getName(), System.getenv(),
                List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"), dir.resolve("sleeper"), log, Map.of("none", 1), saysUp);
        return new ClusterNode(spec, System.getProperty("java.class.path"));
    }

    @Test
    void sigintIsIgnoredSigtermStopsCleanlyStopAndContFreezeAndThawAndTheSameSpecStartsAgain() throws Exception {
        ClusterNode node = sleeper(dir);
        node.startAndAwaitReady(READY);
        long pid = node.pid().orElseThrow();

        assertThat(status(pid, "SigIgn") & 2L).as("SIGINT (bit 2) ignored: Ctrl-C is for the parent").isEqualTo(2L);
        assertThat(status(pid, "SigCgt") & (1L << 14)).as("SIGTERM (15) handled by the JVM").isNotZero();

        node.pause();
        await().atMost(Duration.ofSeconds(30)).until(() -> state(pid).equals("T"));
        node.resume();
        await().atMost(Duration.ofSeconds(30)).until(() -> !state(pid).equals("T"));

        node.pause(); // a stop must thaw it first
        assertThat(node.stop(Duration.ofSeconds(60))).as("stopped by SIGTERM, not killed").isTrue();
        assertThat(node.isRunning()).isFalse();
        assertThat(node.exitedUnexpectedly()).isFalse();
        assertThat(node.logTail(5)).contains("sleeper stopped cleanly");

        node.startAndAwaitReady(READY);
        long second = node.pid().orElseThrow();
        assertThat(second).isNotEqualTo(pid);
        node.kill();
        assertThat(node.isRunning()).isFalse();
        assertThat(node.exitCode()).hasValue(137);
        assertThat(node.exitedUnexpectedly()).isFalse();
        assertThat(Files.readString(node.logFile())).containsOnlyOnce("sleeper stopped cleanly");
        assertThat(Files.readAllLines(node.logFile()).stream().filter(l -> l.contains("parley cluster: starting sleeper"))).hasSize(2);
        assertThatThrownBy(node::pause).isInstanceOf(ClusterException.class).hasMessageContaining("not running");
    }

    @Test
    void aNodeDiesWithItsParentEvenOnSigkill() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), OrphanParentMain.class.getName(),
                dir.toString());
        Process parent = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            long child = childPid(parent);
            assertThat(ProcessHandle.of(child)).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());

            parent.destroyForcibly(); // SIGKILL: no hook, no chance to stop the child
            parent.waitFor();

            await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
            assertThat(Files.readString(dir.resolve("logs").resolve("sleeper.log")))
                    .contains("the parent process is gone", "sleeper stopped cleanly");
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void aNodeThatExitsBeforeItIsReadyFailsWithTheEndOfItsLog() {
        ClusterNode sleeper = sleeper(dir);
        NodeSpec s = sleeper.spec();
        ClusterNode broken = new ClusterNode(new NodeSpec("broken", s.role(), "no.such.Main", s.env(), s.javaOptions(),
                s.dataDir(), dir.resolve("logs").resolve("broken.log"), s.ports(), s.readiness()), System.getProperty("java.class.path"));

        assertThatThrownBy(() -> broken.startAndAwaitReady(READY))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("broken exited with code 1 before it was ready")
                .hasMessageContaining("ClassNotFoundException: no.such.Main");
        assertThat(broken.isRunning()).isFalse();
        assertThat(broken.exitedUnexpectedly()).isTrue();
    }

    private static long childPid(Process parent) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            if (line.startsWith("CHILD_PID ")) {
                return Long.parseLong(line.substring("CHILD_PID ".length()).trim());
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the parent exited without starting its child:\n" + seen);
    }

    /** A hex mask line of /proc/PID/status, e.g. SigIgn. */
    private static long status(long pid, String field) throws IOException {
        Optional<String> line = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(l -> l.startsWith(field + ":")).findFirst();
        return Long.parseUnsignedLong(line.orElseThrow().substring(field.length() + 1).trim(), 16);
    }

    /** The state letter of /proc/PID/stat (R, S, T for stopped...). */
    private static String state(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }
}
