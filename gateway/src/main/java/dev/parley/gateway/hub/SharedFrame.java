package dev.parley.gateway.hub;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A server frame rendered once and encoded to UTF-8 once, whose bytes go to every connection it is sent to (an
 * event, a batch of events): fanning it out costs a view of one buffer per connection, not a serialisation or an
 * encoding. The bytes live off the heap, so the socket writes them without another copy.
 */
public final class SharedFrame {

    private final String text;
    private volatile ByteBuffer bytes;

    public SharedFrame(String text) {
        this.text = text;
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
                    ByteBuffer direct = ByteBuffer.allocateDirect(utf8.length);
                    direct.put(utf8).flip();
                    b = direct.asReadOnlyBuffer();
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
