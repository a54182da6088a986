package dev.parley.ops.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * The Kafka cluster id and broker count a cluster data dir was created with ({@code <data-dir>/cluster.properties}).
 * Every broker is formatted with that id; a later start must ask for the same broker count, since partitions and
 * the controller quorum name the brokers.
 */
record ClusterIdentity(String clusterId, int brokers) {

    static final String FILE = "cluster.properties";

    /** Reads the data dir's identity, or creates it for a new data dir. */
    static ClusterIdentity loadOrCreate(Path dataDir, int brokers) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(file)) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                ClusterIdentity existing = new ClusterIdentity(p.getProperty("cluster.id"), Integer.parseInt(p.getProperty("brokers")));
                if (existing.brokers != brokers) {
                    throw new ClusterException(dataDir + " holds a cluster of " + existing.brokers + " brokers, not "
                            + brokers + ": start it with --brokers " + existing.brokers + ", or use another --data-dir"
                            + " (or delete this one, and its history with it)");
                }
                return existing;
            }
            ClusterIdentity created = new ClusterIdentity(Uuid.randomUuid().toString(), brokers);
            Properties p = new Properties();
            p.setProperty("cluster.id", created.clusterId);
            p.setProperty("brokers", String.valueOf(brokers));
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(w, "parley cluster: the Kafka cluster id and broker count of this data dir");
            }
            return created;
        } catch (IOException | NumberFormatException e) {
            throw new ClusterException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }
}
