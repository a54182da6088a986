package dev.parley.gateway.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The results partition a gateway reads. The topology keys each result by the gateway id and the producer's
 * default partitioner puts it in {@code toPositive(murmur2(key)) % partitions}; each gateway reads only that
 * partition, so a gateway sees its own results and (on average) 1/partitions of all results.
 */
public final class ResultsPartition {

    private ResultsPartition() {
    }

    public static int of(String gatewayId, int partitions) {
        return Utils.toPositive(Utils.murmur2(gatewayId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
