package dev.parley.topology.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Binary store keys laid out for range and prefix scans. Every id but the last of a key is length-prefixed
 * (2 bytes, big-endian), so that no id can be a prefix of another; seqs are 8-byte big-endian, so that byte
 * order is numeric order.
 *
 * <p>{@code channel-state} keys all start with the channel, then a section byte:
 * <pre>
 *   [len][channel] 0x00                     meta
 *   [len][channel] 0x01 [user]              a member (members of a channel: one range, by user id)
 *   [len][channel] 0x02 [seq]               an event, byte for byte as in the log (events after N: one range)
 *   [len][channel] 0x03 [seq]               a message's overlay (what changed since it was posted)
 *   [len][channel] 0x04 [root] [reply]      the thread index (the replies of a root: one range)
 * </pre>
 * {@code user-state}: {@code [len][user][channel]}. {@code dedupe}: {@code [len][channel][len][user][key]}.
 */
public final class StoreKeys {

    static final byte META = 0;
    static final byte MEMBER = 1;
    static final byte EVENT = 2;
    static final byte OVERLAY = 3;
    static final byte THREAD = 4;

    private StoreKeys() {
    }

    public static Bytes meta(String channel) {
        return wrap(section(channel, META, 0));
    }

    public static Bytes member(String channel, String user) {
        byte[] u = utf8(user);
        return wrap(section(channel, MEMBER, u.length).put(u));
    }

    /** The first possible member key of a channel (inclusive). */
    public static Bytes membersFrom(String channel) {
        return wrap(section(channel, MEMBER, 0));
    }

    /** The first key after every member of a channel (exclusive bound). */
    public static Bytes membersEnd(String channel) {
        return wrap(section(channel, EVENT, 0));
    }

    public static Bytes event(String channel, long seq) {
        return wrap(section(channel, EVENT, 8).putLong(seq));
    }

    public static Bytes overlay(String channel, long seq) {
        return wrap(section(channel, OVERLAY, 8).putLong(seq));
    }

    public static Bytes threadReply(String channel, long root, long reply) {
        return wrap(section(channel, THREAD, 16).putLong(root).putLong(reply));
    }

    /** The seq a key ends with: an event, an overlay, or the reply of a thread index key. */
    public static long seqOf(Bytes key) {
        byte[] b = key.get();
        return ByteBuffer.wrap(b, b.length - 8, 8).getLong();
    }

    /** The user of a {@link #member} key. */
    public static String userOf(Bytes memberKey) {
        byte[] b = memberKey.get();
        int start = 2 + (ByteBuffer.wrap(b).getShort() & 0xFFFF) + 1;
        return new String(b, start, b.length - start, StandardCharsets.UTF_8);
    }

    /** (user, channel): a user's state in a channel (store user-state). */
    public static Bytes userChannel(String user, String channel) {
        return pair(user, channel);
    }

    /** The prefix of every {@link #userChannel} key of a user. */
    public static Bytes userPrefix(String user) {
        byte[] u = utf8(user);
        return Bytes.wrap(ByteBuffer.allocate(2 + u.length).putShort((short) u.length).put(u).array());
    }

    /** The channel of a {@link #userChannel} key. */
    public static String channelOf(Bytes userChannelKey) {
        byte[] b = userChannelKey.get();
        int first = ByteBuffer.wrap(b).getShort() & 0xFFFF;
        return new String(b, 2 + first, b.length - 2 - first, StandardCharsets.UTF_8);
    }

    /** (channel, user, idempotency key): the dedupe key. */
    public static Bytes dedupe(String channel, String user, String key) {
        byte[] x = utf8(channel);
        byte[] y = utf8(user);
        byte[] z = utf8(key);
        return Bytes.wrap(ByteBuffer.allocate(4 + x.length + y.length + z.length)
                .putShort((short) x.length).put(x).putShort((short) y.length).put(y).put(z).array());
    }

    private static Bytes pair(String a, String b) {
        byte[] x = utf8(a);
        byte[] y = utf8(b);
        return Bytes.wrap(ByteBuffer.allocate(2 + x.length + y.length).putShort((short) x.length).put(x).put(y).array());
    }

    /** A buffer holding [len][channel][section] with room for {@code rest} more bytes. */
    private static ByteBuffer section(String channel, byte section, int rest) {
        byte[] c = utf8(channel);
        return ByteBuffer.allocate(2 + c.length + 1 + rest).putShort((short) c.length).put(c).put(section);
    }

    private static Bytes wrap(ByteBuffer full) {
        return Bytes.wrap(full.array());
    }

    private static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("id too long for a store key: " + b.length + " bytes");
        }
        return b;
    }
}
