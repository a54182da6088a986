package dev.parley.ops.runner;

import dev.parley.schemas.topics.TopicProvisioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates Parley's topics when absent and verifies their layout (nothing to stop). */
public final class TopicsComponent implements LocalComponent {

    private static final Logger LOG = LoggerFactory.getLogger(TopicsComponent.class);

    private TopicProvisioner.Report report;

    @Override
    public String name() {
        return "topics";
    }

    @Override
    public void start(LocalContext context) {
        Map<String, Object> props = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, context.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "parley-runner-topics");
        try (Admin admin = Admin.create(props)) {
            report = new TopicProvisioner(admin, context.settings().topicNames(), context.settings().topicSettings())
                    .provision();
        }
        LOG.info("topics: created {}, existing {}, {} partitions", report.created(), report.existing(), report.partitions());
    }

    /** What provisioning did (after {@link #start}). */
    public TopicProvisioner.Report report() {
        return report;
    }

    @Override
    public List<SummaryLine> summary() {
        List<SummaryLine> lines = new ArrayList<>();
        List<String> all = new ArrayList<>(report.created());
        all.addAll(report.existing());
        lines.add(new SummaryLine("Topics", String.join(", ", all.stream().sorted().toList()) + " ("
                + report.partitions() + " partitions; " + report.created().size() + " created now)"));
        report.warnings().forEach(w -> lines.add(new SummaryLine("Topic warning", w)));
        return lines;
    }

    @Override
    public void close() {
        // provisioning holds nothing open
    }
}
