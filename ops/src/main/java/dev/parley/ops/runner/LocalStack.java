package dev.parley.ops.runner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local Parley stack: components started in order, closed in reverse. {@link #close()} may be called
 * from another thread (a JVM shutdown hook) while {@link #start()} runs: it then waits for the component
 * being started, skips the rest and closes what is up. Persistent data stays in the data dir.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final LocalContext context;
    private final List<LocalComponent> components;
    private final Deque<LocalComponent> started = new ArrayDeque<>();
    private volatile boolean closeRequested;
    private long startMillis = -1;

    public LocalStack(RunnerSettings settings, List<LocalComponent> components) {
        this.context = new LocalContext(settings);
        this.components = List.copyOf(components);
    }

    /**
     * The default composition of {@code parley start}, in start order. Components that other work items
     * deliver are added here.
     */
    public static List<LocalComponent> defaultComponents(RunnerSettings settings) {
        List<LocalComponent> list = new ArrayList<>();
        list.add(new KafkaBrokerComponent());
        list.add(new TopicsComponent());
        list.add(new RegistryComponent());
        list.add(new TopologyComponent());
        list.add(new GatewayComponent());
        list.add(new NotifierComponent());
        return list;
    }

    /**
     * Starts every component in order.
     *
     * @throws LocalStackException when one fails; those already started are closed before it is thrown
     */
    public synchronized LocalStack start() {
        long t0 = System.nanoTime();
        for (LocalComponent c : components) {
            if (closeRequested) {
                LOG.info("stop requested; not starting {}", c.name());
                break;
            }
            long c0 = System.nanoTime();
            LOG.info("starting {}", c.name());
            try {
                c.start(context);
            } catch (Exception e) {
                LOG.debug("{} failed to start", c.name(), e);
                closeStarted();
                throw new LocalStackException(c.name() + " failed to start: " + e.getMessage(), e);
            }
            started.push(c);
            LOG.info("{} started in {} ms", c.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c0));
        }
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        return this;
    }

    /** Milliseconds {@link #start()} took, or -1 before it finished. */
    public long startMillis() {
        return startMillis;
    }

    public LocalContext context() {
        return context;
    }

    /** The components in start order. */
    public List<LocalComponent> components() {
        return components;
    }

    /** True once a close was asked (e.g. Ctrl-C during start). */
    public boolean closeRequested() {
        return closeRequested;
    }

    /** The summary lines of every started component, in start order. */
    public synchronized List<LocalComponent.SummaryLine> summary() {
        List<LocalComponent.SummaryLine> lines = new ArrayList<>();
        for (LocalComponent c : components) {
            if (started.contains(c)) {
                lines.addAll(c.summary());
            }
        }
        lines.add(new LocalComponent.SummaryLine("Data dir", context.settings().dataDir()
                + " (kept on stop; delete it to start from scratch)"));
        return lines;
    }

    /** Closes the started components in reverse order. Safe to call twice and from another thread. */
    @Override
    public void close() {
        closeRequested = true;
        synchronized (this) {
            closeStarted();
        }
    }

    private void closeStarted() {
        while (!started.isEmpty()) {
            LocalComponent c = started.pop();
            long c0 = System.nanoTime();
            try {
                c.close();
                LOG.info("{} stopped in {} ms", c.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c0));
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly: {}", c.name(), e.toString(), e);
            }
        }
    }
}
