package dev.parley.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.testkit.TestNames;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafka.class)
class TopicProvisionerIT {

    private static Admin admin;

    @BeforeAll
    static void connect(KafkaTestCluster kafka) {
        admin = kafka.admin();
    }

    @AfterAll
    static void disconnect() {
        admin.close();
    }

    @Test
    void createsEveryTopicWithItsSettingsAndIsIdempotent() throws Exception {
        TopicNames names = new TopicNames(TestNames.prefix(getClass()));
        var provisioner = new TopicProvisioner(admin, names, TopicSettings.of(6, (short) 1));

        var first = provisioner.provision();
        var second = provisioner.provision();

        assertThat(first.created()).containsExactlyInAnyOrderElementsOf(names.all());
        assertThat(second.created()).isEmpty();
        assertThat(second.existing()).containsExactlyInAnyOrderElementsOf(names.all());
        assertThat(second.partitions()).isEqualTo(6);
        assertThat(second.warnings()).as("the test broker runs transaction.version 2 and the log is kept forever").isEmpty();

        var described = admin.describeTopics(names.all()).allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(described.get(names.commands()).partitions()).hasSize(6);
        assertThat(described.get(names.log()).partitions()).hasSize(6);
        assertThat(described.get(names.schemas()).partitions()).hasSize(1);
        assertThat(config(names.log())).containsEntry("retention.ms", "-1").containsEntry("retention.bytes", "-1")
                .containsEntry("cleanup.policy", "delete").containsEntry("unclean.leader.election.enable", "false");
        assertThat(config(names.schemas())).containsEntry("cleanup.policy", "compact");
        assertThat(config(names.commands())).containsEntry("retention.ms", String.valueOf(TimeUnit.DAYS.toMillis(7)));
        assertThat(described.get(names.userEvents()).partitions()).hasSize(6);
        assertThat(config(names.userEvents())).containsEntry("retention.ms", String.valueOf(TimeUnit.DAYS.toMillis(1)))
                .containsEntry("cleanup.policy", "delete");
        provisioner.requireTransactionVersion2(); // the test broker runs KIP-890
    }

    @Test
    void justCreatedTopicsThatOneBrokerDoesNotListYetAreNotReportedMissing() {
        // The first listing after the creation is fresh, the second stale (another broker), and so on: a
        // provisioning that trusted one fresh answer failed with "missing topics" on a 3-broker cluster.
        TopicNames names = new TopicNames(TestNames.prefix(getClass()));
        Admin lagging = LaggingBrokerAdmin.around(admin, 3);

        var report = new TopicProvisioner(lagging, names, TopicSettings.of(2, (short) 1)).provision();

        assertThat(report.created()).containsExactlyInAnyOrderElementsOf(names.all());
        assertThat(report.partitions()).isEqualTo(2);
    }

    @Test
    void failsFastWhenCommandsAndLogAreNotCoPartitioned() throws Exception {
        TopicNames names = new TopicNames(TestNames.prefix(getClass()));
        admin.createTopics(List.of(new NewTopic(names.commands(), 4, (short) 1), new NewTopic(names.log(), 3, (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        var provisioner = new TopicProvisioner(admin, names, TopicSettings.of(4, (short) 1));

        assertThatThrownBy(provisioner::provision)
                .isInstanceOf(TopicLayoutException.class)
                .hasMessageContaining(names.commands() + " has 4 partitions but " + names.log() + " has 3");
    }

    @Test
    void warnsWhenTheLogIsNotKeptForever() throws Exception {
        TopicNames names = new TopicNames(TestNames.prefix(getClass()));
        admin.createTopics(List.of(new NewTopic(names.log(), 2, (short) 1).configs(Map.of("retention.ms", "3600000"))))
                .all().get(30, TimeUnit.SECONDS);

        var report = new TopicProvisioner(admin, names, TopicSettings.of(2, (short) 1)).provision();

        assertThat(report.warnings()).singleElement().asString().contains("retention.ms=3600000").contains("kept forever");
    }

    @Test
    void verifyNamesMissingTopics() {
        TopicNames names = new TopicNames(TestNames.prefix(getClass()));
        assertThatThrownBy(() -> new TopicProvisioner(admin, names, TopicSettings.defaults()).verify())
                .isInstanceOf(TopicLayoutException.class)
                .hasMessageContaining("missing topics").hasMessageContaining(names.log());
    }

    private static Map<String, String> config(String topic) throws Exception {
        var r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        var out = new java.util.HashMap<String, String>();
        admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r).entries()
                .forEach(e -> out.put(e.name(), e.value()));
        return out;
    }
}
