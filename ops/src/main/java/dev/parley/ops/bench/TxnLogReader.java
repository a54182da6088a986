package dev.parley.ops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Reads the transactional batches (data and commit markers) from a stopped broker's log directory: one folder
 * per partition ({@code <topic>-<partition>}), segments {@code *.log}. Only batch headers are read.
 */
final class TxnLogReader {

    private TxnLogReader() {
    }

    /** Hands every transactional batch of the log directory to {@code census}. */
    static void read(Path logDir, TxnCensus census) throws IOException {
        List<Path> partitions;
        try (Stream<Path> s = Files.list(logDir)) {
            partitions = s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().matches(".+-\\d+")).toList();
        }
        for (Path dir : partitions) {
            String name = dir.getFileName().toString();
            int dash = name.lastIndexOf('-');
            String topic = name.substring(0, dash);
            int partition = Integer.parseInt(name.substring(dash + 1));
            List<Path> segments;
            try (Stream<Path> s = Files.list(dir)) {
                segments = s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
            }
            for (Path segment : segments) {
                try (FileRecords records = FileRecords.open(segment.toFile())) {
                    for (RecordBatch b : records.batches()) {
                        if (b.isTransactional()) {
                            census.add(new TxnCensus.Batch(topic, partition, b.producerId(), b.producerEpoch(), b.isControlBatch(),
                                    b.maxTimestamp(), (int) (b.lastOffset() - b.baseOffset() + 1)));
                        }
                    }
                }
            }
        }
    }
}
