package dev.parley.gateway;

import static dev.parley.gateway.support.Requests.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.gateway.support.GatewayEnv;
import dev.parley.gateway.support.Requests;
import dev.parley.testkit.RawWsClient;
import dev.parley.testkit.ChildJvm;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gateway process is SIGKILLed while its clients are connected and one of their sends is in flight:
 * the clients reconnect to the other gateway, resume, retry, and lose nothing.
 */
@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayKillIT {

    private GatewayEnv env;
    private GatewayServer survivor;

    @BeforeAll
    void start(KafkaTestCluster kafka) {
        env = new GatewayEnv(kafka, GatewayKillIT.class);
        survivor = env.gateway();
    }

    @AfterAll
    void stop() {
        env.close();
    }

    @Test
    void clientsOfAKilledGatewayReconnectElsewhereAndLoseNothing() throws Exception {
        String ch = id("ops");
        try (ChildJvm doomed = ChildJvm.start(GatewayMain.class, env.gatewayEnv(Map.of("PARLEY_GATEWAY_ID", "gw-doomed")), "PARLEY_GATEWAY_READY");
             // Connect once the child is up: on a loaded machine its start can outlast the survivor's 10 s hello timeout.
             RawWsClient writer = RawWsClient.connect(afterReady(doomed, survivor.wsUrl()))) {
            URI doomedUrl = URI.create(doomed.awaitReady(90, TimeUnit.SECONDS));
            writer.hello(env.token("olga"), "desk", null);
            writer.send(Requests.create(ch, false, "r-create"));
            writer.reply("requestId", "r-create");

            RawWsClient reader = RawWsClient.connect(doomedUrl);
            reader.hello(env.token("pete"), "phone", null);
            reader.send(Requests.join(ch, "r-join"));
            reader.reply("requestId", "r-join");
            RawWsClient olgaPhone = RawWsClient.connect(doomedUrl);
            olgaPhone.hello(env.token("olga"), "phone", null);
            for (int i = 0; i < 20; i++) {
                writer.send(Requests.send(ch, "w" + i, "before " + i));
            }
            reader.awaitEvents(ch, 21);
            olgaPhone.awaitEvents(ch, 20);
            long readerSeen = reader.seqs(ch).get(reader.seqs(ch).size() - 1);
            long olgaSeen = olgaPhone.seqs(ch).get(olgaPhone.seqs(ch).size() - 1);

            // olga's phone sends through the doomed gateway; then the process dies, before or after the ack.
            olgaPhone.send(Requests.send(ch, "in-flight", "sent as the gateway died"));
            doomed.kill();
            assertThat(reader.awaitClose()).isEqualTo(1006);
            olgaPhone.awaitClose();

            for (int i = 20; i < 60; i++) {
                writer.send(Requests.send(ch, "w" + i, "during the outage " + i));
            }
            try (RawWsClient readerBack = RawWsClient.connect(survivor.wsUrl());
                 RawWsClient olgaBack = RawWsClient.connect(survivor.wsUrl())) {
                readerBack.hello(env.token("pete"), "phone", Map.of(ch, readerSeen));
                olgaBack.hello(env.token("olga"), "phone", Map.of(ch, olgaSeen));
                // The phone did not see an ack for "in-flight": it retries with the same clientMsgId.
                olgaBack.send(Requests.send(ch, "in-flight", "sent as the gateway died"));
                JsonNode ack = olgaBack.reply("clientMsgId", "in-flight");
                assertThat(ack.path("type").asText()).isEqualTo("ack");

                long total = 1 + 1 + 60 + 1; // created, joined, 60 messages, the in-flight one
                readerBack.awaitEvents(ch, (int) (total - readerSeen));
                olgaBack.awaitEvents(ch, (int) (total - olgaSeen));
                assertThat(readerBack.seqs(ch)).isEqualTo(LongStream.rangeClosed(readerSeen + 1, total).boxed().toList());
                assertThat(olgaBack.seqs(ch)).isEqualTo(LongStream.rangeClosed(olgaSeen + 1, total).boxed().toList());
                List<JsonNode> all = readerBack.events(ch);
                assertThat(all.stream().filter(e -> e.path("clientMsgId").asText().equals("in-flight"))).hasSize(1);
                assertThat(all.stream().filter(e -> e.path("kind").asText().equals("message")).map(e -> e.path("clientMsgId").asText()))
                        .containsAll(LongStream.range(20, 60).mapToObj(i -> "w" + i).toList());
                assertThat(all.stream().filter(e -> e.path("clientMsgId").asText().equals("in-flight")).findFirst().orElseThrow()
                        .path("seq").asLong()).isEqualTo(ack.path("seq").asLong());
            }
        }
    }

    private static URI afterReady(ChildJvm child, URI then) throws Exception {
        child.awaitReady(90, TimeUnit.SECONDS);
        return then;
    }
}
