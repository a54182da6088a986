package dev.parley.topology.query;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance holds a key of a store (metadata lookup, kept apart from the RPC that uses it). Stores are
 * partitioned like the topic that feeds them, so the lookup key is the topic's record key: the channel id,
 * or the user id for user-channels.
 */
final class OwnerLookup {

    /** Where a key lives: the partition, its active host and the hosts with a standby copy. */
    record Owners(int partition, HostInfo active, List<HostInfo> standbys) {
    }

    private static final Serializer<String> KEYS = Serdes.String().serializer();
    private final KafkaStreams streams;
    private final HostInfo self;

    OwnerLookup(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    HostInfo self() {
        return self;
    }

    /** Empty while the metadata is not available (e.g. during a rebalance). */
    Optional<Owners> owners(String store, String key) {
        KeyQueryMetadata md;
        try {
            md = streams.queryMetadataForKey(store, key, KEYS);
        } catch (IllegalStateException e) {
            return Optional.empty(); // not running yet
        }
        if (md == null || md.equals(KeyQueryMetadata.NOT_AVAILABLE) || md.activeHost() == null) {
            return Optional.empty();
        }
        return Optional.of(new Owners(md.partition(), md.activeHost(), List.copyOf(md.standbyHosts())));
    }

    boolean isSelf(HostInfo host) {
        return self.equals(host);
    }
}
