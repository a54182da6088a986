package dev.parley.gateway.hub;

import dev.parley.api.Limits;

/**
 * Client input quoted back in error frames: cut to a bounded length and made well-formed, so an error never
 * grows with the input and never carries a lone surrogate (which UTF-8 cannot encode).
 */
public final class Echo {

    /** Longest quote of free input inside a message. */
    public static final int MAX_QUOTE = 64;

    private Echo() {
    }

    /** An id echoed in its own field ({@code clientMsgId}, {@code requestId}): at most {@link Limits#MAX_ID_CHARS}. */
    public static String id(String s) {
        return s == null ? null : clean(s, Limits.MAX_ID_CHARS, "");
    }

    /** Free input quoted in a human message. */
    public static String quote(String s) {
        return quote(s, MAX_QUOTE);
    }

    public static String quote(String s, int max) {
        return s == null ? "null" : clean(s, max, "...");
    }

    private static String clean(String s, int max, String ellipsis) {
        boolean cut = s.length() > max;
        String head = cut ? s.substring(0, max) : s;
        if (Limits.isWellFormed(head) && !cut) {
            return head;
        }
        StringBuilder b = new StringBuilder(head.length() + ellipsis.length());
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < head.length() && Character.isLowSurrogate(head.charAt(i + 1))) {
                b.append(c).append(head.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                b.append('\uFFFD');
            } else {
                b.append(c);
            }
        }
        return cut ? b.append(ellipsis).toString() : b.toString();
    }
}
