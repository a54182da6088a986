package dev.parley.topology.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.api.routing.RoutingKeys;
import dev.parley.avro.routing.RouteRecord;
import dev.parley.avro.routing.RouteStarted;
import dev.parley.avro.routing.RoutedEvent;
import dev.parley.avro.routing.RoutedRecord;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.topology.TopologyService;
import dev.parley.topology.support.Commands;
import dev.parley.topology.support.TopologyEnv;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router end to end on a real broker, inside a real topology process: a gateway's route written as a gateway
 * writes it (plain producer, the channel's partition), commands through the commands topic, and what lands in the
 * deliveries topic, partition by partition.
 */
@ExtendWith(SharedKafka.class)
class RouterIT {

    private static final int PARTITIONS = 3;
    private static final String GATEWAY = "gw-1";
    private static TopologyEnv env;

    @BeforeAll
    static void setUp(KafkaTestCluster kafka) {
        env = new TopologyEnv(kafka, RouterIT.class, PARTITIONS);
    }

    @AfterAll
    static void tearDown() {
        env.close();
    }

    @Test
    void aFollowedChannelsEventsReachTheGatewaysPartitionInOrderAndMembershipChangesEveryPartition(@TempDir Path dir) {
        String channel = "general";
        int gatewayPartition = RoutingKeys.gatewayPartition(GATEWAY, PARTITIONS);
        long incarnation = System.currentTimeMillis();
        try (TopologyService topology = TopologyService.start(env.instanceConfig("router-it-" + System.nanoTime(), dir, 0));
             KafkaProducer<String, RouteRecord> routes = routeProducer();
             var commands = env.commandProducer();
             KafkaConsumer<String, byte[]> deliveries = consumer(env.names.deliveries());
             KafkaConsumer<String, byte[]> log = consumer(env.names.log())) {
            assertThat(topology.router()).isPresent();
            await().atMost(Duration.ofSeconds(90)).until(topology::isRunning);

            Instant now = Instant.now();
            routes.send(new ProducerRecord<>(env.names.routes(), RoutingKeys.channelPartition(channel, PARTITIONS), now.toEpochMilli(),
                    RoutingKeys.route(channel, GATEWAY), new RouteRecord(channel, GATEWAY, incarnation, now, 60_000)));
            routes.flush();
            Map<Integer, List<ConsumerRecord<String, RoutedRecord>>> out = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> drain(deliveries, out).getOrDefault(gatewayPartition, List.of()).size() >= 1);

            // The route started before any event the router read: the channel is created, written to, joined.
            env.send(commands, Commands.create(channel, "alice", false, Instant.now()));
            env.send(commands, Commands.send(channel, "alice", "k1", "hello", Instant.now()));
            env.send(commands, Commands.join(channel, "bob", Instant.now()));
            commands.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                drain(deliveries, out);
                return out.getOrDefault(gatewayPartition, List.of()).size() >= 4
                        && out.keySet().size() == PARTITIONS && out.values().stream().allMatch(l -> l.size() >= 2);
            });
            List<byte[]> committed = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                log.poll(Duration.ofMillis(200)).forEach(r -> committed.add(r.value()));
                return committed.size() >= 3;
            });

            List<ConsumerRecord<String, RoutedRecord>> mine = out.get(gatewayPartition);
            assertThat(mine).extracting(ConsumerRecord::key).containsExactly(GATEWAY, RoutingKeys.EVERY_GATEWAY, GATEWAY, RoutingKeys.EVERY_GATEWAY);
            assertThat(mine.get(0).value()).isEqualTo(new RoutedRecord(channel, new RouteStarted(GATEWAY, incarnation, 0L)));
            for (int i = 1; i < 4; i++) {
                RoutedEvent event = (RoutedEvent) mine.get(i).value().getBody();
                assertThat(mine.get(i).value().getChannel()).isEqualTo(channel);
                assertThat(event.getSeq()).isEqualTo((long) i);
                assertThat(bytes(event.getEvent())).as("seq %d as the log holds it", i).isEqualTo(committed.get(i - 1));
            }
            for (int p = 0; p < PARTITIONS; p++) {
                if (p == gatewayPartition) {
                    continue;
                }
                List<ConsumerRecord<String, RoutedRecord>> other = out.get(p);
                assertThat(other).as("partition %d", p).extracting(ConsumerRecord::key)
                        .containsExactly(RoutingKeys.EVERY_GATEWAY, RoutingKeys.EVERY_GATEWAY);
                assertThat(other).extracting(r -> ((RoutedEvent) r.value().getBody()).getSeq()).containsExactly(1L, 3L);
                assertThat(bytes(((RoutedEvent) other.get(1).value().getBody()).getEvent())).isEqualTo(committed.get(2));
            }
        }
    }

    private static KafkaProducer<String, RouteRecord> routeProducer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, Serdes.String().serializer(),
                ParleyAvroSerde.forValue(RouteRecord.class, env.serdeConfig).serializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        c.assign(tps);
        c.seekToBeginning(tps);
        return c;
    }

    private static Map<Integer, List<ConsumerRecord<String, RoutedRecord>>> drain(KafkaConsumer<String, byte[]> consumer,
                                                                                  Map<Integer, List<ConsumerRecord<String, RoutedRecord>>> into) {
        var values = ParleyAvroSerde.forValue(RoutedRecord.class, env.serdeConfig).deserializer();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            into.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(),
                    r.key(), values.deserialize(r.topic(), r.value())));
        }
        return into;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
