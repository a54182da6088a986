package dev.parley.topology.rebuild;

import dev.parley.topology.TopologyConfig;
import dev.parley.topology.state.StoreNames;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * The start-up guard of the topology: its state is a fold of the log, so an empty {@code channel-state} next to a
 * log that holds events means the state is missing (an installation of an older version, whose stores had other
 * names, or deleted changelogs). Starting anyway would sequence every channel from seq 1 again; the topology
 * refuses and says to rebuild the state from the log first ({@link StateRebuild}).
 */
public final class StateGuard {

    private StateGuard() {
    }

    /** The changelog topic of a store of this application. */
    public static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    /** @throws StateMissingException when channel-state is empty while the log has committed events */
    public static void check(Admin admin, TopologyConfig config) {
        Map<TopicPartition, Long> state = LogOffsets.committedEnds(admin, changelog(config.applicationId(), StoreNames.CHANNEL_STATE));
        if (state.values().stream().anyMatch(end -> end > 0)) {
            return;
        }
        Map<TopicPartition, Long> log = LogOffsets.committedEnds(admin, config.topics().log());
        if (LogOffsets.hasCommittedRecords(config.bootstrapServers(), config.kafkaOverrides(), log)) {
            throw new StateMissingException("the topology's state (" + changelog(config.applicationId(), StoreNames.CHANNEL_STATE)
                    + ") is empty but " + config.topics().log() + " holds events: the state of an older version, or deleted"
                    + " changelogs. Stop every topology instance and rebuild the state from the log first:"
                    + " ./parley rebuild-state (or TopologyMain rebuild-state); see docs/operations.md \"Upgrading\".");
        }
    }
}
