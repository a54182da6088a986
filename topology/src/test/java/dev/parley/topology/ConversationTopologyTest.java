package dev.parley.topology;

import static dev.parley.topology.support.DriverFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MessageEdited;
import dev.parley.avro.event.MessagePosted;
import dev.parley.avro.result.Accepted;
import dev.parley.avro.result.CommandResult;
import dev.parley.avro.result.Duplicate;
import dev.parley.avro.result.Rejected;
import dev.parley.avro.result.Unchanged;
import dev.parley.topology.events.MessageJson;
import dev.parley.api.DirectChannels;
import dev.parley.avro.result.CursorMoved;
import dev.parley.avro.user.ReadCursorSet;
import dev.parley.avro.user.UserEvent;
import dev.parley.avro.user.UserEventKind;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.topology.channel.ChannelReader;
import dev.parley.topology.state.MessageOverlay;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import dev.parley.topology.state.StoreNames;
import dev.parley.topology.support.Commands;
import dev.parley.topology.support.DriverFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edits, deletes, reactions, threads, read cursors and direct channels: every rule, as sequenced events. */
class ConversationTopologyTest {

    @TempDir
    Path stateDir;
    private DriverFixture f;

    @BeforeEach
    void start() {
        f = new DriverFixture(stateDir, Duration.ofHours(24));
        f.pipe(Commands.create("general", "alice", false, at(0)));     // 1
        f.pipe(Commands.join("general", "bob", at(1)));                // 2
        f.pipe(Commands.send("general", "alice", "m1", "hello @bob and @carol.", at(2))); // 3
        f.log.readValuesToList();
        f.results.readValuesToList();
    }

    @AfterEach
    void close() {
        f.close();
        f.dropRegistry();
    }

    private Object outcome() {
        List<CommandResult> results = f.results.readValuesToList();
        assertThat(results).hasSize(1);
        return results.get(0).getOutcome();
    }

    private String rejection() {
        Object o = outcome();
        assertThat(o).isInstanceOf(Rejected.class);
        return ((Rejected) o).getCode();
    }

    private String unchanged() {
        Object o = outcome();
        assertThat(o).isInstanceOf(Unchanged.class);
        return ((Unchanged) o).getCode();
    }

    /** The message at seq as history serves it: its posted event with its overlay applied. */
    private JsonNode view(String channel, long seq) {
        KeyValueStore<Bytes, byte[]> state = f.driver.getKeyValueStore(StoreNames.CHANNEL_STATE);
        ChannelReader reader = new ChannelReader(state, ParleyAvroSerde.forValue(ChannelEvent.class, f.serdeConfig).deserializer());
        return MessageJson.render(reader.event(channel, seq).orElseThrow(), reader.overlay(channel, seq));
    }

    private MessageOverlay overlay(String channel, long seq) {
        KeyValueStore<Bytes, byte[]> state = f.driver.getKeyValueStore(StoreNames.CHANNEL_STATE);
        return StateSerde.OVERLAY.fromBytes(state.get(StoreKeys.overlay(channel, seq)));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void mentionsAreParsedFromTheText() {
        f.pipe(Commands.send("general", "bob", "m2", "ping @alice, email me@example.com", at(3)));
        ChannelEvent e = f.log.readValuesToList().get(0);
        assertThat(((MessagePosted) e.getPayload()).getMentions()).containsExactly("alice");
        assertThat(texts(view("general", 3).path("mentions"))).containsExactly("bob", "carol");
        assertThat(overlay("general", 3)).as("a message nobody changed has no overlay").isNull();
    }

    @Test
    void onlyTheAuthorEditsAndTheEditIsAnEventWithItsOwnSeq() {
        f.pipe(Commands.edit("general", "bob", "e0", 3, "hijacked", at(3)));
        assertThat(rejection()).isEqualTo("not_allowed");
        f.pipe(Commands.edit("general", "alice", "e1", 3, "hello @bob (edited)", at(4)));
        Accepted accepted = (Accepted) outcome();
        assertThat(accepted.getSeq()).isEqualTo(4);
        ChannelEvent edited = f.log.readValuesToList().get(0);
        assertThat(edited.getKind()).isEqualTo(EventKind.EDITED);
        assertThat(edited.getMessageId()).isEqualTo(view("general", 3).path("messageId").asText());
        assertThat(((MessageEdited) edited.getPayload()).getMessageSeq()).isEqualTo(3);
        assertThat(view("general", 3).path("text").asText()).isEqualTo("hello @bob (edited)");
        assertThat(view("general", 3).path("editedAt").asLong()).isEqualTo(at(4).toEpochMilli());
        assertThat(texts(view("general", 3).path("mentions"))).containsExactly("bob");

        f.pipe(Commands.edit("general", "alice", "e2", 99, "nothing there", at(5)));
        assertThat(rejection()).isEqualTo("unknown_message");
        f.pipe(Commands.edit("general", "alice", "e3", 2, "not a message", at(5)));
        assertThat(rejection()).isEqualTo("unknown_message");
        f.pipe(Commands.edit("general", "alice", "e4", 3, "", at(5)));
        assertThat(rejection()).isEqualTo("invalid");
        f.pipe(Commands.edit("general", "alice", "e1", 3, "hello @bob (edited)", at(6)));
        assertThat(outcome()).isEqualTo(new Duplicate(4L, accepted.getEventId(), accepted.getMessageId()));
    }

    @Test
    void theAuthorOrAnOwnerDeletesAndTheTextLeavesHistoryAndCatchUp() {
        f.pipe(Commands.send("general", "bob", "b1", "bob's words", at(3)));      // 4
        f.pipe(Commands.edit("general", "bob", "b2", 4, "bob's better words", at(4))); // 5
        f.results.readValuesToList();
        f.pipe(Commands.delete("general", "bob", "d0", 3, at(5)));
        assertThat(rejection()).isEqualTo("not_allowed");            // bob is neither author of 3 nor owner
        f.pipe(Commands.delete("general", "alice", "d1", 4, at(6)));  // alice owns the channel: 6
        assertThat(((Accepted) outcome()).getSeq()).isEqualTo(6);
        f.pipe(Commands.delete("general", "bob", "d2", 4, at(7)));
        assertThat(unchanged()).isEqualTo("already_deleted");
        f.pipe(Commands.edit("general", "bob", "b3", 4, "undead", at(8)));
        assertThat(rejection()).isEqualTo("message_deleted");
        f.pipe(Commands.react("general", "alice", "r1", 4, ":x:", at(8)));
        assertThat(rejection()).isEqualTo("message_deleted");

        MessageOverlay tombstone = overlay("general", 4);
        assertThat(tombstone.getDeleted()).isTrue();
        assertThat(tombstone.getDeletedSeq()).isEqualTo(6);
        assertThat(tombstone.getText()).isNull();
        assertThat(tombstone.getEditSeqs()).as("its edits are redacted with it").containsExactly(5L);
        JsonNode rendered = view("general", 4);
        assertThat(rendered.has("text")).isFalse();
        assertThat(rendered.path("deleted").asBoolean()).isTrue();
        assertThat(overlay("general", 3)).as("another message").isNull();
    }

    @Test
    void reactionsAreIdempotentPerMessageUserAndEmoji() {
        f.pipe(Commands.react("general", "bob", "r1", 3, ":thumbsup:", at(3)));
        assertThat(((Accepted) outcome()).getSeq()).isEqualTo(4);
        f.pipe(Commands.react("general", "bob", "r2", 3, ":thumbsup:", at(4)));
        assertThat(unchanged()).isEqualTo("already_reacted");
        f.pipe(Commands.react("general", "alice", "r3", 3, ":thumbsup:", at(5)));
        assertThat(((Accepted) outcome()).getSeq()).isEqualTo(5);
        f.pipe(Commands.react("general", "alice", "r4", 3, "🎉", at(6)));
        assertThat(((Accepted) outcome()).getSeq()).isEqualTo(6);
        assertThat(overlay("general", 3).getReactions()).containsEntry(":thumbsup:", List.of("bob", "alice")).containsEntry("🎉", List.of("alice"));

        f.pipe(Commands.unreact("general", "bob", "u1", 3, ":thumbsup:", at(7)));
        assertThat(((Accepted) outcome()).getSeq()).isEqualTo(7);
        f.pipe(Commands.unreact("general", "bob", "u2", 3, ":thumbsup:", at(8)));
        assertThat(unchanged()).isEqualTo("not_reacted");
        f.pipe(Commands.react("general", "bob", "r5", 3, "not an emoji", at(9)));
        assertThat(rejection()).isEqualTo("invalid");
        f.pipe(Commands.react("general", "carol", "r6", 3, ":x:", at(9)));
        assertThat(rejection()).isEqualTo("not_a_member");
        assertThat(overlay("general", 3).getReactions()).containsEntry(":thumbsup:", List.of("alice"));
        assertThat(f.log.readValuesToList()).extracting(ChannelEvent::getKind).containsExactly(
                EventKind.REACTION_ADDED, EventKind.REACTION_ADDED, EventKind.REACTION_ADDED, EventKind.REACTION_REMOVED);
    }

    @Test
    void threadsCountTheirRepliesAndIndexThem() {
        f.pipe(Commands.reply("general", "bob", "t1", "first reply", 3, at(3)));   // 4
        f.pipe(Commands.send("general", "bob", "x", "unrelated", at(4)));          // 5
        f.pipe(Commands.reply("general", "alice", "t2", "second reply", 3, at(5))); // 6
        JsonNode root = view("general", 3);
        assertThat(root.path("replyCount").asInt()).isEqualTo(2);
        assertThat(root.path("lastReplySeq").asLong()).isEqualTo(6);
        assertThat(root.path("lastReplyAt").asLong()).isEqualTo(at(5).toEpochMilli());
        KeyValueStore<Bytes, byte[]> state = f.driver.getKeyValueStore(StoreNames.CHANNEL_STATE);
        assertThat(state.get(StoreKeys.threadReply("general", 3, 4))).isNotNull();
        assertThat(state.get(StoreKeys.threadReply("general", 3, 6))).isNotNull();
        assertThat(state.get(StoreKeys.threadReply("general", 3, 5))).isNull();
        f.pipe(Commands.delete("general", "bob", "d", 4, at(6)));
        assertThat(view("general", 3).path("replyCount").asInt()).isEqualTo(1);
    }

    @Test
    void readCursorsAreUserStateNotChannelEventsAndOnlyMoveForwardWithinTheChannel() {
        f.pipe(Commands.markRead("general", "bob", "k1", 3, at(3)));
        assertThat(outcome()).isEqualTo(new CursorMoved(3L));
        UserEvent read = f.userEvents.readRecord().value();
        assertThat(read.getUser()).isEqualTo("bob");
        assertThat(read.getChannel()).isEqualTo("general");
        assertThat(read.getKind()).isEqualTo(UserEventKind.READ);
        assertThat(((ReadCursorSet) read.getPayload()).getUpTo()).isEqualTo(3);
        assertThat(read.getDevice()).isEqualTo("dev-bob");
        KeyValueStore<Bytes, byte[]> users = f.driver.getKeyValueStore(StoreNames.USER_STATE);
        assertThat(StateSerde.USER_CHANNEL.fromBytes(users.get(StoreKeys.userChannel("bob", "general"))).getLastRead()).isEqualTo(3);

        f.pipe(Commands.markRead("general", "bob", "k2", 2, at(4)));
        assertThat(unchanged()).isEqualTo("not_advanced");
        f.pipe(Commands.markRead("general", "bob", "k1", 3, at(5)));
        assertThat(unchanged()).as("a retry moves nothing and says so").isEqualTo("not_advanced");
        f.pipe(Commands.markRead("general", "bob", "k4", 50, at(6)));
        assertThat(rejection()).isEqualTo("invalid");
        f.pipe(Commands.markRead("general", "carol", "k5", 1, at(6)));
        assertThat(rejection()).isEqualTo("not_a_member");
        assertThat(f.log.isEmpty()).as("no cursor took a seq of the channel").isTrue();
        assertThat(f.userEvents.isEmpty()).as("only a cursor that moved is announced").isTrue();
        f.pipe(Commands.send("general", "alice", "m2", "next", at(7)));
        assertThat(((Accepted) outcome()).getSeq()).isEqualTo(4);
    }

    @Test
    void directChannelsHaveADeterministicIdAndOpeningTwiceFindsTheSameChannel() {
        List<String> members = List.of("zoe", "yann");
        String id = DirectChannels.idFor(members);
        assertThat(id).isEqualTo(DirectChannels.idFor(List.of("yann", "zoe", "yann"))).startsWith("dm-");
        f.pipe(Commands.openDirect("zoe", "o1", members, at(10)));
        assertThat(((Accepted) outcome()).getSeq()).isEqualTo(1);
        ChannelEvent created = f.log.readValuesToList().get(0);
        ChannelCreated payload = (ChannelCreated) created.getPayload();
        assertThat(payload.getDirect()).isTrue();
        assertThat(payload.getMembers()).containsExactly("yann");

        f.pipe(Commands.openDirect("yann", "o2", List.of("yann", "zoe"), at(11)));
        assertThat(unchanged()).isEqualTo("already_exists");
        f.pipe(Commands.send(id, "yann", "hi", "hi zoe", at(12)));
        assertThat(((Accepted) outcome()).getSeq()).isEqualTo(2);
        f.pipe(Commands.join(id, "mallory", at(13)));
        assertThat(rejection()).isEqualTo("not_allowed");
        f.pipe(Commands.add(id, "zoe", "mallory", at(13)));
        assertThat(rejection()).isEqualTo("not_allowed");
        f.pipe(Commands.delete(id, "zoe", "d", 2, at(14)));
        assertThat(rejection()).as("nobody owns a direct channel").isEqualTo("not_allowed");
        f.pipe(Commands.envelope("dm-0000", "mallory", "o3", new dev.parley.avro.command.OpenDirect(List.of("mallory", "zoe")), at(15)));
        assertThat(rejection()).isEqualTo("invalid");
        f.pipe(Commands.openDirect("mallory", "o4", List.of("yann", "zoe"), at(15)));
        assertThat(rejection()).as("only a member opens it").isEqualTo("invalid");
        f.pipe(Commands.create("dm-squatted", "mallory", false, at(16)));
        assertThat(rejection()).isEqualTo("invalid");
    }
}
