package dev.parley.ops.runner;

import dev.parley.ops.broker.BrokerSettings;
import dev.parley.ops.broker.EmbeddedKafkaBroker;
import java.util.List;

/** The embedded single-node KRaft broker; publishes the bootstrap servers. */
public final class KafkaBrokerComponent implements LocalComponent {

    private EmbeddedKafkaBroker broker;

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void start(LocalContext context) {
        RunnerSettings s = context.settings();
        broker = EmbeddedKafkaBroker.start(new BrokerSettings(s.dataDir(), s.bindHost(), null, s.kafkaPort(),
                s.controllerPort(), s.startTimeout(), s.brokerOverrides()));
        context.publishBootstrapServers(broker.bootstrapServers());
    }

    /** The running broker (after {@link #start}). */
    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    @Override
    public List<SummaryLine> summary() {
        return List.of(
                new SummaryLine("Kafka bootstrap servers", broker.bootstrapServers()),
                new SummaryLine("Kafka cluster", "id " + broker.clusterId() + ", transaction.version "
                        + broker.transactionVersion() + ", controller port " + broker.controllerPort()
                        + (broker.formattedNow() ? ", new data dir" : ", existing data dir")
                        + ", ready in " + broker.startupTime().toMillis() + " ms"));
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
