package dev.parley.notifier.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Binary keys laid out for range scans: ids are length-prefixed (so "ab"+"c" and "a"+"bc" differ and a
 * prefix scan of one channel never reaches another), numbers are big-endian (so they sort).
 */
public final class StoreKeys {

    private StoreKeys() {
    }

    /** (a, b): e.g. (channel, user). */
    public static Bytes pair(String a, String b) {
        byte[] x = utf8(a);
        byte[] y = utf8(b);
        return Bytes.wrap(ByteBuffer.allocate(4 + x.length + 4 + y.length).putInt(x.length).put(x).putInt(y.length).put(y).array());
    }

    /** Every pair key whose first part is {@code a}. */
    public static Bytes prefix(String a) {
        byte[] x = utf8(a);
        return Bytes.wrap(ByteBuffer.allocate(4 + x.length).putInt(x.length).put(x).array());
    }

    /** The second part of a {@link #pair} key. */
    public static String second(Bytes key) {
        ByteBuffer b = ByteBuffer.wrap(key.get());
        b.position(4 + b.getInt());
        byte[] y = new byte[b.getInt()];
        b.get(y);
        return new String(y, StandardCharsets.UTF_8);
    }

    /** (channel, n, user): e.g. a thread participant. */
    public static Bytes triple(String channel, long n, String user) {
        byte[] x = utf8(channel);
        byte[] y = utf8(user);
        return Bytes.wrap(ByteBuffer.allocate(4 + x.length + 8 + 4 + y.length).putInt(x.length).put(x).putLong(n)
                .putInt(y.length).put(y).array());
    }

    /** Every triple key starting with (channel, n). */
    public static Bytes prefix(String channel, long n) {
        byte[] x = utf8(channel);
        return Bytes.wrap(ByteBuffer.allocate(4 + x.length + 8).putInt(x.length).put(x).putLong(n).array());
    }

    /** The last part of a {@link #triple} key. */
    public static String third(Bytes key) {
        ByteBuffer b = ByteBuffer.wrap(key.get());
        b.position(4 + b.getInt() + 8);
        byte[] y = new byte[b.getInt()];
        b.get(y);
        return new String(y, StandardCharsets.UTF_8);
    }

    /** (due millis, user): sorts by due time (non-negative millis, big-endian). */
    public static Bytes due(long dueAt, String user) {
        byte[] y = utf8(user);
        return Bytes.wrap(ByteBuffer.allocate(8 + y.length).putLong(Math.max(0, dueAt)).put(y).array());
    }

    public static long dueAt(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong();
    }

    public static String dueUser(Bytes key) {
        byte[] k = key.get();
        return new String(k, 8, k.length - 8, StandardCharsets.UTF_8);
    }

    /** (millis, key): another store's key in time order (non-negative millis, big-endian). */
    public static Bytes aged(long at, Bytes key) {
        byte[] k = key.get();
        return Bytes.wrap(ByteBuffer.allocate(8 + k.length).putLong(Math.max(0, at)).put(k).array());
    }

    public static long agedAt(Bytes aged) {
        return ByteBuffer.wrap(aged.get()).getLong();
    }

    public static Bytes agedKey(Bytes aged) {
        byte[] k = aged.get();
        return Bytes.wrap(java.util.Arrays.copyOfRange(k, 8, k.length));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
