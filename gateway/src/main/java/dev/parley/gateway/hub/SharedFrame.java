package dev.parley.gateway.hub;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A server frame rendered once and encoded to UTF-8 once, whose bytes go to every connection it is sent to (an
 * event, a batch of events): fanning it out costs a view of one buffer per connection, not a serialisation or an
 * encoding. The bytes of a frame for many live off the heap, so the socket writes them without another copy; a frame
 * for one connection (a catch-up page's event) stays on the heap, where allocating is cheap.
 */
public final class SharedFrame {

    private final String text;
    private final boolean offHeap;
    private volatile ByteBuffer bytes;

    /** A frame for many connections. */
    public SharedFrame(String text) {
        this(text, true);
    }

    private SharedFrame(String text, boolean offHeap) {
        this.text = text;
        this.offHeap = offHeap;
    }

    /** A frame that goes to one connection (encoded on the heap when sent as bytes). */
    public static SharedFrame once(String text) {
        return new SharedFrame(text, false);
    }

    public String text() {
        return text;
    }

    /** Its size as the outbound queue counts it (characters: about bytes, frames are mostly ASCII JSON). */
    public int chars() {
        return text.length();
    }

    /** The UTF-8 bytes: a read-only view of the one encoded buffer, with its own position, for one send. */
    public ByteBuffer bytes() {
        ByteBuffer b = bytes;
        if (b == null) {
            synchronized (this) {
                b = bytes;
                if (b == null) {
                    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                    if (offHeap) {
                        ByteBuffer direct = ByteBuffer.allocateDirect(utf8.length);
                        direct.put(utf8).flip();
                        b = direct.asReadOnlyBuffer();
                    } else {
                        b = ByteBuffer.wrap(utf8).asReadOnlyBuffer();
                    }
                    bytes = b;
                }
            }
        }
        return b.duplicate();
    }

    @Override
    public String toString() {
        return text;
    }
}
