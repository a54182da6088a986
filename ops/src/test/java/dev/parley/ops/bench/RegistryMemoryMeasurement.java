package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.presence.ConnectionRegistry;
import dev.parley.api.presence.PresenceKeys;
import dev.parley.avro.presence.GatewayHeartbeat;
import dev.parley.avro.presence.PresenceRecord;
import dev.parley.avro.presence.UserConnections;
import dev.parley.avro.presence.UserStatus;
import dev.parley.schemas.serde.ParleyAvroSerde;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the connection registry costs every gateway that holds all of it (docs/scaling.md (d)): live heap per entry of
 * a {@link ConnectionRegistry} filled with 300,000 online users on 100 gateways (a fifth of them on a second gateway),
 * and the size of one entry on {@code parley.presence}. Not part of {@code mvn verify}; run it with {@code mvn -o -q -B
 * test -pl ops -am -Dtest=RegistryMemoryMeasurement -Dsurefire.failIfNoSpecifiedTests=false}, output in
 * {@code ops/target/surefire-reports/*-output.txt}.
 */
class RegistryMemoryMeasurement {

    private static final int USERS = 300_000;
    private static final int GATEWAYS = 100;

    @Test
    void heapPerRegistryEntry() {
        long now = 1_764_460_800_000L;
        long before = liveHeap();
        ConnectionRegistry registry = new ConnectionRegistry(Duration.ofSeconds(15), Duration.ofHours(1));
        for (int g = 0; g < GATEWAYS; g++) {
            String gw = "gateway-" + g;
            registry.apply(0, PresenceKeys.heartbeat(gw), new PresenceRecord(gw, now, Instant.ofEpochMilli(now),
                    new GatewayHeartbeat(3000, 0, 0)), now, now);
        }
        int entries = 0;
        for (int u = 0; u < USERS; u++) {
            String user = "user-" + u;
            int copies = u % 5 == 0 ? 2 : 1;
            for (int c = 0; c < copies; c++) {
                String gw = "gateway-" + ((u + c * 37) % GATEWAYS);
                registry.apply(0, PresenceKeys.entry(user, gw), entry(gw, now, user), now, now);
                entries++;
            }
        }
        long after = liveHeap();
        assertThat(registry.presenceOf("user-10").isOnline()).isTrue();
        assertThat(registry.usersOf("gateway-0")).isNotEmpty();

        byte[] wire = ParleyAvroSerde.forValue(PresenceRecord.class, Map.of("schema.registry.url", "mock://registry-memory"))
                .serializer().serialize("parley.presence", entry("gateway-12", now, "user-123456"));
        System.out.printf("| users | entries | gateways | live heap before / after (MB) | bytes of heap per entry | bytes per entry value on the topic (+ key %d) | load average |%n",
                PresenceKeys.entry("user-123456", "gateway-12").length());
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.printf("| %,d | %,d | %d | %.1f / %.1f | %.0f | %d | %.2f |%n", USERS, entries, GATEWAYS, before / 1e6, after / 1e6,
                (double) (after - before) / entries, wire.length, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        assertThat(registry.presenceOf("user-" + (USERS - 1)).isOnline()).isTrue(); // keeps the registry reachable
    }

    private static PresenceRecord entry(String gw, long at, String user) {
        return new PresenceRecord(gw, at, Instant.ofEpochMilli(at),
                new UserConnections(user, 1, UserStatus.ONLINE, Instant.ofEpochMilli(at)));
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
