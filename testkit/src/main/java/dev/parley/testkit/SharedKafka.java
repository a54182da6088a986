package dev.parley.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that hands a test one real single-node KRaft broker, started once per JVM (per
 * Maven module's test run) and shared by every test class that asks for it; it stops when the test
 * run ends. Test classes isolate themselves by topic prefix / application id, never by broker.
 *
 * <pre>
 * &#64;ExtendWith(SharedKafka.class)
 * class MyIT {
 *     &#64;BeforeAll static void setUp(KafkaTestCluster kafka) { ... }
 * }
 * </pre>
 */
public final class SharedKafka implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedKafka.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaTestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    /** The JVM-wide broker, started on first use. */
    public static KafkaTestCluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NS)
                .computeIfAbsent("single-node", key -> new Holder(KafkaTestCluster.singleNode()), Holder.class)
                .cluster;
    }

    /** Closed by JUnit when the root context (the whole test run) closes. */
    private record Holder(KafkaTestCluster cluster) implements AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
