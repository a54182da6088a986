package dev.parley.ops.runner;

import java.util.List;

/**
 * One part of the local stack ({@code parley start}): the broker, topic provisioning, the schema registry,
 * the topology, the gateway... {@link LocalStack} starts them in order and closes them in reverse.
 * A component reads what earlier ones published from the {@link LocalContext} (e.g. the bootstrap
 * servers) and publishes its own endpoints there.
 *
 * <p>{@link #close()} may throw any exception (servers' stop methods do); {@link LocalStack} logs it and
 * goes on closing the others.
 */
@SuppressWarnings("try") // close() throws Exception, as AutoCloseable's does
public interface LocalComponent extends AutoCloseable {

    /** Short name for logs, e.g. {@code kafka}. */
    String name();

    /** Starts and returns once the component serves; throws if it cannot. */
    void start(LocalContext context) throws Exception;

    /** What to print once the stack is up (where to connect). Called after a successful start. */
    default List<SummaryLine> summary() {
        return List.of();
    }

    /** Stops; keeps persistent data. Called once, after a successful start only. */
    @Override
    void close() throws Exception;

    /** One line of the start-up summary: {@code label  value}. */
    record SummaryLine(String label, String value) {
    }
}
