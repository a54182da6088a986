package dev.parley.testkit;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** Unique names for topics, application ids and prefixes, so test classes can share one broker. */
public final class TestNames {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestNames() {
    }

    /** e.g. {@code t3-gatewayit-} : a topic prefix unique in this JVM and readable in logs. */
    public static String prefix(Class<?> testClass) {
        return "t" + COUNTER.incrementAndGet() + "-" + testClass.getSimpleName().toLowerCase(Locale.ROOT) + "-";
    }
}
