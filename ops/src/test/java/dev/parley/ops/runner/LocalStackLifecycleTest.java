package dev.parley.ops.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Start order, reverse stop order and clean-up on failure, with stand-in components (no broker). */
class LocalStackLifecycleTest {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final RunnerSettings settings = RunnerSettings.ephemeral(Path.of("target", "unused-data-dir"));

    private final class Fake implements LocalComponent {
        private final String name;
        private final boolean fail;

        Fake(String name, boolean fail) {
            this.name = name;
            this.fail = fail;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start(LocalContext context) {
            events.add("start " + name);
            if (fail) {
                throw new IllegalStateException(name + " is broken");
            }
            if (name.equals("a")) {
                context.publishBootstrapServers("127.0.0.1:1");
            }
            if (name.equals("b")) {
                events.add("b sees " + context.bootstrapServers());
            }
        }

        @Override
        public List<SummaryLine> summary() {
            return List.of(new SummaryLine(name, "up"));
        }

        @Override
        public void close() {
            events.add("close " + name);
        }
    }

    @Test
    void startsInOrderAndClosesInReverseOnce() {
        LocalStack stack = new LocalStack(settings, List.of(new Fake("a", false), new Fake("b", false), new Fake("c", false)));
        stack.start();
        assertThat(stack.summary()).extracting(LocalComponent.SummaryLine::label).containsExactly("a", "b", "c", "Data dir");
        stack.close();
        stack.close();
        assertThat(events).containsExactly("start a", "start b", "b sees 127.0.0.1:1", "start c",
                "close c", "close b", "close a");
    }

    @Test
    void aFailingComponentClosesTheStartedOnesInReverseAndSkipsTheRest() {
        LocalStack stack = new LocalStack(settings, List.of(new Fake("a", false), new Fake("b", false),
                new Fake("c", true), new Fake("d", false)));
        assertThatThrownBy(stack::start)
                .isInstanceOf(LocalStackException.class)
                .hasMessage("c failed to start: c is broken");
        stack.close();
        assertThat(events).containsExactly("start a", "start b", "b sees 127.0.0.1:1", "start c", "close b", "close a");
    }

    @Test
    void aCloseRequestedBeforeStartStartsNothing() {
        LocalStack stack = new LocalStack(settings, List.of(new Fake("a", false)));
        stack.close();
        stack.start();
        assertThat(events).isEmpty();
        assertThat(stack.closeRequested()).isTrue();
    }
}
