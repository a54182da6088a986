package dev.parley.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.ops.runner.LocalComponent;
import dev.parley.ops.runner.LocalContext;
import dev.parley.ops.runner.LocalStack;
import dev.parley.ops.runner.RunnerSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The stop path of {@code parley start} and its summary, with a stand-in component (no broker). */
class StartCommandTest {

    @SuppressWarnings("try")
    private static final class Blocking implements LocalComponent {
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean closed;

        @Override
        public String name() {
            return "blocking";
        }

        @Override
        public void start(LocalContext context) {
            context.publishBootstrapServers("127.0.0.1:9");
        }

        @Override
        public List<SummaryLine> summary() {
            return List.of(new SummaryLine("Kafka bootstrap servers", "127.0.0.1:9"));
        }

        @Override
        public void close() throws InterruptedException {
            release.await(1, TimeUnit.MINUTES);
            closed = true;
        }
    }

    private final RunnerSettings settings = RunnerSettings.ephemeral(Path.of("target", "unused-data-dir"));

    @Test
    void aStopThatDoesNotFinishInTimeIsReportedAndAPromptOneIsNot() {
        Blocking stuck = new Blocking();
        LocalStack stack = new LocalStack(settings, List.of(stuck)).start();
        assertThat(StartCommand.stopWithin(stack, Duration.ofMillis(50))).isFalse();
        assertThat(stuck.closed).isFalse();
        stuck.release.countDown();

        Blocking prompt = new Blocking();
        prompt.release.countDown();
        LocalStack other = new LocalStack(settings, List.of(prompt)).start();
        assertThat(StartCommand.stopWithin(other, Duration.ofMinutes(1))).isTrue();
        assertThat(prompt.closed).isTrue();
    }

    @Test
    void theSummaryListsWhereToConnect() {
        Blocking c = new Blocking();
        c.release.countDown();
        try (LocalStack stack = new LocalStack(settings, List.of(c)).start()) {
            StringWriter text = new StringWriter();
            StartCommand.printSummary(new PrintWriter(text), stack);
            assertThat(text.toString())
                    .contains("Parley is up")
                    .contains("  Kafka bootstrap servers  127.0.0.1:9")
                    .contains("  Data dir                 " + settings.dataDir())
                    .contains("!! DEV MODE: anyone who reaches the gateway can sign in as any user")
                    .contains("public dev secret")
                    .doesNotContain("--allow-remote-dev")
                    .contains("Stop with Ctrl-C.");
        }
    }

    @Test
    void devModeListensOnLoopbackOnlyUnlessToldExplicitly() {
        assertThat(StartCommand.bindHostProblem("127.0.0.1", false)).isEmpty();
        assertThat(StartCommand.bindHostProblem("localhost", false)).isEmpty();
        assertThat(StartCommand.bindHostProblem("::1", false)).isEmpty();
        assertThat(StartCommand.bindHostProblem("0.0.0.0", false)).hasValueSatisfying(p -> assertThat(p)
                .contains("0.0.0.0", "DEV MODE", "--allow-remote-dev", "PARLEY_ALLOW_REMOTE_DEV"));
        assertThat(StartCommand.bindHostProblem("192.168.1.20", false)).isPresent();

        assertThat(StartCommand.bindHostProblem("0.0.0.0", true)).isEmpty();
        assertThat(StartCommand.devModeWarning("0.0.0.0")).last().asString()
                .contains("--allow-remote-dev: listening on 0.0.0.0");
    }

    @Test
    void startRefusesARemoteBindHostBeforeStartingAnything() {
        Path dataDir = Path.of("target", "refused-start-" + System.nanoTime());

        CliRun run = CliRun.of("start", "--bind-host", "0.0.0.0", "--kafka-port", "0", "--data-dir", dataDir.toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--bind-host 0.0.0.0 is not a loopback address", "--allow-remote-dev");
        assertThat(run.out()).doesNotContain("Parley is up");
        assertThat(dataDir).as("nothing was started").doesNotExist();
    }
}
